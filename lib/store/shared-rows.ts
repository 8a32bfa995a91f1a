/**
 * What an incremental rescan shares with the earlier scan it reuses instead of copying
 * (reuse-analysis.ts), and how every reader finds a scan's rows anyway:
 * - the organization-level graph (edges, permission sets, role reach): a scan whose analysis key
 *   equals an earlier scan's reads the same rows, so it points at the scan that wrote them
 *   (`scans.graph_scan_id`);
 * - findings: the wide rows (title, reason, details) of a reused account's findings stay where
 *   they were written; the new scan lists them in its narrow verdict copy (finding_verdicts, whose
 *   ids are the findings' ids). A scan's findings are the findings its verdict copy names, never
 *   `findings.scan_id` (the scan that wrote the row).
 * - functions: likewise, a reused account's function rows (configuration, risk, blast radius,
 *   recommended policy) stay where they were written; the new scan's verdict copy
 *   (function_verdicts) names each one (`function_id`). A scan's functions are the rows its verdict
 *   copy names, never `functions.scan_id`.
 * - role recommendations: those of a reused account's roles stay where they were written; the new
 *   scan's account row names that scan (`accounts.analysed_in`; null: the scan itself).
 * - the account's own snapshot rows (roles, managed policies, event source mappings): likewise
 *   read where its analysis was written. A reused account's inputs hash the same as that scan's,
 *   and an account's hash covers its whole snapshot record, so those rows are the ones the rescan
 *   would write (writing them took a third of a second at 10,000 functions).
 * Every reader of those tables goes through here.
 */
import type { SqlRunner } from "./db";

/** SQL for the id of the scan holding the graph of scan `param` (a parameter such as `$1`). */
export const GRAPH_SCAN_SQL = (param: string) => `(SELECT COALESCE(graph_scan_id, id) FROM scans WHERE id = ${param})`;

/** The id of the scan whose edges, permission sets and role reach scan `scanId` reads (its own unless shared). */
export async function graphScanId(db: SqlRunner, scanId: number): Promise<number> {
  const [row] = await db.query<{ id: number }>(`SELECT ${GRAPH_SCAN_SQL("$1")} AS id`, [scanId]);
  return row?.id ?? scanId;
}

/**
 * SQL condition: the findings row aliased `alias` is one of scan `param`'s findings, optionally
 * narrowed by a condition on its verdict copy `v` (such as `v.function_arn = ANY($2::text[])`).
 * Narrowed, the ids are gathered first and the findings read by their primary key: as a join, the
 * planner read every findings row of every stored scan to pick a page's few (the findings table
 * has no statistics: a scan does not analyse it), 46,000 rows for each page of an export at
 * 10,000 functions (61 → 17 ms a page).
 */
export const FINDING_OF_SCAN_SQL = (alias: string, param: string, narrowed?: string) =>
  narrowed
    ? `${alias}.id = ANY(ARRAY(SELECT v.id FROM finding_verdicts v WHERE v.scan_id = ${param} AND ${narrowed}))`
    : `${alias}.id IN (SELECT v.id FROM finding_verdicts v WHERE v.scan_id = ${param})`;

/**
 * SQL condition: the functions row aliased `alias` is one of scan `param`'s functions, optionally
 * narrowed by a condition on its verdict copy `v` (such as `v.arn = ANY($2::text[])`).
 */
export const FUNCTION_OF_SCAN_SQL = (alias: string, param: string, narrowed?: string) =>
  `${alias}.id IN (SELECT v.function_id FROM function_verdicts v WHERE v.scan_id = ${param}${narrowed ? ` AND ${narrowed}` : ""})`;

/**
 * The ids of scan `scanId`'s function rows (for reads through Prisma): those of the given ARNs,
 * or of every function the condition on the verdict copy `v` selects (with `params` from $2).
 */
