/**
 * The text search's index of a scan's findings, built as the findings are written (on the
 * analysis worker) instead of from their stored JSON afterwards. A finding's search lines are its
 * actions and resources, lower-cased; each distinct line is a term, each distinct set of lines a
 * text. Ids are content hashes (searchId): a term or a set has the same id in every scan, so the
 * terms and sets are stored once for every scan (search_terms and search_text_terms have no scan
 * id; a scan's index is the sets its findings name), and an incremental rescan copies the reused
 * findings' ids with their rows and nothing else. A 64-bit hash makes a collision among the few
 * million distinct terms a data directory could hold negligible (about one in 10^5 at 10^7 terms).
 *
 * The SQL that derives the same index for scans stored before it (scan-page-data.ts) computes
 * the same ids: SEARCH_ID_SQL.
 */
import crypto from "node:crypto";

/** A term's or a text's id: the first 8 bytes of the MD5 of its text, as a signed 64-bit integer in decimal. */
export function searchId(text: string): string {
  return BigInt.asIntN(64, BigInt(`0x${crypto.hash("md5", text).slice(0, 16)}`)).toString();
}

/** searchId in SQL, of a text expression. */
export const SEARCH_ID_SQL = (text: string) => `('x' || left(md5(${text}), 16))::bit(64)::bigint`;

/** A text's lines, sorted, are joined by a line break (chr(10) in SQL) to hash them: no action or ARN holds one. */
const SEARCH_LINE_SEPARATOR = "\n";

/** The rows a finding brings to the index: its text id, and the terms and texts not yet handed out by this scan. */
export interface SearchRows {
  textId: string | null;
  terms: { id: string; term: string }[];
  textTerms: { termId: string; textId: string }[];
}

/** One scan's index as it is written: remembers which terms and texts it has already handed out. */
export class FindingSearchIndex {
  private termIds = new Map<string, string>();
  private texts = new Set<string>();
  /**
   * Text ids by the lists they were made from: the functions of a role share their findings'
   * lists (lib/rules/index.ts hands each the same arrays), so each pair is read once per scan.
   */
  private byLists = new WeakMap<object, Map<object, string | null>>();

  /** The finding's text (null when it names no action or resource) and the rows it adds to the scan's index. */
  add(actions: readonly unknown[] | null | undefined, resources: readonly unknown[] | null | undefined): SearchRows {
    const outer = Array.isArray(actions) ? actions : NO_LIST;
    const inner = Array.isArray(resources) ? resources : NO_LIST;
    let seen = this.byLists.get(outer);
    const known = seen?.get(inner);
    // Seen before: its text and terms were handed out then.
    if (known !== undefined) return { textId: known, terms: [], textTerms: [] };
    if (!seen) this.byLists.set(outer, (seen = new Map()));
    const rows = this.rowsOf(actions, resources);
    seen.set(inner, rows.textId);
    return rows;
  }

  private rowsOf(actions: readonly unknown[] | null | undefined, resources: readonly unknown[] | null | undefined): SearchRows {
    const lines = new Set<string>();
    for (const list of [actions, resources]) if (Array.isArray(list)) for (const v of list) lines.add(searchLine(v));
    if (lines.size === 0) return { textId: null, terms: [], textTerms: [] };
    const sorted = [...lines].sort();
    const textId = searchId(sorted.join(SEARCH_LINE_SEPARATOR));
    const rows: SearchRows = { textId, terms: [], textTerms: [] };
    if (this.texts.has(textId)) return rows;
    this.texts.add(textId);
    for (const term of sorted) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = searchId(term);
        this.termIds.set(term, id);
        rows.terms.push({ id, term });
      }
      rows.textTerms.push({ termId: id, textId });
    }
    return rows;
  }
}

/** Stands for a missing list in FindingSearchIndex's memo. */
const NO_LIST: object = Object.freeze([]);

/** A search line: the lower-cased text of one element (as jsonb_array_elements_text reads a non-string one). */
function searchLine(value: unknown): string {
  return (typeof value === "string" ? value : JSON.stringify(value)).toLowerCase();
}
