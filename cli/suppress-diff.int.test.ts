/** Suppressions as code, the incomplete-data gate and `saltzer diff`, through the real binary (issue 11). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SAMPLE, saltzer } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-suppress-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const env = { SALTZER_DATA_DIR: path.join(tmp, "data") };

/** The sample with lambda:GetPolicy denied in 333333333333 / us-east-1 (acme-dev: no critical finding). */
function gappedSample(): string {
  const dir = path.join(tmp, "gapped");
  fs.cpSync(SAMPLE, dir, { recursive: true });
  const gap = { accountId: "333333333333", region: "us-east-1", api: "lambda:GetPolicy", file: null, message: "AccessDeniedException: not authorized to perform lambda:GetPolicy" };
  fs.writeFileSync(path.join(dir, "saltzer-coverage-gaps.json"), JSON.stringify({ Gaps: [gap] }));
  return dir;
}

describe("saltzer check on incomplete data", () => {
  it("prints the gap and fails closed with exit 3, unless --allow-incomplete", () => {
    // Given the sample with GetPolicy denied in one account, gated on critical in that account (no critical there)
    const args = ["check", "--snapshot", gappedSample(), "--fail-on", "critical", "--account", "333333333333"];
    // When the gate runs
    const strict = saltzer(args, { SALTZER_DATA_DIR: path.join(tmp, "none") });
    const lenient = saltzer([...args, "--allow-incomplete"], { SALTZER_DATA_DIR: path.join(tmp, "none") });
    // Then it names the gap and fails with 3; with --allow-incomplete it passes, still saying so
    expect(strict.stdout).toMatch(/gap: 333333333333 us-east-1 lambda:GetPolicy/);
    expect(strict.stdout).toMatch(/^FAIL: incomplete data/m);
    expect(strict.code).toBe(3);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/PASS: no finding at or above critical \(.*function\(s\) with incomplete data\)/);
  });
});

// Each test runs several CLI processes, each a scan or a report of the sample.
describe("suppressions as code and the scan diff", { timeout: 180_000 }, () => {
  it("suppresses by function and rule, shows it everywhere, lists it with who made it, and unsuppresses", () => {
    // Given a stored scan of the sample
    expect(saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], env).code).toBe(0);
    const publicBefore = JSON.parse(saltzer(["report", "--public", "yes"], env).stdout) as { functions: { name: string }[] };
    expect(publicBefore.functions.map((f) => f.name)).toContain("public-status-page");
    // When public-status-page's public-invoke finding is suppressed from the CLI
    const done = saltzer(["suppress", "public-status-page", "public-invoke", "--reason", "Status page is public by design", "--expires", "2099-12-31"], env);
    expect(done.code).toBe(0);
    // Then the report no longer calls it public, and the suppression is listed with its creator and expiry
    const publicAfter = JSON.parse(saltzer(["report", "--public", "yes"], env).stdout) as { functions: { name: string }[] };
    expect(publicAfter.functions.map((f) => f.name)).not.toContain("public-status-page");
    const listed = JSON.parse(saltzer(["suppressions", "--json"], env).stdout) as { status: string; rule: string; createdBy: string; expiresAt: string }[];
    expect(listed).toEqual([expect.objectContaining({ status: "active", rule: "public-invoke", createdBy: expect.stringMatching(/^cli:/), expiresAt: "2099-12-31T23:59:59.000Z" })]);
    // And unsuppressing brings it back
    expect(saltzer(["unsuppress", "public-status-page", "public-invoke"], env).code).toBe(0);
    const restored = JSON.parse(saltzer(["report", "--public", "yes"], env).stdout) as { functions: { name: string }[] };
    expect(restored.functions.map((f) => f.name)).toEqual(publicBefore.functions.map((f) => f.name));
  });

  it("applies a suppressions file to report and check the same way", () => {
    // Given a YAML file suppressing the sample's three critical findings
    const file = path.join(tmp, "suppressions.yaml");
    fs.writeFileSync(
      file,
      [
        "suppressions:",
        "  - function: org-account-vending   # the vending machine",
        "    rule: privilege-escalation",
        '    reason: "Reviewed quarterly"',
        "  - function: break-glass-ops",
        "    rule: admin-equivalent-access",
        '    reason: "Break-glass by design"',
        "  - function: break-glass-ops",
        "    rule: aws-managed-full-access",
        '    reason: "Break-glass by design"',
        "",
      ].join("\n"),
    );
    // When report and check read it
    const report = JSON.parse(saltzer(["report", "--severity", "critical", "--suppressions", file], env).stdout) as { functions: unknown[]; summary: { suppressedFindings: number } };
    const check = saltzer(["check", "--scan", "1", "--fail-on", "critical", "--suppressions", file], env);
    // Then neither lists the critical finding; both count it as suppressed
    expect(report.functions).toEqual([]);
    expect(report.summary.suppressedFindings).toBe(3);
    expect(check.code).toBe(0);
    expect(check.stdout).toMatch(/PASS: no finding at or above critical \(3 suppressed\)/);
  });

  it("diffs two scans from the CLI: the gapped rescan makes functions incomplete, not resolved", () => {
    // Given a second scan of the sample with GetPolicy denied in one account and region
    expect(saltzer(["scan", "--snapshot", gappedSample(), "--quiet"], env).code).toBe(0);
    // When the two scans are compared
    const text = saltzer(["diff", "1", "2"], env);
    const json = JSON.parse(saltzer(["diff", "1", "2", "--json"], env).stdout) as { totals: { becameIncomplete: number; resolvedFindings: number } };
    // Then functions became incomplete and nothing is called resolved
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/became incomplete: could not read lambda:GetPolicy \(AccessDeniedException\)/);
    expect(json.totals.becameIncomplete).toBeGreaterThan(0);
    expect(json.totals.resolvedFindings).toBe(0);
  });
});
