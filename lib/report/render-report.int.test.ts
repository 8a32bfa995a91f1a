import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { buildJsonReport, type JsonReport } from "./build-json-report";
import { filterReport } from "./filter-report";
import { renderReport, REPORT_FORMATS } from "./render-report";
import { toSarif } from "./sarif-report";
import { validateJsonSchema } from "./validate-json-schema";
import { sarifSchemaForAjv } from "./report-fixtures";

const LIST_FUNCTIONS = "samples/acme/accounts/222222222222/regions/us-east-1/lambda/list-functions.json";

describe("report exports of the analysed sample scan", () => {
  let t: TestDatabase;
  let stored: JsonReport;
  let suppressedFingerprint: string;

  beforeAll(async () => {
    t = await freshPglite();
    const { scanId } = await scanSnapshotDir(t.db, "samples/acme", { now: "2026-11-01T00:00:00.000Z" });
    const first = await buildJsonReport(t.db, scanId);
    // One suppression, so "unsuppressed" differs from "all".
    suppressedFingerprint = first.functions.flatMap((f) => f.findings)[0].fingerprint;
    await t.db.prisma.suppression.create({ data: { fingerprint: suppressedFingerprint, reason: "Reviewed: accepted for the sample" } });
    stored = await buildJsonReport(t.db, scanId);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("renders SARIF that the official 2.1.0 schema accepts, with every rule and every unsuppressed finding", () => {
    // Given the stored report, filtered with the defaults
    const report = filterReport(stored);
    // When it is rendered as SARIF
    const log = toSarif(report);
    // Then it is schema-valid, lists the catalogue, and has one result per unsuppressed finding
    const validation = validateJsonSchema(sarifSchemaForAjv(), log);
    expect(validation.errors).toEqual([]);
    const unsuppressed = stored.functions.flatMap((f) => f.findings).filter((f) => !f.suppressed);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULE_CATALOGUE.length);
    expect(log.runs[0].results).toHaveLength(unsuppressed.length);
    expect(log.runs[0].results.some((r) => r.partialFingerprints["saltzerFingerprint/v1"] === suppressedFingerprint)).toBe(false);
  });

  it("renders one CSV row per finding plus the header", () => {
    // Given the stored report with suppressed findings kept
    const report = filterReport(stored, { includeSuppressed: true });
    // When it is rendered as CSV
    const lines = renderReport(report, "csv").body.split("\r\n").filter((l) => /^\d+,/.test(l));
    // Then each finding has its row (the sample's reasons hold no line breaks)
    expect(lines).toHaveLength(stored.functions.reduce((n, f) => n + f.findings.length, 0));
  });

  it("renders HTML naming every function, without scripts", () => {
    // Given the stored report
    // When it is rendered as HTML
    const html = renderReport(filterReport(stored), "html").body;
    // Then every function is named and there is no script element
    for (const fn of stored.functions) expect(html).toContain(fn.name);
    expect(html).not.toMatch(/<script/i);
  });

  it("never contains the secret values of payments-processor's environment, in any format", () => {
    // Given the environment values the sample's payments-processor was deployed with
    const listed = JSON.parse(fs.readFileSync(LIST_FUNCTIONS, "utf8")) as { Functions: { FunctionName: string; Environment?: { Variables: Record<string, string> } }[] };
    const variables = listed.Functions.find((f) => f.FunctionName === "payments-processor")!.Environment!.Variables;
    const secrets = [variables.DB_PASSWORD, variables.STRIPE_SECRET_KEY];
    expect(secrets.every((s) => typeof s === "string" && s.length > 8)).toBe(true);
    // When the report is rendered in every format, suppressed findings included
    const bodies = REPORT_FORMATS.map((format) => renderReport(filterReport(stored, { includeSuppressed: true }), format).body);
    // Then no body contains any of them
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret);
  });

  it("keeps the JSON report valid against its schema after filtering", () => {
    // Given the report schema
    const schema = JSON.parse(fs.readFileSync("schemas/report.schema.json", "utf8")) as object;
    // When the report is filtered to one account at high severity and rendered as JSON
    const body = renderReport(filterReport(stored, { account: "222222222222", severity: "high" }), "json").body;
    // Then it still validates
    expect(validateJsonSchema(schema, JSON.parse(body)).errors).toEqual([]);
  });

  it("leaves the stored summary as it was when nothing is filtered out", () => {
    // Given the stored report
    // When it is filtered with suppressed findings kept and no other filter
    const out = filterReport(stored, { includeSuppressed: true });
    // Then the recomputed summary equals the stored one, including the suppressed count
    expect(out.summary).toEqual(stored.summary);
    expect(out.summary.suppressedFindings).toBe(1);
  });
});
