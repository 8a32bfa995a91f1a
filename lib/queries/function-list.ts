/** The risk view's list, on a given store: no `server-only`, so the consistency tests and the CLI can read it. */
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { incompleteCodec } from "@/lib/store/codecs/incomplete";
import { readScanAggregates, type ScanAggregates } from "@/lib/store/scan-aggregates";
import { readCategoryCounts, type CategoryCount } from "@/lib/store/scan-page-data";
import { atLeast } from "@/lib/analysis/verdicts";
import type { ScanView, ViewFunction, WorstFinding } from "./scan-view";
import { canonicalActionsInText } from "./action-names";
import { loadSuppressionOverlay, type SuppressionOverlay } from "./suppression-overlay";
import { applyViewFilter, type ViewFilter } from "./view-filter";
import { SEVERITY_RANK_SQL, viewSql, type BroadAfter, type SelectedVerdictRow } from "./view-sql";
import { FINDING_OF_SCAN_SQL } from "@/lib/store/shared-rows";

export const FUNCTION_SORTS = ["risk", "name", "account", "region", "runtime", "role", "policies", "findings", "public"] as const;
export type FunctionSort = (typeof FUNCTION_SORTS)[number];

export interface FunctionListParams {
  scanId: number;
  /** The one view filter (lib/queries/view-filter.ts), shared with the exports and the CLI. */
  filter: ViewFilter;
  sort?: FunctionSort;
  dir?: "asc" | "desc";
  page?: number;
  pageSize?: number;
  /** Where a text search switches to reading its tables in one pass (viewSql); tests set it to compare both ways. */
  broadAfter?: BroadAfter;
}

export interface FunctionRow {
  arn: string;
  name: string;
  accountId: string;
  accountName: string | null;
  region: string;
  runtime: string | null;
  roleName: string;
  roleArn: string;
  policyCount: number;
  isPublic: boolean;
  hasSecrets: boolean;
  sharedRole: boolean;
  riskScore: number | null;
  severity: Severity | null;
  /** Findings the view lists for this function (the filter's severity, category and suppression). */
  findingCount: number;
  incomplete: { api: string; reason: string }[];
  /** Why it is risky, in a word: its worst unsuppressed finding (null when none applies). */
  worstFinding: WorstFinding | null;
}

export interface FunctionList {
  rows: FunctionRow[];
  total: number;
  /** Findings the whole filtered view lists (every page): what its exports hold. */
  findingTotal: number;
  page: number;
  pageCount: number;
  pageSize: number;
  accounts: { id: string; name: string | null }[];
  regions: string[];
  runtimes: string[];
}

const sevRank = (s: Severity | null) => (s === null ? SEVERITIES.length : SEVERITIES.indexOf(s));
// Text sorts by code unit, as the database sorts with COLLATE "C": both paths give one order.
const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const byName = (a: ViewFunction, b: ViewFunction) => text(a.name, b.name) || text(a.arn, b.arn);
const COMPARE: Record<FunctionSort, (a: ViewFunction, b: ViewFunction) => number> = {
  risk: (a, b) => (a.riskScore ?? -1) - (b.riskScore ?? -1) || sevRank(b.severity) - sevRank(a.severity),
  findings: (a, b) => a.findings.length - b.findings.length,
  name: byName,
  account: (a, b) => text(a.accountId, b.accountId),
  region: (a, b) => text(a.region, b.region),
  runtime: (a, b) => text(a.runtime ?? "", b.runtime ?? ""),
  role: (a, b) => text(a.roleArn, b.roleArn),
  policies: (a, b) => a.policyCount - b.policyCount,
  public: (a, b) => Number(a.isPublic) - Number(b.isPublic),
};

/** COMPARE in SQL over `sel` (lib/queries/view-sql.ts), ascending; `findings` is the view's count. */
const ORDER_SQL: Record<FunctionSort, (dir: "ASC" | "DESC") => string> = {
  // Scores are 0–100 and unanalysed (null) counts as -1: NULLS LAST going down, so an index serves it.
  risk: (d) => `risk_score ${d} NULLS ${d === "ASC" ? "FIRST" : "LAST"}, ${SEVERITY_RANK_SQL} ${d === "ASC" ? "DESC" : "ASC"}`,
  findings: (d) => `finding_count ${d}`,
  name: (d) => `name COLLATE "C" ${d}, arn COLLATE "C" ${d}`,
  account: (d) => `account_id COLLATE "C" ${d}`,
  region: (d) => `region COLLATE "C" ${d}`,
  runtime: (d) => `COALESCE(runtime, '') COLLATE "C" ${d}`,
  role: (d) => `role_arn COLLATE "C" ${d}`,
  policies: (d) => `policy_count ${d}`,
  public: (d) => `is_public ${d}`,
};

