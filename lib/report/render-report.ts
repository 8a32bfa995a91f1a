/**
 * The one entry point for exports: `saltzer report --format …` and the dashboard's export route
 * call `renderReport(await buildJsonReport(db, scan, { filter }), format)` (lib/queries/json-report.ts)
 * and write or send the body. The report carries the filter it was selected with.
 */
import { reportEntry, type JsonReport, type ReportEntry, type ReportHead, type ReportSource } from "./build-json-report";
import { csvWriter } from "./csv-report";
import { htmlWriter } from "./html-report";
import { STREAMED_ARRAY, streamedJsonArray, writeAll, type ReportWriter } from "./report-writer";
import { sarifWriter } from "./sarif-report";

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

const CONTENT_TYPES: Record<ReportFormat, string> = {
  json: "application/json; charset=utf-8",
  csv: "text/csv; charset=utf-8",
  sarif: "application/sarif+json; charset=utf-8",
  html: "text/html; charset=utf-8",
};

/** The JSON report in parts: `JSON.stringify(report, null, 2)` with its functions streamed. */
function jsonWriter(head: ReportHead, entries: readonly ReportEntry[]): ReportWriter {
  const frame = streamedJsonArray({ ...head, functions: STREAMED_ARRAY });
  let count = 0;
  return {
    parts: "all",
    order: entries,
    begin: () => frame.before,
    write(fn) {
      count += 1;
      return frame.item(fn);
    },
    end: () => `${frame.after(count)}\n`,
  };
}

/** The one writer per format. */
export function reportWriter(format: ReportFormat, head: ReportHead, entries: readonly ReportEntry[]): ReportWriter {
  switch (format) {
    case "json":
      return jsonWriter(head, entries);
    case "csv":
      return csvWriter(head, entries);
    case "sarif":
      return sarifWriter(head, entries);
    case "html":
      return htmlWriter(head, entries);
    default: {
      const unknown: never = format;
      throw new Error(`Unknown report format "${String(unknown)}"; use one of ${REPORT_FORMATS.join(", ")}.`);
    }
  }
}

export function renderReport(report: JsonReport, format: ReportFormat): RenderedReport {
  const { functions, ...head } = report;
  const entries = functions.map(reportEntry);
  return { body: writeAll(reportWriter(format, head, entries), entries, functions), contentType: CONTENT_TYPES[format], extension: format };
}

/**
 * The report as text pieces, written while its functions are read page by page: the first piece
 * (the head, summary and, for HTML, the table of functions) before any function record is read.
 */
export async function* streamReport(source: ReportSource, format: ReportFormat): AsyncGenerator<string> {
  const writer = reportWriter(format, source.head, source.entries);
  yield writer.begin();
  let batch = "";
  let i = 0;
  // The source yields the records of writer.order, in that order.
  for await (const fn of source.functions(writer.order, writer.parts)) {
    batch += writer.write(fn, writer.order[i++]);
    // Fewer, larger pieces: each one is a write to a socket or file.
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = "";
    }
  }
  yield batch + writer.end();
}

export function reportContentType(format: ReportFormat): string {
  return CONTENT_TYPES[format];
}

/** `saltzer-scan-12.sarif`: a download name for Content-Disposition or the CLI's default output. */
export function reportFileName(report: Pick<JsonReport, "scan">, format: ReportFormat): string {
  // Every format's extension is its name.
  return `saltzer-scan-${report.scan.id}.${format}`;
}
