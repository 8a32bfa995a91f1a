/**
 * What an incremental rescan lists unchanged from an earlier scan (reuse-analysis.ts), for what is
 * derived from a scan's verdict copies (aggregates, page data, diff): the earlier scan's share of
 * those accounts is already derived, so only the other accounts' share is derived again.
 */

/** The earlier scan, and the accounts whose verdicts the new scan lists from it unchanged. */
export interface ListedFrom {
  scanId: number;
  accounts: string[];
}

/** SQL: the verdict copy `function_verdicts` rows of scan `$1`, outside the accounts `$2` when `outside`. */
export const FUNCTIONS_OUTSIDE_SQL = (outside: boolean) => `SELECT * FROM function_verdicts WHERE scan_id = $1${outside ? " AND NOT (account_id = ANY($2::text[]))" : ""}`;
/** SQL: the `finding_verdicts` rows of scan `$1`, of functions outside the accounts `$2` when `outside`. */
export const FINDINGS_OUTSIDE_SQL = (outside: boolean) =>
  `SELECT * FROM finding_verdicts WHERE scan_id = $1${outside ? " AND function_arn IN (SELECT arn FROM function_verdicts WHERE scan_id = $1 AND NOT (account_id = ANY($2::text[])))" : ""}`;
