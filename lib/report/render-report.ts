/**
 * The one entry point for exports: `saltzer report --format …` and the dashboard's export route
 * call `renderReport(await buildJsonReport(db, scan, { filter }), format)` (lib/queries/json-report.ts)
 * and write or send the body. The report carries the filter it was selected with.
 */
import type { JsonReport } from "./build-json-report";
import { toCsv } from "./csv-report";
import { toHtml } from "./html-report";
import { toSarif } from "./sarif-report";

export const REPORT_FORMATS = ["json", "csv", "sarif", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface RenderedReport {
  body: string;
  /** For an HTTP response's Content-Type. */
  contentType: string;
  /** File extension without the dot. */
  extension: string;
}

export function isReportFormat(value: string): value is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(value);
}

export function renderReport(report: JsonReport, format: ReportFormat): RenderedReport {
  switch (format) {
    case "json":
      return { body: `${JSON.stringify(report, null, 2)}\n`, contentType: "application/json; charset=utf-8", extension: "json" };
    case "csv":
      return { body: toCsv(report), contentType: "text/csv; charset=utf-8", extension: "csv" };
    case "sarif":
      return { body: `${JSON.stringify(toSarif(report), null, 2)}\n`, contentType: "application/sarif+json; charset=utf-8", extension: "sarif" };
    case "html":
      return { body: toHtml(report), contentType: "text/html; charset=utf-8", extension: "html" };
    default: {
      const unknown: never = format;
      throw new Error(`Unknown report format "${String(unknown)}"; use one of ${REPORT_FORMATS.join(", ")}.`);
    }
  }
}

/** `saltzer-scan-12.sarif`: a download name for Content-Disposition or the CLI's default output. */
export function reportFileName(report: JsonReport, format: ReportFormat): string {
  // Every format's extension is its name.
  return `saltzer-scan-${report.scan.id}.${format}`;
}
