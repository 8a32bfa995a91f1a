import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/store/db";
import { parseGenArgs, writeGeneratedOrganization } from "@/scripts/gen-org";
import { SAMPLE, saltzer, startSaltzer } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-signals-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const dataDir = path.join(tmp, "data");
const org = path.join(tmp, "org");

async function storedScans() {
  const db = await openDatabase({ dataDir });
  try {
    const scans = await db.prisma.scan.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } });
    const rows = await Promise.all(
      scans.map(async (s) => ({
        ...s,
        functions: await db.prisma.lambdaFunction.count({ where: { scanId: s.id } }),
        findings: await db.prisma.finding.count({ where: { scanId: s.id } }),
        roles: await db.prisma.role.count({ where: { scanId: s.id } }),
      })),
    );
    return rows;
  } finally {
    await db.close();
  }
}

describe("saltzer scan stopped by a signal", () => {
  let firstScan: { functions: number; findings: number };

  beforeAll(async () => {
    // An organization large enough that the scan is still running when the signal comes.
    writeGeneratedOrganization(parseGenArgs(["--functions", "300", "--accounts", "4", "--seed", "signals", "--out", org]));
    expect(saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir }).code).toBe(0);
    const [scan] = await storedScans();
    firstScan = scan;
    expect(scan.functions).toBeGreaterThan(0);
  }, 600_000);

  it.each([
    ["SIGTERM", 143, "analysing…"],
    ["SIGINT", 130, "reading…"],
    ["SIGHUP", 129, "analysing…"],
  ] as const)(
    "%s exits %i, says cancelled and stores nothing of the scan",
    async (signal, exitCode, phase) => {
      // Given a scan of a large organization under way (in the %s phase)
      const scan = startSaltzer(["scan", "--snapshot", org], { SALTZER_DATA_DIR: dataDir });
      await scan.stderrShows(phase);
      // When the process gets the signal, as from `timeout`, `docker stop`, Ctrl-C or a closed terminal
      scan.child.kill(signal);
      const result = await scan.exited;
      // Then it exits 128 + the signal's number, says the scan was cancelled, and prints no summary
      expect(result.code).toBe(exitCode);
      expect(result.stderr).toContain(`saltzer: ${signal}: scan cancelled; nothing of it was stored.`);
      expect(result.stdout).not.toMatch(/Scan \d+ (succeeded|partial)/);
      // And the database holds the scan as cancelled with none of its rows; the first scan is intact
      const scans = await storedScans();
      const last = scans.at(-1)!;
      expect(last.id).toBeGreaterThan(1);
      expect(last).toMatchObject({ status: "cancelled", functions: 0, findings: 0, roles: 0 });
      expect(scans[0]).toMatchObject({ id: 1, status: "succeeded", functions: firstScan.functions, findings: firstScan.findings });
    },
    600_000,
  );

  it("leaves the first scan as the one reports are made from", () => {
    // Given the cancelled scans above
    // When a report is asked for without --scan
    const report = saltzer(["report", "--format", "json"], { SALTZER_DATA_DIR: dataDir });
    // Then it is scan 1's
    expect(report.code).toBe(0);
    expect(JSON.parse(report.stdout).scan.id).toBe(1);
  });
});