/** The risk view's rows in order, every page: the view filter, then the sort. */
export function selectFunctions(view: ScanView, params: Pick<FunctionListParams, "filter" | "sort" | "dir">): ViewFunction[] {
  const selected = applyViewFilter(view.functions, params.filter);
  const sort = params.sort ?? "risk";
  const dir = params.dir ?? (sort === "risk" ? "desc" : "asc");
  const sign = dir === "asc" ? 1 : -1;
  return selected.sort((a, b) => sign * COMPARE[sort](a, b) || byName(a, b));
}

/**
 * The view's counts from the stored aggregates, for the views most opened (everything, a minimum
 * severity, a category, suppressed findings hidden); null for other filters (counted in SQL).
 * Exact: a function is never below its worst unsuppressed finding, so every unsuppressed finding
 * of severity ≥ X is on a function of severity ≥ X; the overlay corrects for suppressions.
 */
function countsFromAggregates(filter: ViewFilter, aggregates: ScanAggregates, overlay: SuppressionOverlay, categoryCounts: CategoryCount[] | null): { total: number; finding_total: number } | null {
  const { severity, suppressed, category, ...rest } = filter;
  if ((suppressed ?? "hide") !== "hide" || Object.values(rest).some((v) => v !== undefined)) return null;
  const counted = (s: Severity | null) => (severity ? s !== null && atLeast(s, severity) : true);
  if (category !== undefined) {
    if (!categoryCounts) return null;
    // A category: the functions with an unsuppressed finding of it (of severity ≥ X), which are of severity ≥ X themselves.
    let total = categoryCounts.reduce((n, c) => n + (counted(c.severity) ? c.functionsWorst : 0), 0);
    let findings = categoryCounts.reduce((n, c) => n + (counted(c.severity) ? c.findings : 0), 0);
    for (const fn of overlay.affected) {
      const listed = (f: { category: string; severity: Severity }) => f.category === category && counted(f.severity);
      total += Number(fn.findings.some((f) => !f.suppressed && listed(f))) - Number(overlay.stored.get(fn.arn)!.findings.some(listed));
      findings -= fn.findings.filter((f) => f.suppressed && listed(f)).length;
    }
    return { total, finding_total: findings };
  }
  let total = SEVERITIES.reduce((n, s) => n + (counted(s) ? aggregates.bySeverity[s] : 0), severity ? 0 : aggregates.unanalysed);
  let findings = SEVERITIES.reduce((n, s) => n + (counted(s) ? aggregates.findingsBySeverity[s] : 0), 0);
  for (const fn of overlay.affected) {
    total += Number(counted(fn.severity)) - Number(counted(overlay.stored.get(fn.arn)!.severity));
    findings -= fn.findings.filter((f) => f.suppressed && counted(f.severity)).length;
  }
  return { total, finding_total: findings };
}

interface PageOfRows {
  rows: SelectedRow[];
  total: number;
  findingTotal: number;
  page: number;
  pageCount: number;
}

const clampPage = (requested: number, total: number, pageSize: number) => {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(Math.max(requested, 1), pageCount), pageCount };
};

/** The name order breaks ties (always ascending), as in selectFunctions. */
const orderBy = (sort: FunctionSort, dir: "ASC" | "DESC") => `${ORDER_SQL[sort](dir)}, name COLLATE "C" ASC, arn COLLATE "C" ASC`;

