/**
 * What the pages read, derived once when a scan is stored (inside its transaction, after its
 * verdict copies and aggregates) instead of on every request: one summary per execution role,
 * finding counts per category, and the diff candidates against the previous complete scan; the
 * findings' search index is written with them (finding-search-index.ts) and derived here only for
 * scans stored before that. Scans are immutable, so none of it goes stale; a scan stored before
 * these tables gets them on first read (readScanAggregates). lib/queries reads them.
 */
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { SqlRunner } from "./db";
import { findingsOutside, functionsOutside, type ListedFrom } from "./listed-from";
import { storeDiffCandidates } from "./scan-diff-candidates";
import { SEARCH_ID_SQL } from "./finding-search-index";
import { ACCOUNT_ROWS_BY_ARN_SQL, ACCOUNT_ROWS_SQL, FINDING_OF_SCAN_SQL } from "./shared-rows";
import { tableColumns } from "./table-columns";

/** Bumped when what is stored here changes: an older scan's rows are derived again. */
export const PAGE_DATA_VERSION = 2;

/** Derived here for every scan; the search index only for scans stored before it was written with the findings. */
const PAGE_TABLES = ["role_summaries", "category_counts"];
const SEARCH_TABLES = ["search_text_terms", "search_terms"];

/** A finding's actions and resources from its details, one lower-cased line each (as FindingSearchIndex reads them). */
const list = (key: string) => `jsonb_array_elements_text(CASE WHEN jsonb_typeof(f.d->'${key}') = 'array' THEN f.d->'${key}' ELSE '[]'::jsonb END)`;

/** Whether the scan's findings were stored with their search index (finding-search-index.ts). */
async function searchIndexWritten(db: SqlRunner, scanId: number): Promise<boolean> {
  const [row] = await db.query<{ written: boolean }>(`SELECT EXISTS (SELECT 1 FROM finding_verdicts WHERE scan_id = $1 AND search_text_id IS NOT NULL) AS written`, [scanId]);
  return row.written;
}

/**
 * The text search's index of a scan stored before the findings carried it: the same rows, with
 * the same ids, as FindingSearchIndex writes (each distinct line once, each distinct set of lines
 * once, and each finding's set on its verdict copy).
 */
async function deriveSearchIndex(db: SqlRunner, scanId: number): Promise<void> {
  // The terms and sets are shared by every scan (content-addressed): one already there is the same row.
  await db.query(
    `WITH f AS (SELECT id, details::jsonb AS d FROM findings x WHERE ${FINDING_OF_SCAN_SQL("x", "$1")}),
          lines AS (SELECT DISTINCT f.id, lower(e.v) AS term FROM f, LATERAL (SELECT v FROM ${list("actions")} v UNION ALL SELECT v FROM ${list("resources")} v) e(v)),
          texts AS MATERIALIZED (
            SELECT id, terms, ${SEARCH_ID_SQL("array_to_string(terms, chr(10))")} AS text_id
              FROM (SELECT id, array_agg(term ORDER BY term COLLATE "C") AS terms FROM lines GROUP BY id) s),
          marked AS (UPDATE finding_verdicts v SET search_text_id = t.text_id FROM texts t WHERE v.scan_id = $1 AND v.id = t.id),
          links AS (INSERT INTO search_text_terms (term_id, text_id)
                    SELECT DISTINCT ${SEARCH_ID_SQL("term")}, text_id FROM texts, unnest(terms) term ON CONFLICT DO NOTHING)
     INSERT INTO search_terms (id, term) SELECT ${SEARCH_ID_SQL("term")}, term FROM (SELECT DISTINCT term FROM lines) d ON CONFLICT DO NOTHING`,
    [scanId],
  );
}

/**
 * The roles page's rows: each role that executes functions, with its functions by name (as the
 * page lists them). `listedFrom`: a role untouched by the other accounts (neither theirs nor
 * executing one of their functions, in either scan) has the earlier scan's row: its role and
 * functions are listed unchanged.
 */
