/**
 * Typed, validated reads of JSON columns. Each stored JSON shape has one codec module beside this
 * one; a reader decodes a column once per row through it. A row that does not fit its shape fails
 * with an error naming the scan, table, column and row, instead of a crash deep inside a page.
 *
 * The value returned is the stored value itself (after validation), not zod's copy: exports print
 * it byte for byte, so keys keep their stored order and nothing unknown is dropped.
 */
import type { z } from "zod";

/** Which row a column value came from, for the error message. */
export interface RowRef {
  scanId: number | null;
  /** The row's natural key (a function ARN, a role ARN, a policy ARN …). */
  key?: string | number | null;
}

export class CorruptColumnError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
    readonly row: RowRef,
    detail: string,
  ) {
    const where = [row.scanId === null ? null : `scan ${row.scanId}`, `${table}.${column}`, row.key !== undefined && row.key !== null ? `row ${row.key}` : null].filter(Boolean).join(", ");
    super(`Corrupted stored data (${where}): ${detail}. Rescan to rewrite it.`);
    this.name = "CorruptColumnError";
  }
}

export interface ColumnCodec<T> {
  table: string;
  column: string;
  decode(value: unknown, row: RowRef): T;
  /** The value, or null when it does not fit (for data that can be recomputed instead). */
  safeDecode(value: unknown, row: RowRef): T | null;
}

/**
 * A codec for one column. `schema` checks the shape (loose objects: extra keys are kept); raw SQL
 * drivers may hand a `json` column over as text, so text is parsed first.
 */
export function jsonColumn<T>(table: string, column: string, schema: z.ZodType): ColumnCodec<T> {
  const codec: ColumnCodec<T> = {
    table,
    column,
    safeDecode(value, row) {
      try {
        return codec.decode(value, row);
      } catch (error) {
        if (error instanceof CorruptColumnError) return null;
        throw error;
      }
    },
    decode(value, row) {
      let parsed = value;
      if (typeof value === "string") {
        try {
          parsed = JSON.parse(value);
        } catch (error) {
          throw new CorruptColumnError(table, column, row, `not JSON (${(error as Error).message})`);
        }
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        const issue = result.error.issues[0];
        const at = issue.path.length ? ` at ${issue.path.join(".")}` : "";
        throw new CorruptColumnError(table, column, row, `${issue.message}${at}`);
      }
      return parsed as T;
    },
  };
  return codec;
}
