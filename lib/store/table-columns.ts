/** A table's columns as the database has them, for statements that copy rows column by column. */
import type { SqlRunner } from "./db";

/** The columns of `table` but those in `except`, in table order; throws when the table has none. */
export async function tableColumns(db: SqlRunner, table: string, except: readonly string[]): Promise<string[]> {
  const rows = await db.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND table_name = $1 AND NOT (column_name = ANY($2::text[])) ORDER BY ordinal_position`,
    [table, except],
  );
  if (rows.length === 0) throw new Error(`No columns found for table ${table}.`);
  return rows.map((r) => r.column_name);
}
