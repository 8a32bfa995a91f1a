import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/store/db";
import { SAMPLE, saltzer } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-terminal-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const FAKE_SUCCESS = "\u001b[2K\rScan 99 succeeded: all clear\u001b[8m";
const OSC8_CLEAR = "\u001b]8;;https://evil.example/\u0007click-me\u001b]8;;\u0007\u001b[2J";
const C1_BIDI = "\u009b31mred\u202eesrever\u2066";
// Raw terminal controls: C0 but newline, DEL, C1, bidi overrides and isolates.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("the CLI prints snapshot and database text as data", () => {
  const dataDir = path.join(tmp, "data");
  const hostile = path.join(tmp, "hostile");

  beforeAll(() => {
    // A sample copy whose recorded coverage gaps carry terminal escapes
    fs.cpSync(SAMPLE, hostile, { recursive: true });
    const gaps = [
      { accountId: "222222222222", region: "us-east-1", api: "lambda:GetPolicy", file: null, message: FAKE_SUCCESS },
      { accountId: "222222222222", region: "us-east-1", api: `lambda:${OSC8_CLEAR}`, file: `x${C1_BIDI}.json`, message: "denied" },
    ];
    fs.writeFileSync(path.join(hostile, "saltzer-coverage-gaps.json"), JSON.stringify({ Gaps: gaps }));
  });

  it("scan: a gap message cannot erase the line and print a fake success", () => {
    // Given the snapshot with the hostile gaps
    // When it is scanned
    const result = saltzer(["scan", "--snapshot", hostile, "--quiet"], { SALTZER_DATA_DIR: path.join(tmp, "refused") });
    // Then the reader refuses the file by name (exit 2), no success line is printed, and nothing raw reaches the terminal
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/saltzer-coverage-gaps\.json: \$\.Gaps\[0\]\.message: contains control characters/);
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/Scan 99|succeeded/);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stderr).not.toMatch(RAW_CONTROL);
    // And the clean sample scans, so the tests below have a stored scan to tamper with
    expect(saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir }).code).toBe(0);
  }, 600_000);

  it("check and report: a stored function ARN and reason with OSC 8, ESC[2J, C1 and U+202E stay inert", async () => {
    // Given a stored finding whose function ARN and reason carry terminal escapes (as the database may hold them)
    const db = await openDatabase({ dataDir });
    const finding = await db.prisma.finding.findFirstOrThrow({ where: { scanId: 1, severity: "critical" } });
    const arn = `arn:aws:lambda:us-east-1:111111111111:function:${OSC8_CLEAR}`;
    await db.prisma.lambdaFunction.updateMany({ where: { scanId: 1, arn: finding.functionArn }, data: { arn } });
    await db.prisma.finding.updateMany({ where: { scanId: 1, functionArn: finding.functionArn }, data: { functionArn: arn } });
    // (the risk view's narrow copies of the same rows hold the same ARN)
    await db.prisma.functionVerdict.updateMany({ where: { scanId: 1, arn: finding.functionArn }, data: { arn } });
    await db.prisma.findingVerdict.updateMany({ where: { scanId: 1, functionArn: finding.functionArn }, data: { functionArn: arn } });
    await db.prisma.finding.update({ where: { id: finding.id }, data: { reason: `reason ${C1_BIDI} ${FAKE_SUCCESS}` } });
    // and another whose function is still in the scan, so the JSON report lists it
    const other = await db.prisma.finding.findFirstOrThrow({ where: { scanId: 1, severity: "high" } });
    await db.prisma.finding.update({ where: { id: other.id }, data: { reason: `other ${C1_BIDI} ${FAKE_SUCCESS}` } });
    await db.close();
    // When the gate runs on the stored scan
    const check = saltzer(["check", "--scan", "1", "--fail-on", "critical"], { SALTZER_DATA_DIR: dataDir });
    // Then it fails as it should and prints both as visible escapes, nothing raw
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("function:\\x1b]8;;https://evil.example/\\x07click-me\\x1b]8;;\\x07\\x1b[2J");
    expect(check.stdout).toContain("reason \\x9b31mred\\u202eesrever\\u2066 \\x1b[2K\\x0dScan 99 succeeded");
    expect(check.stdout).not.toMatch(RAW_CONTROL);
  }, 600_000);

  it("report --format json on standard output: nothing raw, and the JSON still reads back the same text", () => {
    // Given the tampered findings above
    // When the JSON report is printed
    const report = saltzer(["report", "--format", "json"], { SALTZER_DATA_DIR: dataDir });
    // Then no raw control reaches the terminal, and a JSON parser gets the original strings back
    expect(report.code).toBe(0);
    expect(report.stdout).not.toMatch(RAW_CONTROL);
    expect(report.stdout).toContain("\\u202e");
    const reasons = (JSON.parse(report.stdout).functions as { findings: { reason: string }[] }[]).flatMap((f) => f.findings.map((x) => x.reason));
    expect(reasons).toContain(`other ${C1_BIDI} ${FAKE_SUCCESS}`);
  }, 600_000);
});