/** Counts known from the aggregates: read the page alone, counting findings for its rows only. */
async function pageWithStoredCounts(
  db: Database,
  scanId: number,
  filter: ViewFilter,
  overlay: SuppressionOverlay,
  sort: FunctionSort,
  dir: "ASC" | "DESC",
  pageSize: number,
  requested: number,
  counts: { total: number; finding_total: number },
  broadAfter?: BroadAfter,
): Promise<PageOfRows> {
  const view = viewSql(scanId, filter, overlay, { broadAfter });
  const { page, pageCount } = clampPage(requested, counts.total, pageSize);
  const findingCount = (alias: string) => view.listedFindings(alias);
  const order = orderBy(sort, dir);
  const rows =
    sort === "findings"
      ? await db.query<SelectedRow>(
          `${view.with}, counted AS (SELECT sel.*, ${findingCount("sel")} AS finding_count FROM sel)
           SELECT * FROM counted ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
          view.params,
        )
      : await db.query<SelectedRow>(
          `${view.with}, paged AS (SELECT * FROM sel ORDER BY ${order} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize})
           SELECT paged.*, ${findingCount("paged")} AS finding_count FROM paged ORDER BY ${order}`,
          view.params,
        );
  return { rows, total: counts.total, findingTotal: counts.finding_total, page, pageCount };
}

/**
 * The view's counts in one narrow pass over the selected functions, when each one's listed findings
 * are its stored counts (view.countsStored, no text filter); null otherwise. The page is then read
 * alone, in the order of an index where one serves (pageWithStoredCounts).
 */
async function countsInSql(db: Database, scanId: number, filter: ViewFilter, overlay: SuppressionOverlay, broadAfter?: BroadAfter): Promise<{ total: number; finding_total: number } | null> {
  const view = viewSql(scanId, filter, overlay, { broadAfter });
  if (view.textMatched || !view.countsStored) return null;
  const [row] = await db.query<{ total: number; finding_total: number }>(
    `${view.with} SELECT count(*)::int AS total, COALESCE(sum(${view.listedFindings("sel")}), 0)::int AS finding_total FROM sel`,
    view.params,
  );
  return { total: Number(row.total), finding_total: Number(row.finding_total) };
}

/** Other filters: one pass counts every selected function's listed findings, the totals and the page. */
async function pageCountingInSql(
  db: Database,
  scanId: number,
  filter: ViewFilter,
  overlay: SuppressionOverlay,
  sort: FunctionSort,
  dir: "ASC" | "DESC",
  pageSize: number,
  requested: number,
  broadAfter?: BroadAfter,
): Promise<PageOfRows> {
  const view = viewSql(scanId, filter, overlay, { findingsJoined: true, broadAfter });
  // How many findings the view lists for each selected function. A part of the scan selected by
  // function: each one's stored count, or its findings counted through the (scan, function) index
  // when a finding filter or a suppression applies to it (view.listedFindings); else one pass over
  // the scan's findings. Matched by text: a function its own text names lists every finding in view
  // (counted so), any other one exactly its matching findings (counted from the match itself).
  const listedOnly = view.requiresFinding ? "WHERE finding_count > 0" : "";
  const counting = view.textMatched
    ? `mfc AS (SELECT arn, count(*)::int AS n FROM (SELECT unnest(arns) AS arn FROM mf) m GROUP BY arn),
       counted AS (SELECT * FROM (SELECT sel.*, CASE WHEN sel.own_text THEN ${view.listedFindings("sel")} ELSE COALESCE(mfc.n, 0) END AS finding_count
                    FROM sel LEFT JOIN mfc ON mfc.arn = sel.arn) c ${listedOnly})`
    : view.narrowed
      ? `counted AS (SELECT * FROM (SELECT sel.*, ${view.listedFindings("sel")} AS finding_count FROM sel) c ${listedOnly})`
      : `fc AS (SELECT x.function_arn, count(*)::int AS n FROM finding_verdicts x WHERE x.scan_id = $1 AND ${view.findingInView} GROUP BY x.function_arn),
       counted AS (SELECT sel.*, COALESCE(fc.n, 0) AS finding_count FROM sel ${view.requiresFinding ? "JOIN" : "LEFT JOIN"} fc ON fc.function_arn = sel.arn)`;
  const query = (page: number) =>
    db.query<SelectedRow & { total: number; finding_total: number }>(
      `${view.with},
         ${counting}
       , totals AS (SELECT count(*)::int AS total, COALESCE(sum(finding_count), 0)::int AS finding_total FROM counted)
       SELECT counted.*, totals.total, totals.finding_total
         FROM counted, totals ORDER BY ${orderBy(sort, dir)} LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
      view.params,
    );
  let page = Math.max(requested, 1);
  let rows = await query(page);
  if (rows.length === 0 && page > 1) {
    // Past the last page: the totals come with any row, so ask for the first page, then the last.
    const first = await query(1);
    const total = first[0] ? Number(first[0].total) : 0;
    page = clampPage(page, total, pageSize).page;
    rows = page === 1 ? first : await query(page);
  }
  const total = rows[0] ? Number(rows[0].total) : 0;
  return { rows, total, findingTotal: rows[0] ? Number(rows[0].finding_total) : 0, page, pageCount: clampPage(page, total, pageSize).pageCount };
}