async function storeRoleSummaries(db: SqlRunner, scanId: number, listedFrom: ListedFrom | null): Promise<void> {
  const touched = `SELECT role_arn FROM (${functionsOutside("$1", "$2")}) f UNION SELECT role_arn FROM (${functionsOutside("$3", "$2")}) e
                   UNION SELECT arn FROM ${ACCOUNT_ROWS_SQL("roles", "$1", "NOT (a.account_id = ANY($2::text[]))")} r
                   UNION SELECT arn FROM ${ACCOUNT_ROWS_SQL("roles", "$3", "NOT (a.account_id = ANY($2::text[]))")} r`;
  if (listedFrom) {
    await db.query(
      `INSERT INTO role_summaries (scan_id, arn, name, account_id, function_count, worst_score, policy_count, has_boundary, functions)
       SELECT $1, arn, name, account_id, function_count, worst_score, policy_count, has_boundary, functions FROM role_summaries
        WHERE scan_id = $3 AND account_id = ANY($2::text[]) AND arn NOT IN (${touched})`,
      [scanId, listedFrom.accounts, listedFrom.scanId],
    );
  }
  // per_role drives the join, each role found by its ARN where its account's rows are (shared-rows.ts):
  // planned the other way round, with no statistics of the roles table, per_role was computed again
  // for every role (1 s of a first rescan at 10,000 functions).
  await db.query(
    `WITH per_role AS MATERIALIZED (
       SELECT f.role_arn, count(*)::int AS n, max(f.risk_score) AS worst,
              json_agg(json_build_object('arn', f.arn, 'name', f.name) ORDER BY f.name, f.arn) AS fns
         FROM function_verdicts f WHERE f.scan_id = $1${listedFrom ? ` AND f.role_arn IN (${touched})` : ""} GROUP BY f.role_arn)
     INSERT INTO role_summaries (scan_id, arn, name, account_id, function_count, worst_score, policy_count, has_boundary, functions)
     SELECT $1, r.arn, r.name, r.account_id, p.n, p.worst, jsonb_array_length(r.attached_policy_arns) + jsonb_array_length(r.inline_policies),
            r.permissions_boundary_arn IS NOT NULL, p.fns
       FROM per_role p JOIN ${ACCOUNT_ROWS_BY_ARN_SQL("roles", "arn", "$1", "(SELECT array_agg(role_arn) FROM per_role)")} r ON r.arn = p.role_arn`,
    listedFrom ? [scanId, listedFrom.accounts, listedFrom.scanId] : [scanId],
  );
}

const SEVERITY_RANK = `CASE severity ${SEVERITIES.map((s, i) => `WHEN '${s}' THEN ${i}`).join(" ")} END`;

/**
 * SQL: per category and severity of the findings `findings` (a query of finding_verdicts rows), how
 * many, and the functions whose worst finding of the category has that severity.
 */
const CATEGORY_COUNTS_SQL = (findings: string) =>
  `WITH x AS (${findings}),
        worst AS (SELECT category, min(${SEVERITY_RANK}) AS rank FROM x GROUP BY function_arn, category),
        fns AS (SELECT category, rank, count(*)::int AS n FROM worst GROUP BY category, rank),
        fds AS (SELECT category, ${SEVERITY_RANK} AS rank, count(*)::int AS n FROM x GROUP BY category, severity)
   SELECT COALESCE(fds.category, fns.category) AS category, (ARRAY[${SEVERITIES.map((s) => `'${s}'`).join(", ")}])[COALESCE(fds.rank, fns.rank) + 1] AS severity,
          COALESCE(fds.n, 0) AS findings, COALESCE(fns.n, 0) AS functions_worst
     FROM fds FULL JOIN fns ON fns.category = fds.category AND fns.rank = fds.rank`;

/**
 * Per category and severity: its findings, and the functions whose worst finding of the category
 * has that severity. Both are sums over functions: with `listedFrom`, the earlier scan's counts,
 * less its other accounts' share, plus this scan's share of them (a count left at no finding is no row, as in a full derivation).
 */
