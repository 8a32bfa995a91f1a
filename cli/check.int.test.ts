import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "@/lib/store/db";
import { SAMPLE, saltzer } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-check-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("saltzer check (CI gate)", () => {
  const dataDir = path.join(tmp, "data");

  it("fails with exit 1 and lists the critical findings of the sample", () => {
    // Given the sample, with one critical escalation (org-account-vending) and an unbounded administrator (break-glass-ops: admin-equivalent, AdministratorAccess attached)
    // When the gate runs at critical, in memory, with no database
    const result = saltzer(["check", "--snapshot", SAMPLE, "--fail-on", "critical"], { SALTZER_DATA_DIR: path.join(tmp, "none") });
    // Then it fails and names the function and rule
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/CRITICAL\s+arn:aws:lambda:us-east-1:111111111111:function:org-account-vending\s+privilege-escalation/);
    expect(result.stdout).toMatch(/CRITICAL\s+arn:aws:lambda:us-east-1:222222222222:function:break-glass-ops\s+admin-equivalent-access/);
    expect(result.stdout).toMatch(/^FAIL: 3 finding\(s\) at or above critical/m);
    expect(fs.existsSync(path.join(tmp, "none"))).toBe(false);
  });

  it("rejects an unknown severity as bad usage", () => {
    const result = saltzer(["check", "--snapshot", SAMPLE, "--fail-on", "severe"], { SALTZER_DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--fail-on needs one of critical, high, medium, low, info/);
  });

  it("passes once the critical finding is suppressed, and says so", async () => {
    // Given a stored scan and a suppression of each of its critical findings
    expect(saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir }).code).toBe(0);
    const db = await openDatabase({ dataDir });
    const critical = await db.prisma.finding.findMany({ where: { severity: "critical" } });
    expect(critical).toHaveLength(3);
    for (const f of critical) await db.prisma.suppression.create({ data: { fingerprint: f.fingerprint, reason: "reviewed quarterly" } });
    await db.close();
    // When the gate runs on the stored scan
    const result = saltzer(["check", "--scan", "1", "--fail-on", "critical"], { SALTZER_DATA_DIR: dataDir });
    // Then it passes, counting the suppressed finding
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS: no finding at or above critical \(3 suppressed\)/);
  });

  it("with a baseline, fails only on findings new since that scan", () => {
    // Given a second scan of the same organization
    expect(saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir }).code).toBe(0);
    // When the gate compares scan 2 with baseline scan 1 at high
    const result = saltzer(["check", "--scan", "2", "--fail-on", "high", "--baseline", "1"], { SALTZER_DATA_DIR: dataDir });
    // Then nothing is new, so it passes, and it says how many were already there
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS: no new finding at or above high \(.*\d+ already in baseline scan 1\)/);
  });
});
