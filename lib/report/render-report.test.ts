import { describe, expect, it } from "vitest";
import { isReportFormat, renderReport, reportFileName, REPORT_FORMATS } from "./render-report";
import { jsonReport, reportFinding, reportFunction } from "./report-fixtures";

const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding()] })], 3);

describe("renderReport", () => {
  it.each([
    ["json", "application/json; charset=utf-8", "json"],
    ["csv", "text/csv; charset=utf-8", "csv"],
    ["sarif", "application/sarif+json; charset=utf-8", "sarif"],
    ["html", "text/html; charset=utf-8", "html"],
  ] as const)("renders %s with its content type and extension", (format, contentType, extension) => {
    // Given a report
    // When it is rendered in the format
    const out = renderReport(report, format);
    // Then the body is non-empty and typed for download
    expect(out.body.length).toBeGreaterThan(0);
    expect(out).toMatchObject({ contentType, extension });
  });

  it("renders JSON that reads back as the same report", () => {
    // Given a report
    // When it is rendered as JSON
    const body = renderReport(report, "json").body;
    // Then parsing it gives the report back
    expect(JSON.parse(body)).toEqual(report);
  });

  it("names the download after the scan and format", () => {
    // Given scan 3
    // When a SARIF file name is asked for
    // Then it carries both
    expect(reportFileName(report, "sarif")).toBe("saltzer-scan-3.sarif");
  });

  it("recognises exactly the four formats", () => {
    // Given the known formats and a stranger
    // When each is checked
    // Then only the four are accepted
    expect(REPORT_FORMATS.every(isReportFormat)).toBe(true);
    expect(isReportFormat("pdf")).toBe(false);
  });
});