async function storeCategoryCounts(db: SqlRunner, scanId: number, listedFrom: ListedFrom | null): Promise<void> {
  if (!listedFrom) {
    await db.query(`INSERT INTO category_counts (scan_id, category, severity, findings, functions_worst) SELECT $1, c.* FROM (${CATEGORY_COUNTS_SQL(findingsOutside("$1", null))}) c`, [scanId]);
    return;
  }
  // The same query for either scan: $1 is the scan whose share it counts.
  const share = CATEGORY_COUNTS_SQL(findingsOutside("$1", "$2"));
  const [earlier, now] = [await db.query<CountRow>(share, [listedFrom.scanId, listedFrom.accounts]), await db.query<CountRow>(share, [scanId, listedFrom.accounts])];
  const counts = new Map<string, CountRow>();
  const add = (rows: CountRow[], sign: number) => {
    for (const r of rows) {
      const key = `${r.category}\0${r.severity}`;
      const entry = counts.get(key) ?? { category: r.category, severity: r.severity, findings: 0, functions_worst: 0 };
      entry.findings += sign * Number(r.findings);
      entry.functions_worst += sign * Number(r.functions_worst);
      counts.set(key, entry);
    }
  };
  add(await db.query<CountRow>(`SELECT category, severity, findings, functions_worst FROM category_counts WHERE scan_id = $1`, [listedFrom.scanId]), 1);
  add(earlier, -1);
  add(now, 1);
  const rows = [...counts.values()].filter((r) => r.findings > 0);
  await db.query(
    `INSERT INTO category_counts (scan_id, category, severity, findings, functions_worst)
     SELECT $1, category, severity, findings, functions_worst FROM json_to_recordset($2::json) AS r(category text, severity text, findings int, functions_worst int)`,
    [scanId, JSON.stringify(rows)],
  );
}

interface CountRow {
  category: string;
  severity: string;
  findings: number;
  functions_worst: number;
}

export interface CategoryCount {
  category: string;
  severity: Severity;
  findings: number;
  /** Functions whose worst finding of the category has this severity. */
  functionsWorst: number;
}

/** The scan's stored category counts (call readScanAggregates first: it derives them for an older scan). */
export async function readCategoryCounts(db: SqlRunner, scanId: number, category: string): Promise<CategoryCount[]> {
  const rows = await db.query<{ severity: Severity; findings: number; functions_worst: number }>(
    `SELECT severity, findings, functions_worst FROM category_counts WHERE scan_id = $1 AND category = $2`,
    [scanId, category],
  );
  return rows.map((r) => ({ category, severity: r.severity, findings: Number(r.findings), functionsWorst: Number(r.functions_worst) }));
}

/**
 * Derives and stores a scan's page data (its verdict copies must be stored). `indexWritten`: the
 * scan was stored with its search index (as the store writes every scan now), so none is derived.
 * `listedFrom`: an earlier scan, whose page data is stored, lists some accounts' rows as this one
 * does: only the other accounts' share is derived again.
 */
export async function storeScanPageData(
  db: SqlRunner,
  scanId: number,
  { reused = false, indexWritten = false, listedFrom = null }: { reused?: boolean; indexWritten?: boolean; listedFrom?: ListedFrom | null } = {},
): Promise<void> {
  for (const table of PAGE_TABLES) await db.query(`DELETE FROM ${table} WHERE scan_id = $1`, [scanId]);
  if (!indexWritten && !(await searchIndexWritten(db, scanId))) await deriveSearchIndex(db, scanId);
  await storeRoleSummaries(db, scanId, listedFrom);
  await storeCategoryCounts(db, scanId, listedFrom);
  await finishPageData(db, scanId, null, reused, listedFrom);
}

/**
 * Stores as scan `to`'s page data a copy of scan `from`'s, whose verdicts and roles are `to`'s
 * row for row (an incremental rescan that reused every account; `from`'s page data is stored).
 */
