/**
 * Action names in AWS's spelling on every report format: the analysis compares them lower-cased,
 * the reports (built through lib/queries) show `dynamodb:GetItem`, never `dynamodb:getitem`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { renderReport } from "@/lib/report/render-report";
import type { JsonReport } from "@/lib/report/build-json-report";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { actionInfo } from "@/lib/analysis/recommend/action-catalog";
import { buildJsonReport } from "./json-report";

/** Every `service:action` a text names that AWS spells differently (ARNs and condition keys excluded). */
function misspelled(text: string): string[] {
  const found = text.match(/(?<![\w:/-])[a-z0-9-]+:[A-Za-z0-9*?]+(?![\w:/-])/g) ?? [];
  // Checked against iam-data directly, not through the formatter under test.
  return [...new Set(found.filter((a) => !/[*?]/.test(a) && actionInfo(a) !== null && a.slice(a.indexOf(":") + 1) !== actionInfo(a)!.name))];
}

describe("action names in reports", () => {
  let t: TestDatabase;
  let report: JsonReport;

  beforeAll(async () => {
    t = await freshPglite();
    const { scanId } = await scanSnapshotDir(t.db, "samples/acme", { now: "2026-11-01T00:00:00.000Z" });
    report = await buildJsonReport(t.db, scanId);
  }, 300_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it("names actions in findings, blast radius, escalation paths and risk explanations as AWS spells them", () => {
    // Given the sample's report (its analysis lower-cases every action)
    const shown = report.functions.map((f) => ({ findings: f.findings.map((x) => ({ title: x.title, reason: x.reason, actions: x.actions, escalation: x.escalation })), blastRadius: f.blastRadius, risk: f.risk }));
    // Then no action it shows is spelled otherwise than AWS spells it
    expect(misspelled(JSON.stringify(shown))).toEqual([]);
    // And a well-known one appears in AWS's spelling
    expect(JSON.stringify(shown)).toContain("s3:PutObject");
  });

  it.each(["csv", "sarif", "html"] as const)("renders the %s report with AWS's spelling", (format) => {
    // When the report is rendered (policy documents are the account's own text and are left as written)
    const body = renderReport({ ...report, functions: report.functions.map((f) => ({ ...f, policies: [], permissionsBoundary: null, resourcePolicy: null, recommendedPolicy: null })) }, format).body;
    // Then every action it names is in AWS's spelling
    expect(misspelled(body)).toEqual([]);
    expect(body).toContain("s3:PutObject");
  });
});
