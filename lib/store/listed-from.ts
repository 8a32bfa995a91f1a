/**
 * What an incremental rescan lists unchanged from an earlier scan (reuse-analysis.ts), for what is
 * derived from a scan's verdict copies (aggregates, page data, diff): the earlier scan's share of
 * those accounts is already derived, so only the other accounts' share is derived again.
 */

/** The earlier scan, the accounts whose verdicts the new scan lists from it unchanged, and whether those are all its accounts. */
export interface ListedFrom {
  scanId: number;
  accounts: string[];
  /** Every account of the new scan is listed: its verdicts are the earlier scan's, row for row. */
  all: boolean;
}

/** SQL: scan `scan`'s `function_verdicts` rows, outside the accounts `accounts` (a text[] parameter) when given. */
export const functionsOutside = (scan: string, accounts: string | null) =>
  `SELECT * FROM function_verdicts WHERE scan_id = ${scan}${accounts ? ` AND NOT (account_id = ANY(${accounts}::text[]))` : ""}`;

/** SQL: scan `scan`'s `finding_verdicts` rows, of its functions outside the accounts `accounts` when given. */
export const findingsOutside = (scan: string, accounts: string | null) =>
  `SELECT * FROM finding_verdicts WHERE scan_id = ${scan}${accounts ? ` AND function_arn IN (SELECT arn FROM (${functionsOutside(scan, accounts)}) o)` : ""}`;
