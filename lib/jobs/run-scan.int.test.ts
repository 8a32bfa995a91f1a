import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { runScan, ScanCancelledError } from "./run-scan";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");

describe("runScan", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("cancelled mid-analysis, ends cancelled and stores none of its rows", async () => {
    // Given a scan whose caller cancels as soon as analysis starts
    const controller = new AbortController();
    const scan = runScan(t.db, { kind: "directory", dir: SAMPLE }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "analysing") controller.abort();
      },
    });
    // When it runs
    await expect(scan).rejects.toBeInstanceOf(ScanCancelledError);
    // Then the scan row says cancelled and no function row carries its id
    const row = await t.db.prisma.scan.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(row.status).toBe("cancelled");
    expect(await t.db.prisma.lambdaFunction.count({ where: { scanId: row.id } })).toBe(0);
  });

  it("a later complete scan is unaffected by the cancelled one", async () => {
    // Given the cancelled scan above
    // When a new scan runs to the end
    const result = await runScan(t.db, { kind: "directory", dir: SAMPLE });
    // Then it succeeds with every sample function analysed
    expect(result.status).toBe("succeeded");
    const analysed = await t.db.prisma.lambdaFunction.count({ where: { scanId: result.scanId, riskScore: { not: null } } });
    expect(analysed).toBe(result.snapshot.accounts.reduce((n, a) => n + a.functions.length, 0));
  });
});
