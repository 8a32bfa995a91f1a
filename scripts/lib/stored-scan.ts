/**
 * Every row a scan stored, per table, in the order it was written, without ids: what an
 * incremental rescan and a full scan must agree on, and what a speed change must not alter.
 */
import type { Database } from "@/lib/store/db";

export const STORED_TABLES = ["accounts", "roles", "managed_policies", "event_source_mappings", "functions", "findings", "permission_sets", "role_reach", "role_recommendations", "edges"];

export async function storedScan(db: Database, scanId: number): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const table of STORED_TABLES) {
    const rows = await db.query<Record<string, unknown>>(`SELECT * FROM ${table} WHERE scan_id = $1 ORDER BY id`, [scanId]);
    // The search index's ids are compared through the terms they name (finding_search below).
    out[table] = rows.map(({ id: _id, scan_id: _scan, input_hash: _hash, search_text_id: _text, ...rest }) => JSON.stringify(rest));
  }
  const [scan] = await db.query<Record<string, unknown>>(`SELECT status, gaps, organization_id, account_count, function_count, finding_count, analyzed FROM scans WHERE id = $1`, [scanId]);
  out.scan = [JSON.stringify(scan)];
  // What the pages read instead of every row: the per-scan aggregates and the verdict copies.
  const [aggregates] = await db.query<{ data: unknown }>(`SELECT data FROM scan_aggregates WHERE scan_id = $1`, [scanId]);
  out.scan_aggregates = [JSON.stringify(aggregates?.data ?? null)];
  out.function_verdicts = (await db.query<Record<string, unknown>>(`SELECT * FROM function_verdicts WHERE scan_id = $1 ORDER BY arn`, [scanId])).map(({ scan_id: _scan, ...rest }) => JSON.stringify(rest));
  out.finding_verdicts = (await db.query<Record<string, unknown>>(`SELECT * FROM finding_verdicts WHERE scan_id = $1 ORDER BY id`, [scanId])).map(
    ({ id: _id, scan_id: _scan, search_text_id: _text, ...rest }) => JSON.stringify(rest),
  );
  // The text search's index (lib/store/finding-search-index.ts): each finding with a text, and its terms.
  out.finding_search = (
    await db.query<{ function_arn: string; terms: string[] }>(
      `SELECT s.function_arn, ARRAY(SELECT m.term FROM search_text_terms x JOIN search_terms m ON m.scan_id = x.scan_id AND m.id = x.term_id
                                    WHERE x.scan_id = $1 AND x.text_id = s.search_text_id ORDER BY m.term) AS terms
         FROM finding_verdicts s WHERE s.scan_id = $1 AND s.search_text_id IS NOT NULL ORDER BY s.id`,
      [scanId],
    )
  ).map((r) => JSON.stringify(r));
  // Every term and text of the index, no more (an incremental rescan copies only what its findings name).
  out.search_terms = (await db.query<{ term: string }>(`SELECT id::text || ' ' || term AS term FROM search_terms WHERE scan_id = $1 ORDER BY id`, [scanId])).map((r) => r.term);
  out.search_text_terms = (await db.query<{ link: string }>(`SELECT text_id::text || ' ' || term_id::text AS link FROM search_text_terms WHERE scan_id = $1 ORDER BY text_id, term_id`, [scanId])).map((r) => r.link);
  out.role_summaries = (await db.query<Record<string, unknown>>(`SELECT * FROM role_summaries WHERE scan_id = $1 ORDER BY arn`, [scanId])).map(({ scan_id: _scan, ...rest }) => JSON.stringify(rest));
  out.category_counts = (await db.query<Record<string, unknown>>(`SELECT * FROM category_counts WHERE scan_id = $1 ORDER BY category, severity`, [scanId])).map(({ scan_id: _scan, ...rest }) => JSON.stringify(rest));
  return out;
}

export const STORED_PARTS = [...STORED_TABLES, "scan", "scan_aggregates", "function_verdicts", "finding_verdicts", "finding_search", "search_terms", "search_text_terms", "role_summaries", "category_counts"];
