/**
 * The one entry point for exports: `saltzer report --format …` and the dashboard's export route
 * call `renderReport(await buildJsonReport(db, scan, { filter }), format)` (lib/queries/json-report.ts)
 * and write or send the body. The report carries the filter it was selected with.
 */
import type { PolicyDocument } from "@/lib/snapshot/types";
import { reportEntry, type JsonReport, type ReportEntry, type ReportFunction, type ReportHead, type ReportSource } from "./build-json-report";
import { csvWriter } from "./csv-report";
import { htmlWriter } from "./html-report";
import { piecesText, STREAMED_ARRAY, streamedJsonArray, writeAll, type ReportPiece, type ReportWriter, type StreamedItem } from "./report-writer";
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
  const shared = new SharedText();
  let count = 0;
  return {
    parts: "all",
    order: entries,
    begin: () => frame.before,
    write(fn) {
      count += 1;
      return shared.pieces(frame.itemParts(shared.withTokens(fn)));
    },
    end: () => `${frame.after(count)}\n`,
  };
}

/**
 * Most of a JSON report's bytes repeat: a managed policy document on thousands of roles, a
 * permission set's services and data stores in the blast radius of each of its functions, and a
 * role's recommended policy on each of the role's functions. The source hands the same object to
 * every function that shares it (lib/queries/json-report.ts), so each is serialized once, at the
 * depth it sits in a function record, and encoded once as UTF-8: the record is the text around
 * the tokens that stood for them, with those bytes in between. Joined, it is what JSON.stringify writes of the record.
 * (Splicing into one string would also make every record two-byte text as soon as it holds a "→".)
 */
class SharedText {
  private readonly bytes = new Map<number, WeakMap<object, Uint8Array>>();
  private readonly encoder = new TextEncoder();
  private pending: Uint8Array[] = [];
  // A token no snapshot text can forge: a string in a record that looked like one would be replaced.
  private readonly nonce = globalThis.crypto.randomUUID();
  private readonly pattern = new RegExp(`"\\\\u0000${this.nonce}:(\\d+)\\\\u0000"`, "g");

  /** The record with each shared value replaced by a token (key order unchanged). */
  withTokens(fn: ReportFunction): unknown {
    this.pending = [];
    const token = <T>(value: T, depth: number): T | string => {
      if (value === null || typeof value !== "object") return value;
      this.pending.push(this.serialized(value, depth));
      return `\u0000${this.nonce}:${this.pending.length - 1}\u0000`;
    };
    // Depths inside a function record that is an item of the report's `functions` (itself depth 2).
    return {
      ...fn,
      policies: fn.policies.map((p) => ({ ...p, document: token(p.document, 5) })),
      permissionsBoundary: fn.permissionsBoundary ? { ...fn.permissionsBoundary, document: token(fn.permissionsBoundary.document, 4) } : fn.permissionsBoundary,
      // A radius is often the function's own (its reach), its services and data stores its permission set's.
      blastRadius: fn.blastRadius ? { ...fn.blastRadius, services: token(fn.blastRadius.services, 4), dataStores: token(fn.blastRadius.dataStores, 4) } : fn.blastRadius,
      recommendedPolicy: token(fn.recommendedPolicy, 3),
    };
  }

  /** The serialized record: its text with the shared values' bytes in place of their tokens. */
  pieces({ head, text, start, end }: StreamedItem): ReportPiece[] {
    const out: ReportPiece[] = [head];
    let last = start;
    if (this.pending.length > 0) {
      // Searched in JSON.stringify's own string (tokens never straddle the item's end).
      this.pattern.lastIndex = start;
      for (let m = this.pattern.exec(text); m && m.index < end; m = this.pattern.exec(text)) {
        out.push(text.slice(last, m.index), this.pending[Number(m[1])]);
        last = m.index + m[0].length;
      }
    }
    out.push(text.slice(last, end));
    return out;
  }

  /** JSON.stringify of the value as it reads nested `depth` levels deep (indented 2 × depth), as UTF-8. */
  private serialized(value: object, depth: number): Uint8Array {
    let byValue = this.bytes.get(depth);
    if (!byValue) this.bytes.set(depth, (byValue = new WeakMap()));
    let bytes = byValue.get(value);
    if (bytes === undefined) {
      let wrapped: unknown = value;
      for (let i = 0; i < depth; i++) wrapped = [wrapped];
      const full = JSON.stringify(wrapped, null, 2);
      // The wrapping arrays' brackets and indentation: `depth` opening lines before, closing lines after.
      const before = wrapPrefix(depth);
      bytes = this.encoder.encode(full.slice(before, full.length - (before - depth * 2)));
      byValue.set(value, bytes);
    }
    return bytes;
  }
}