export async function functionIdsOf(db: SqlRunner, scanId: number, which: { arns: readonly string[] } | { where: string; params: unknown[] }): Promise<number[]> {
  const [where, params] = "arns" in which ? ["v.arn = ANY($2::text[])", [which.arns]] : [which.where, which.params];
  const rows = await db.query<{ id: number }>(`SELECT v.function_id AS id FROM function_verdicts v WHERE v.scan_id = $1 AND ${where}`, [scanId, ...params]);
  return rows.map((r) => r.id);
}

/** The id of scan `scanId`'s row of one function; null when the scan has no such function. */
export async function functionIdOf(db: SqlRunner, scanId: number, arn: string): Promise<number | null> {
  const [row] = await db.query<{ id: number }>(`SELECT function_id AS id FROM function_verdicts WHERE scan_id = $1 AND arn = $2`, [scanId, arn]);
  return row?.id ?? null;
}

/** The tables whose rows of a reused account stay in the scan that wrote them (ACCOUNT_ROWS_SQL). */
export type AccountRowsTable = "roles" | "managed_policies" | "event_source_mappings";

/** SQL: the id of the scan holding the rows of the account whose `accounts` row is aliased `alias` (its analysis's scan). */
export const ACCOUNT_ROWS_SCAN = (alias: string) => `COALESCE(${alias}.analysed_in, ${alias}.scan_id)`;

/** The id of the scan whose roles, managed policies and event source mappings of the account scan `scanId` reads (its own unless reused). */
export async function accountRowsScanId(db: SqlRunner, scanId: number, accountId: string): Promise<number> {
  const [row] = await db.query<{ id: number }>(`SELECT ${ACCOUNT_ROWS_SCAN("a")} AS id FROM accounts a WHERE a.scan_id = $1 AND a.account_id = $2`, [scanId, accountId]);
  return row?.id ?? scanId;
}

/**
 * SQL for the rows of `table` that scan `scanParam` holds (a subquery to select from, with the
 * table's columns), optionally only those of accounts meeting `accountCondition` on `a.account_id`.
 */
export const ACCOUNT_ROWS_SQL = (table: AccountRowsTable, scanParam: string, accountCondition?: string) =>
  `(SELECT t.* FROM accounts a JOIN ${table} t ON t.scan_id = ${ACCOUNT_ROWS_SCAN("a")} AND t.account_id = a.account_id
     WHERE a.scan_id = ${scanParam}${accountCondition ? ` AND ${accountCondition}` : ""})`;

/**
 * SQL for the rows of `table` that scan `scanParam` holds whose `column` (an ARN: roles' `arn`,
 * mappings' `function_arn`, role recommendations' `role_arn`) is in the text array `arnsParam`,
 * each read where its account's rows are (the ARN's fifth field): a subquery to select from.
 */
export const ACCOUNT_ROWS_BY_ARN_SQL = (table: AccountRowsTable | "role_recommendations", column: string, scanParam: string, arnsParam: string) =>
  `(SELECT t.* FROM unnest(${arnsParam}::text[]) AS q(arn)
      JOIN accounts a ON a.scan_id = ${scanParam} AND a.account_id = split_part(q.arn, ':', 5)
      JOIN ${table} t ON t.scan_id = ${ACCOUNT_ROWS_SCAN("a")} AND t.${column} = q.arn)`;

/**
 * SQL for the role_recommendations rows of scan `scanParam` for the roles in the text array
 * `arnsParam` (a subquery to select from): each read where its account's analysis was written.
 */
export const ROLE_RECOMMENDATIONS_SQL = (scanParam: string, arnsParam: string) => ACCOUNT_ROWS_BY_ARN_SQL("role_recommendations", "role_arn", scanParam, arnsParam);

/** The ids of scan `scanId`'s findings of the given functions, in id order (for reads through Prisma). */
export async function findingIdsOf(db: SqlRunner, scanId: number, functionArns: readonly string[]): Promise<number[]> {
  const rows = await db.query<{ id: number }>(`SELECT id FROM finding_verdicts WHERE scan_id = $1 AND function_arn = ANY($2::text[]) ORDER BY id`, [scanId, functionArns]);
  return rows.map((r) => r.id);
}
