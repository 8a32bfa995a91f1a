/**
 * Where a scan's organization-level graph rows are stored: its edges, permission sets and role
 * reach. A rescan whose analysis key equals an earlier scan's reads the same rows, so it points
 * at the scan that wrote them (`scans.graph_scan_id`) instead of copying them
 * (reuse-analysis.ts). Every reader of those three tables goes through here.
 */
import type { SqlRunner } from "./db";

/** SQL for the id of the scan holding the graph of scan `param` (a parameter such as `$1`). */
export const GRAPH_SCAN_SQL = (param: string) => `(SELECT COALESCE(graph_scan_id, id) FROM scans WHERE id = ${param})`;

/** The id of the scan whose edges, permission sets and role reach scan `scanId` reads (its own unless shared). */
export async function graphScanId(db: SqlRunner, scanId: number): Promise<number> {
  const [row] = await db.query<{ id: number }>(`SELECT ${GRAPH_SCAN_SQL("$1")} AS id`, [scanId]);
  return row?.id ?? scanId;
}