/** How many characters `depth` wrapping arrays put before their innermost item in JSON.stringify(…, null, 2). */
function wrapPrefix(depth: number): number {
  let wrapped: unknown = 0;
  for (let i = 0; i < depth; i++) wrapped = [wrapped];
  return JSON.stringify(wrapped, null, 2).indexOf("0");
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
  const begin = writer.begin();
  if (typeof begin === "string") yield begin;
  else yield* begin;
  let batch = "";
  let i = 0;
  // The source yields the records of writer.order, in that order.
  for await (const fn of source.functions(writer.order, writer.parts)) {
    batch += piecesText(writer.write(fn, writer.order[i++]));
    // Fewer, larger pieces: each one is a write to a socket or file.
    if (batch.length >= 1 << 16) {
      yield batch;
      batch = "";
    }
  }
  yield batch + writer.end();
}

/**
 * `streamReport` as UTF-8 chunks of about 64 KiB, for a socket or a file: fragments the writer
 * encoded once (shared by many functions) are copied in as bytes, not encoded again per function.
 */
export async function* streamReportBytes(source: ReportSource, format: ReportFormat): AsyncGenerator<Uint8Array> {
  const writer = reportWriter(format, source.head, source.entries);
  const batch = new ByteBatch();
  const begin = writer.begin();
  // The first text at once (the download starts), the rest of what precedes the functions in chunks.
  let first = true;
  for (const text of typeof begin === "string" ? [begin] : begin) {
    batch.add(text);
    if (first || batch.size >= 1 << 16) yield batch.take();
    first = false;
  }
  if (batch.size > 0) yield batch.take();
  let i = 0;
  for await (const fn of source.functions(writer.order, writer.parts)) {
    batch.add(writer.write(fn, writer.order[i++]));
    if (batch.size >= 1 << 16) yield batch.take();
  }
  batch.add(writer.end());
  yield batch.take();
}

/**
 * Pieces gathered into one UTF-8 chunk: each text is encoded straight into the chunk and bytes are
 * copied in, so no text is joined first (a long joined text is flattened, and turns two bytes a
 * character when any piece holds a character past Latin-1, before it is encoded again).
 */
class ByteBatch {
  private buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
  /** Bytes so far. */
  size = 0;

  add(pieces: string | readonly ReportPiece[]): void {
    if (typeof pieces === "string") this.addOne(pieces);
    else for (const p of pieces) this.addOne(p);
  }

  /** A copy of the chunk (a shared fragment is never handed out, so nothing can detach or change it); the batch starts over. */
  take(): Uint8Array {
    const out = Buffer.allocUnsafeSlow(this.size);
    this.buffer.copy(out, 0, 0, this.size);
    this.size = 0;
    return out;
  }

  private addOne(p: ReportPiece): void {
    // At most three bytes per UTF-16 unit: the exact length is only counted when that might not fit.
    const room = this.buffer.length - this.size;
    const needed = typeof p === "string" ? (p.length * 3 <= room ? 0 : Buffer.byteLength(p)) : p.byteLength;
    if (needed > room) this.grow(needed);
    if (typeof p === "string") this.size += this.buffer.write(p, this.size, "utf8");
    else {
      this.buffer.set(p, this.size);
      this.size += p.byteLength;
    }
  }

  private grow(needed: number): void {
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.size + needed));
    this.buffer.copy(bigger, 0, 0, this.size);
    this.buffer = bigger;
  }
}

/** A chunk's usual size: pieces are added until a chunk holds this much, then it is handed out. */
const BATCH_BYTES = 1 << 17;

export function reportContentType(format: ReportFormat): string {
  return CONTENT_TYPES[format];
}

/** `saltzer-scan-12.sarif`: a download name for Content-Disposition or the CLI's default output. */
export function reportFileName(report: Pick<JsonReport, "scan">, format: ReportFormat): string {
  // Every format's extension is its name.
  return `saltzer-scan-${report.scan.id}.${format}`;
}