export async function copyScanPageData(db: SqlRunner, from: number, to: number): Promise<void> {
  for (const table of PAGE_TABLES) {
    const columns = (await tableColumns(db, table, ["scan_id"])).map((c) => `"${c}"`).join(", ");
    await db.query(`DELETE FROM ${table} WHERE scan_id = $1`, [to]);
    await db.query(`INSERT INTO ${table} (scan_id, ${columns}) SELECT $2, ${columns} FROM ${table} WHERE scan_id = $1`, [from, to]);
  }
  await finishPageData(db, to, from, true, null);
}

/**
 * The diff against the complete scan before (none differ when that is `sameAs`, whose verdicts
 * are this scan's), the page data's version, and the statistics.
 */
async function finishPageData(db: SqlRunner, scanId: number, sameAs: number | null, reused: boolean, listedFrom: ListedFrom | null): Promise<void> {
  // The diff the overview and `/scans/diff` open first: this scan against the complete one before it.
  // (A previous scan stored before the verdict copies has no aggregates yet: the diff derives that pair on first read.)
  const [previous] = await db.query<{ id: number; copied: boolean }>(
    `SELECT id, EXISTS (SELECT 1 FROM scan_aggregates a WHERE a.scan_id = s.id) AS copied FROM scans s WHERE id < $1 AND status IN ('succeeded', 'partial') ORDER BY id DESC LIMIT 1`,
    [scanId],
  );
  if (previous?.id === sameAs && sameAs !== null) await storeDiffCandidates(db, sameAs, scanId, []);
  // Against the scan it lists accounts from, only the other accounts' functions can differ.
  else if (previous?.copied) await storeDiffCandidates(db, previous.id, scanId, undefined, previous.id === listedFrom?.scanId ? listedFrom.accounts : undefined);
  await db.query(`INSERT INTO scan_page_data (scan_id, version) VALUES ($1, $2) ON CONFLICT (scan_id) DO UPDATE SET version = EXCLUDED.version`, [scanId, PAGE_DATA_VERSION]);
  // The search index is shared by every scan: a rescan adds the few terms of what changed, if any.
  await analyzeTables(db, reused ? PAGE_TABLES : [...PAGE_TABLES, ...SEARCH_TABLES], reused);
}

/**
 * The planner's statistics of tables a scan just wrote: PGlite runs no autovacuum, and without
 * statistics of a new scan id the planner reads that scan's rows through nested loops planned for
 * one row. `scanIdOnly`: most rows repeat an earlier scan's (an incremental rescan), so the other
 * columns' statistics still hold and only how many rows the new scan id has is measured again,
 * a tenth of the cost at 10,000 functions. From a sample of 3,000 rows rather than 30,000: one
 * column of a few hundred values at most (the scans stored) needs no more to count each scan's rows
 * within a few per cent, and the larger sample read pages all over verdict tables that grow with
 * every scan (0.3 s of a 10,000-function rescan with 16 scans stored).
 */
export async function analyzeTables(db: SqlRunner, tables: readonly string[], scanIdOnly: boolean): Promise<void> {
  if (tables.length === 0) return;
  const analyze = tables.map((t) => `ANALYZE ${t}${scanIdOnly ? " (scan_id)" : ""};`).join(" ");
  await db.exec(scanIdOnly ? `SET default_statistics_target = ${SCAN_ID_STATISTICS_TARGET}; ${analyze} RESET default_statistics_target;` : analyze);
}

/** The statistics target of a rescan's `ANALYZE … (scan_id)`: PostgreSQL samples 300 rows per unit. */
const SCAN_ID_STATISTICS_TARGET = 10;

/** Whether the scan's page data is stored, of the current shape. */
export async function hasScanPageData(db: SqlRunner, scanId: number): Promise<boolean> {
  const [row] = await db.query<{ version: number }>(`SELECT version FROM scan_page_data WHERE scan_id = $1`, [scanId]);
  return row?.version === PAGE_DATA_VERSION;
}
