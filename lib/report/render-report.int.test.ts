import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { buildJsonReport, openJsonReport } from "@/lib/queries/json-report";
import type { ViewFilter } from "@/lib/queries/view-filter";
import type { JsonReport } from "./build-json-report";
import { renderReport, REPORT_FORMATS, streamReportBytes } from "./render-report";
import { toSarif } from "./sarif-report";
import { validateJsonSchema } from "./validate-json-schema";
import { sarifSchemaForAjv } from "./report-fixtures";

const LIST_FUNCTIONS = "samples/acme/accounts/222222222222/regions/us-east-1/lambda/list-functions.json";

describe("report exports of the analysed sample scan", () => {
  let t: TestDatabase;
  let stored: JsonReport;
  let suppressedFingerprint: string;
  let scan: number;
  const report = (filter: ViewFilter = {}) => buildJsonReport(t.db, scan, { filter });

  beforeAll(async () => {
    t = await freshPglite();
    const { scanId } = await scanSnapshotDir(t.db, "samples/acme", { now: "2026-11-01T00:00:00.000Z" });
    scan = scanId;
    const first = await buildJsonReport(t.db, scanId);
    // One suppression, so "unsuppressed" differs from "all".
    suppressedFingerprint = first.functions.flatMap((f) => f.findings)[0].fingerprint;
    await t.db.prisma.suppression.create({ data: { fingerprint: suppressedFingerprint, reason: "Reviewed: accepted for the sample" } });
    stored = await buildJsonReport(t.db, scanId, { filter: { suppressed: "include" } });
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("renders SARIF that the official 2.1.0 schema accepts, with every rule and every unsuppressed finding", async () => {
    // Given the stored report, with the default filter
    // When it is rendered as SARIF
    const log = toSarif(await report());
    // Then it is schema-valid, lists the catalogue, and has one result per unsuppressed finding
    const validation = validateJsonSchema(sarifSchemaForAjv(), log);
    expect(validation.errors).toEqual([]);
    const unsuppressed = stored.functions.flatMap((f) => f.findings).filter((f) => !f.suppressed);
    expect(log.runs[0].tool.driver.rules).toHaveLength(RULE_CATALOGUE.length);
    expect(log.runs[0].results).toHaveLength(unsuppressed.length);
    expect(log.runs[0].results.some((r) => r.partialFingerprints["saltzerFingerprint/v1"] === suppressedFingerprint)).toBe(false);
  });

  it("streams from the store, page by page, exactly what the whole report renders, in every format", async () => {
    // Each format reads only the parts it prints (ReportParts): what it prints must not change.
    let compared = 0;
    for (const filter of [{}, { suppressed: "include" }, { severity: "high" }] as ViewFilter[]) {
      const whole = await report(filter);
      for (const format of REPORT_FORMATS) {
        const source = await openJsonReport(t.db, scan, { filter, pageSize: 3 });
        source.head.generatedAt = whole.generatedAt;
        const decoder = new TextDecoder();
        let streamed = "";
        for await (const chunk of streamReportBytes(source, format)) streamed += decoder.decode(chunk, { stream: true });
        expect(streamed, `${format} ${JSON.stringify(filter)}`).toBe(renderReport(whole, format).body);
        compared += 1;
      }
    }
    expect(compared).toBe(3 * REPORT_FORMATS.length);
  });

  it("renders one CSV row per finding plus the header", () => {
    // Given the stored report with suppressed findings kept
    // When it is rendered as CSV
    const lines = renderReport(stored, "csv").body.split("\r\n").filter((l) => /^\d+,/.test(l));
    // Then each finding has its row (the sample's reasons hold no line breaks)
    expect(lines).toHaveLength(stored.functions.reduce((n, f) => n + f.findings.length, 0));
  });

  it("renders HTML naming every function, without scripts", async () => {
    // Given the stored report
    // When it is rendered as HTML
    const html = renderReport(await report(), "html").body;
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
    const bodies = REPORT_FORMATS.map((format) => renderReport(stored, format).body);
    // Then no body contains any of them
    for (const body of bodies) for (const secret of secrets) expect(body).not.toContain(secret);
  });

  it("keeps the JSON report valid against its schema after filtering", async () => {
    // Given the report schema
    const schema = JSON.parse(fs.readFileSync("schemas/report.schema.json", "utf8")) as object;
    // When the report is filtered to one account at high severity and rendered as JSON
    const body = renderReport(await report({ account: "222222222222", severity: "high" }), "json").body;
    // Then it still validates
    expect(validateJsonSchema(schema, JSON.parse(body)).errors).toEqual([]);
  });

  it("counts the suppressed finding in the summary whether or not it is listed", async () => {
    // Given the report with suppressed findings hidden (the default) and shown
    const hidden = await report();
    // Then both count one suppressed finding, and only the second lists it
    expect(hidden.summary.suppressedFindings).toBe(1);
    expect(stored.summary.suppressedFindings).toBe(1);
    expect(hidden.functions.flatMap((f) => f.findings).some((f) => f.suppressed)).toBe(false);
    expect(stored.functions.flatMap((f) => f.findings).filter((f) => f.suppressed)).toHaveLength(1);
    expect(hidden.summary.findingsBySeverity).toEqual(stored.summary.findingsBySeverity);
  });
});
