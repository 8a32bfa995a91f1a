import { describe, expect, it } from "vitest";
import type { Severity } from "@/lib/analysis/types";
import { diffScanViews, formatDiff } from "./diff-scans";
import type { ScanView, ViewFinding, ViewFunction } from "./scan-view";

const finding = (ruleId: string, severity: Severity, fingerprint: string, reason = "why"): ViewFinding => ({
  id: null,
  ruleId,
  category: ruleId,
  severity,
  title: ruleId,
  reason,
  fingerprint,
  suppressed: false,
  suppression: null,
  expiredSuppression: null,
});
const fn = (name: string, over: Partial<ViewFunction> = {}): ViewFunction => ({
  name,
  arn: `arn:aws:lambda:us-east-1:222222222222:function:${name}`,
  accountId: "222222222222",
  accountName: null,
  region: "us-east-1",
  runtime: "nodejs20.x",
  roleArn: "arn:aws:iam::222222222222:role/r",
  policyCount: 1,
  hasSecrets: false,
  sharedRole: false,
  riskScore: 20,
  severity: "medium",
  worstFinding: null,
  risk: null,
  isPublic: false,
  incomplete: [],
  findings: [],
  ...over,
});
const view = (scanId: number, functions: ViewFunction[], gaps: ScanView["gaps"] = []): ScanView => ({ scanId, functions, accounts: [], gaps });

describe("diffScanViews", () => {
  it("shows a finding whose actions changed as changed (old → new), not as new and resolved", () => {
    // Given the same rule on the same function with another fingerprint and severity
    const a = view(1, [fn("api", { findings: [finding("data-store-read-all", "medium", "a".repeat(32), "reads table t1")] })]);
    const b = view(2, [fn("api", { findings: [finding("data-store-read-all", "high", "b".repeat(32), "reads every table")] })]);
    // When compared
    const d = diffScanViews(a, b);
    // Then one changed finding, nothing new or resolved
    expect(d.totals).toMatchObject({ newFindings: 0, resolvedFindings: 0, changedFindings: 1 });
    expect(d.changes[0].changedFindings[0].what).toContain("severity medium → high");
  });

  it("says 'no longer seen (incomplete data)' instead of 'resolved' when the later scan could not read the function", () => {
    // Given a public-invoke finding, then a scan where GetPolicy was denied for that function
    const a = view(1, [fn("status", { isPublic: true, riskScore: 31, findings: [finding("public-invoke", "high", "c".repeat(32))] })]);
    const b = view(2, [fn("status", { riskScore: 20, incomplete: [{ api: "lambda:GetPolicy", reason: "AccessDeniedException" }] })]);
    // When compared
    const d = diffScanViews(a, b);
    // Then nothing is resolved; the function became incomplete and its risk fell
    expect(d.totals).toMatchObject({ resolvedFindings: 0, unseenFindings: 1, becameIncomplete: 1, riskFell: 1, noLongerPublic: 1 });
    expect(formatDiff(d)).toMatch(/became incomplete: could not read lambda:GetPolicy \(AccessDeniedException\)/);
    expect(formatDiff(d)).toMatch(/no longer seen \(incomplete data\), not known to be resolved/);
  });

  it("lists every change without a cap", () => {
    // Given 700 functions that each gained a finding
    const a = view(1, Array.from({ length: 700 }, (_, i) => fn(`f${i}`)));
    const b = view(2, Array.from({ length: 700 }, (_, i) => fn(`f${i}`, { findings: [finding("shared-role", "low", String(i).padStart(32, "0"))] })));
    // When compared / Then all 700 new findings are there
    const d = diffScanViews(a, b);
    expect(d.totals.newFindings).toBe(700);
    expect(d.changes).toHaveLength(700);
  });
});
