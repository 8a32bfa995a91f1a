/**
 * Reports are written in three parts so they can stream: what precedes the functions (known from
 * the report's head and entries), one piece per function (in the order the format wants), and
 * what follows. `renderReport` joins the parts of an in-memory report; `streamReport` yields them
 * while the functions are read from the store page by page. Both give the same bytes.
 */
import type { ReportEntry, ReportFunction, ReportParts } from "./build-json-report";

/**
 * A piece of a report: text, or text already encoded as UTF-8 — a fragment many functions share,
 * encoded once and sent as it is (render-report.ts `streamReportBytes`).
 */
export type ReportPiece = string | Uint8Array;

const decoder = new TextDecoder();

/** The text of a function's pieces. */
export function piecesText(pieces: string | readonly ReportPiece[]): string {
  if (typeof pieces === "string") return pieces;
  let out = "";
  for (const p of pieces) out += typeof p === "string" ? p : decoder.decode(p);
  return out;
}

export interface ReportWriter {
  /** The parts of each record the writer reads. */
  parts: ReportParts;
  /** The entries whose full records the writer needs, in the order it writes them. */
  order: readonly ReportEntry[];
  /** What precedes the functions: one text, or several to send as they are made (the HTML report's table of functions). */
  begin(): string | Iterable<string>;
  write(fn: ReportFunction, entry: ReportEntry): string | ReportPiece[];
  end(): string;
}

const SENTINEL = "\u0000streamed\u0000";

/** Marks where a streamed array goes in a value passed to `streamedJsonArray`. */
export const STREAMED_ARRAY: unknown = SENTINEL;

/**
 * An item as `streamedJsonArray`'s `item` writes it, in two parts: `head` (the separator and
 * indentation), then `text` from `start` to `end`. `text` is JSON.stringify's own string, not a
 * joined copy: a caller that searches it (render-report.ts SharedText) reads it in place, where a
 * joined string would first be copied whole (a 10,000-function JSON export allocated
 * 1,768 MB so, 1,540 MB in place).
 */
export interface StreamedItem {
  head: string;
  text: string;
  start: number;
  end: number;
}

/**
 * `JSON.stringify(value, null, 2)` cut where `STREAMED_ARRAY` stands, with a writer for the
 * array's items: the joined parts equal `JSON.stringify` of the value with the array in place.
 */
export function streamedJsonArray(value: unknown): { before: string; item: (item: unknown) => string; itemParts: (item: unknown) => StreamedItem; after: (count: number) => string } {
  const text = JSON.stringify(value, null, 2);
  const marker = JSON.stringify(SENTINEL);
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) throw new Error("streamedJsonArray: the value must hold STREAMED_ARRAY exactly once");
  const lineStart = text.lastIndexOf("\n", at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  const inner = `${indent}  `;
  // An item nested in as many arrays as its depth comes out of JSON.stringify already indented:
  // cutting the arrays' brackets off is cheaper than re-indenting a large text line by line.
  const depth = inner.length / 2;
  const wrap = (item: unknown) => {
    let v = item;
    for (let i = 0; i < depth; i++) v = [v];
    return v;
  };
  const open = JSON.stringify(wrap(0), null, 2).indexOf("0");
  let first = true;
  const itemParts = (item: unknown): StreamedItem => {
    const nested = JSON.stringify(wrap(item), null, 2);
    const head = `${first ? "[" : ","}\n${inner}`;
    first = false;
    return { head, text: nested, start: open, end: nested.length - open + inner.length };
  };
  return {
    before: text.slice(0, at),
    item(item) {
      const { head, text: nested, start, end } = itemParts(item);
      return head + nested.slice(start, end);
    },
    itemParts,
    after: (count) => `${count === 0 ? "[]" : `\n${indent}]`}${text.slice(at + marker.length)}`,
  };
}

/** A writer's `begin` as one text. */
export function beginText(writer: ReportWriter): string {
  const begin = writer.begin();
  return typeof begin === "string" ? begin : [...begin].join("");
}

/** The joined parts of a writer over an in-memory list of functions (entries[i] describes functions[i]). */
export function writeAll(writer: ReportWriter, entries: readonly ReportEntry[], functions: readonly ReportFunction[]): string {
  const full = new Map(entries.map((e, i) => [e, functions[i]]));
  let out = beginText(writer);
  for (const entry of writer.order) out += piecesText(writer.write(full.get(entry)!, entry));
  return out + writer.end();
}