/**
 * The "Why" of each listed function: its worst unsuppressed finding (the first of the worst
 * severity, in stored order), as `viewFunction` picks it; suppressed means among the overlay's
 * active fingerprints, as everywhere in the SQL view.
 */
async function worstFindings(db: Database, scanId: number, overlay: SuppressionOverlay, arns: string[]): Promise<Map<string, WorstFinding>> {
  if (arns.length === 0) return new Map();
  const rows = await db.query<{ function_arn: string; rule_id: string; title: string | null; severity: Severity }>(
    `SELECT DISTINCT ON (function_arn) function_arn, rule_id, title, severity FROM findings f
      WHERE ${FINDING_OF_SCAN_SQL("f", "$1", "v.function_arn = ANY($2::text[])")} AND NOT (fingerprint = ANY($3::text[]))
      ORDER BY function_arn, ${SEVERITY_RANK_SQL}, id`,
    [scanId, arns, overlay.active],
  );
  return new Map(rows.map((r) => [r.function_arn, { ruleId: r.rule_id, title: canonicalActionsInText(r.title ?? ""), severity: r.severity }]));
}

interface SelectedRow extends SelectedVerdictRow {
  finding_count: number;
}

/**
 * The risk view: the view filter in SQL over stored verdicts (suppressions applied through the
 * overlay), sorted and paged in the database, so a page reads one page of functions.
 */
export async function listFunctionsIn(db: Database, params: FunctionListParams): Promise<FunctionList> {
  const pageSize = Math.min(Math.max(params.pageSize ?? 50, 10), 200);
  const { scanId, filter } = params;
  const sort = params.sort ?? "risk";
  const dir = (params.dir ?? (sort === "risk" ? "desc" : "asc")) === "asc" ? "ASC" : "DESC";
  const [overlay, aggregates, accounts] = await Promise.all([
    loadSuppressionOverlay(db, scanId),
    readScanAggregates(db, scanId),
    db.query<{ account_id: string; name: string | null }>(`SELECT account_id, name FROM accounts WHERE scan_id = $1 ORDER BY account_id`, [scanId]),
  ]);
  const categoryCounts = filter.category !== undefined ? await readCategoryCounts(db, scanId, filter.category) : null;
  const counts = countsFromAggregates(filter, aggregates, overlay, categoryCounts) ?? (await countsInSql(db, scanId, filter, overlay, params.broadAfter));
  const { rows, total, findingTotal, page, pageCount } = counts
    ? await pageWithStoredCounts(db, scanId, filter, overlay, sort, dir, pageSize, params.page ?? 1, counts, params.broadAfter)
    : await pageCountingInSql(db, scanId, filter, overlay, sort, dir, pageSize, params.page ?? 1, params.broadAfter);
  const accountNames = new Map(accounts.map((a) => [a.account_id, a.name]));
  const worst = await worstFindings(db, scanId, overlay, rows.map((r) => r.arn));
  return {
    rows: rows.map((r) => ({
      arn: r.arn,
      name: r.name,
      accountId: r.account_id,
      accountName: accountNames.get(r.account_id) ?? null,
      region: r.region,
      runtime: r.runtime,
      roleArn: r.role_arn,
      roleName: r.role_arn.split("/").pop() ?? r.role_arn,
      policyCount: Number(r.policy_count),
      isPublic: r.is_public,
      hasSecrets: r.has_secrets,
      sharedRole: r.has_shared_role,
      riskScore: r.risk_score === null ? null : Number(r.risk_score),
      severity: r.severity,
      findingCount: Number(r.finding_count),
      incomplete: incompleteCodec.decode(r.incomplete, { scanId, key: r.arn }),
      worstFinding: worst.get(r.arn) ?? null,
    })),
    total,
    findingTotal,
    page,
    pageCount,
    pageSize,
    accounts: accounts.map((a) => ({ id: a.account_id, name: a.name })),
    regions: aggregates.regions,
    runtimes: aggregates.runtimes,
  };
}
