/**
 * Rows read as one text each, for the exports' page reads (lib/queries/json-report.ts).
 *
 * PGlite copies and decodes every field of every row on its own, and parses every JSON column
 * into objects: at 50,000 findings the fields, not the rows, were the cost, and most JSON values
 * recur (a role's blast radius on each of its functions). So the scalars of a row come as one
 * JSON array and each JSON column as its stored text, joined with a separator no JSON text holds
 * (U+001E: JSON escapes it inside strings and allows no such whitespace); a reader decodes a
 * JSON text once per distinct value (`TextIntern`).
 */

const SEPARATOR = "\u001e";

/**
 * The select list of a packed row: `scalars` (SQL expressions, read back as JSON values) and
 * `json` (JSON columns, read back as their text; SQL NULL reads as `null`), aliased `packed`.
 */
export function packedColumns(scalars: readonly string[], json: readonly string[] = []): string {
  return `json_build_array(${scalars.join(", ")})::text${json.map((c) => ` || E'\\x1e' || COALESCE((${c})::text, 'null')`).join("")} AS packed`;
}

/** A packed row's scalars (in `packedColumns` order) and its JSON columns' texts. */
export function unpackRow(packed: string): { scalars: unknown[]; json: string[] } {
  const [head, ...json] = packed.split(SEPARATOR);
  return { scalars: JSON.parse(head) as unknown[], json };
}

/**
 * Decoded values by their stored text: the same text decodes once and comes back as the same
 * object, which lets a writer render each distinct value once (render-report.ts, html-report.ts).
 * Bounded by the characters of text it holds: past `budget` it starts over, so memory stays flat
 * on any organization (rows sharing a value sit close together in report order: one account's).
 */
export class TextIntern<V> {
  private readonly values = new Map<string, V>();
  private chars = 0;

  constructor(private readonly budget: number) {}

  get(text: string, decode: (text: string) => V): V {
    const known = this.values.get(text);
    if (known !== undefined || this.values.has(text)) return known as V;
    const value = decode(text);
    if (this.chars + text.length > this.budget) {
      this.values.clear();
      this.chars = 0;
    }
    this.values.set(text, value);
    this.chars += text.length;
    return value;
  }
}
