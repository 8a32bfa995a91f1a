import { describe, expect, it } from "vitest";
import { filterReport } from "./filter-report";
import { jsonReport, reportFinding, reportFunction } from "./report-fixtures";

const suppressed = reportFinding({ fingerprint: "s".repeat(32), suppressed: true, suppression: { reason: "accepted risk", expiresAt: null } });

describe("filterReport", () => {
  it("drops suppressed findings by default but keeps their count in the summary", () => {
    // Given a function with one active and one suppressed finding
    const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding(), suppressed] })]);
    // When the report is filtered with no options
    const out = filterReport(report);
    // Then only the active finding remains, and the summary counts the suppressed one
    expect(out.functions[0].findings.map((f) => f.suppressed)).toEqual([false]);
    expect(out.summary.suppressedFindings).toBe(1);
    expect(out.summary.findingsBySeverity.high).toBe(1);
  });

  it("keeps suppressed findings, still marked, when asked to", () => {
    // Given a function with a suppressed finding
    const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding(), suppressed] })]);
    // When suppressed findings are included
    const out = filterReport(report, { includeSuppressed: true });
    // Then both findings are there and the suppressed one says so
    expect(out.functions[0].findings.map((f) => f.suppressed)).toEqual([false, true]);
  });

  it("applies a minimum severity to findings and keeps a low-risk function only for a finding that reaches it", () => {
    // Given a low-risk function with a high and a medium finding, and a low-risk function with only a low finding
    const report = jsonReport([
      reportFunction({ name: "mixed", severity: "low", findings: [reportFinding({ severity: "high" }), reportFinding({ severity: "medium", fingerprint: "m".repeat(32) })] }),
      reportFunction({ name: "quiet", severity: "low", findings: [reportFinding({ severity: "low" })] }),
      reportFunction({ name: "risky", severity: "critical", findings: [] }),
    ]);
    // When the minimum severity is high
    const out = filterReport(report, { severity: "high" });
    // Then the high finding stays, the medium one goes, "quiet" is dropped and "risky" stays on its own severity
    expect(out.functions.map((f) => f.name)).toEqual(["mixed", "risky"]);
    expect(out.functions[0].findings.map((f) => f.severity)).toEqual(["high"]);
    expect(out.summary.findingsBySeverity).toEqual({ critical: 0, high: 1, medium: 0, low: 0, info: 0 });
  });

  it("keeps only the requested account, in the functions and in the scan's account list", () => {
    // Given functions in two accounts
    const report = jsonReport([reportFunction({ name: "a", accountId: "111111111111" }), reportFunction({ name: "b", accountId: "222222222222" })]);
    // When filtered by one account
    const out = filterReport(report, { account: "111111111111" });
    // Then only that account's function and account entry remain
    expect(out.functions.map((f) => f.name)).toEqual(["a"]);
    expect(out.scan.accounts.map((a) => a.accountId)).toEqual(["111111111111"]);
    expect(out.summary.accounts).toBe(1);
  });

  it("matches the search text against name and role ARN, ignoring case", () => {
    // Given two functions, one of whose role is named "Billing"
    const report = jsonReport([reportFunction({ name: "orders", roleArn: "arn:aws:iam::222222222222:role/Billing" }), reportFunction({ name: "search" })]);
    // When searching for "billing"
    const out = filterReport(report, { q: "  billing " });
    // Then the function with that role is kept
    expect(out.functions.map((f) => f.name)).toEqual(["orders"]);
  });

  it("keeps only functions with a finding of the category, and only those findings", () => {
    // Given one function with findings of two categories and one without findings
    const report = jsonReport([
      reportFunction({ name: "api", findings: [reportFinding(), reportFinding({ ruleId: "public-invoke", category: "public-invoke", fingerprint: "p".repeat(32) })] }),
      reportFunction({ name: "idle" }),
    ]);
    // When filtered by category public-invoke
    const out = filterReport(report, { category: "public-invoke" });
    // Then only that finding of that function remains
    expect(out.functions.map((f) => f.name)).toEqual(["api"]);
    expect(out.functions[0].findings.map((f) => f.ruleId)).toEqual(["public-invoke"]);
  });

  it("filters on the public and shared-role flags", () => {
    // Given a public function, a shared-role function and a plain one
    const report = jsonReport([reportFunction({ name: "pub", isPublic: true }), reportFunction({ name: "shared", sharedRole: true }), reportFunction({ name: "plain" })]);
    // When filtering for non-public functions with a shared role
    const out = filterReport(report, { public: false, sharedRole: true });
    // Then only the shared-role function remains
    expect(out.functions.map((f) => f.name)).toEqual(["shared"]);
  });

  it("leaves the input report untouched", () => {
    // Given a report with a suppressed finding
    const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding(), suppressed] })]);
    const before = structuredClone(report);
    // When it is filtered
    filterReport(report, { severity: "critical", account: "999999999999" });
    // Then the original is unchanged
    expect(report).toEqual(before);
  });
});
