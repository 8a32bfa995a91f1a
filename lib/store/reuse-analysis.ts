/**
 * Incremental rescans, storage side: finds the earlier scan whose analysis a new scan may reuse,
 * and copies the reused accounts' analysed rows into the new scan inside its transaction
 * (server-side INSERT … SELECT: nothing travels through JavaScript). What needs no copy is
 * shared: the new scan reads the earlier scan's graph and the reused functions' and findings' rows
 * where they were written (shared-rows.ts), and the text search's terms are shared by every scan
 * (finding-search-index.ts).
 */
import type { BlastRadius } from "@/lib/analysis/types";
import type { Database, SqlRunner } from "./db";
import { joinBlastRadius } from "./scan-rows";
import { VERDICT_COPIES } from "./scan-aggregates";
import { FUNCTION_OF_SCAN_SQL, GRAPH_SCAN_SQL } from "./shared-rows";

/** What a scan reuses: the earlier scan, the accounts whose rows are copied from it, and the scan holding its graph. */
export interface AnalysisReuse {
  fromScanId: number;
  accountIds: Set<string>;
  graphScanId: number;
  /** Per reused account, the scan that analysed it (and wrote its role recommendations). */
  analysedIn: Map<string, number>;
}

/**
 * The newest finished, analysed scan with the same organization-level key, and which of the
 * given accounts it stored with the same input hash. Null when nothing can be reused.
 */
/** A scan whose analysis another may reuse: finished and analysed. */
const REUSABLE_SCAN = `analyzed AND status IN ('succeeded', 'partial')`;

export async function findReusableAnalysis(db: Database, analysisKey: string, accountHashes: Map<string, string>): Promise<AnalysisReuse | null> {
  const [scan] = await db.query<{ id: number; graph_scan_id: number }>(
    `SELECT id, COALESCE(graph_scan_id, id) AS graph_scan_id FROM scans WHERE analysis_key = $1 AND ${REUSABLE_SCAN} ORDER BY id DESC LIMIT 1`,
    [analysisKey],
  );
  if (!scan) return null;
  const stored = await db.query<{ account_id: string; input_hash: string | null; analysed_in: number }>(
    `SELECT account_id, input_hash, COALESCE(analysed_in, scan_id) AS analysed_in FROM accounts WHERE scan_id = $1`,
    [scan.id],
  );
  const reused = stored.filter((a) => a.input_hash !== null && accountHashes.get(a.account_id) === a.input_hash);
  const accountIds = new Set(reused.map((a) => a.account_id));
  return accountIds.size ? { fromScanId: scan.id, accountIds, graphScanId: scan.graph_scan_id, analysedIn: new Map(reused.map((a) => [a.account_id, Number(a.analysed_in)])) } : null;
}

/** Whether any earlier scan's analysis could be reused (a finished, analysed scan with a key): if not, a scan analyses everything. */
export async function anyReusableScan(db: SqlRunner): Promise<boolean> {
  const rows = await db.query(`SELECT 1 FROM scans WHERE analysis_key IS NOT NULL AND ${REUSABLE_SCAN} LIMIT 1`);
  return rows.length > 0;
}

/**
 * Lists in scan `to`'s verdict copy the rows scan `from` lists there that `where` (on `t`, with
 * `$1` the earlier scan and `$3` the accounts) selects, in `order` when given; returns how many.
 */
async function listAgain(conn: SqlRunner, copy: (typeof VERDICT_COPIES)[string], from: number, to: number, where: string, accountIds: string[], order?: string): Promise<number> {
  const { table, columns } = copy;
  const [{ n }] = await conn.query<{ n: number }>(
    `WITH listed AS (INSERT INTO ${table} (${columns}) SELECT $2, ${columns.replace("scan_id, ", "")} FROM ${table} t WHERE t.scan_id = $1 AND ${where}${order ? ` ORDER BY ${order}` : ""} RETURNING 1)
     SELECT count(*)::int AS n FROM listed`,
    [from, to, accountIds],
  );
  return n;
}

/**
 * Lists a reused account's analysed rows in a new scan; one instance per scan transaction. Its
 * functions and their findings are listed in the new scan's verdict copies and not written again;
 * its role recommendations (a recommendation reads the account's own last-accessed data) are read
 * where they were written, which the new scan's account row names (`analysed_in`, shared-rows.ts).
 * The graph's edges, the permission sets and every role's reach read only organization-level inputs: equal keys mean equal rows (lib/jobs/analysis-inputs.ts),
 * so the new scan reads the earlier one's (scans.graph_scan_id, set by save-scan.ts), analysed
 * accounts included. The search index's terms are shared by every scan: the copied findings'
 * text ids name them.
 */
export function analysisCopier(conn: SqlRunner, from: number, toScanId: number) {
  return {
    /**
     * The rows of the reused accounts (as the earlier scan wrote them), one statement per
     * table; returns how many functions and findings.
     */
    async accounts(accountIds: string[]): Promise<{ functions: number; findings: number }> {
      // Functions and findings are shared, not copied: the new scan's verdict copies name the rows
      // the earlier scan named, wherever they were written (shared-rows.ts).
      const functions = await listAgain(conn, VERDICT_COPIES.functions, from, toScanId, "t.account_id = ANY($3::text[])", accountIds);
      const findings = await listAgain(conn, VERDICT_COPIES.findings, from, toScanId, "t.function_arn IN (SELECT arn FROM function_verdicts f WHERE f.scan_id = $1 AND f.account_id = ANY($3::text[]))", accountIds, "t.id");
      return { functions, findings };
    },
    /** Takes the given accounts' rows out of the new scan's verdict copies again; returns how many. */
    async unlist(accountIds: string[]): Promise<{ functions: number; findings: number }> {
      const gone = await conn.query<{ arn: string }>(`DELETE FROM ${VERDICT_COPIES.functions.table} WHERE scan_id = $1 AND account_id = ANY($2::text[]) RETURNING arn`, [toScanId, accountIds]);
      // By the key's index: the new scan's rows are not counted yet, and a join may scan every scan's findings once per function.
      const [{ findings }] = await conn.query<{ findings: number }>(
        `WITH gone AS (DELETE FROM ${VERDICT_COPIES.findings.table} WHERE scan_id = $1 AND function_arn = ANY($2::text[]) RETURNING 1) SELECT count(*)::int AS findings FROM gone`,
        [toScanId, gone.map((g) => g.arn)],
      );
      return { functions: gone.length, findings };
    },
  };
}

/**
 * The newest finished, analysed scan whose organization-level key starts with `keyPrefix` (the
 * same analysis code and day, lib/jobs/analysis-inputs.ts), with its accounts that have an input
 * hash: the scan an incremental rescan reuses, unless an organization-level input changed since.
 */
export async function likelyReusableScan(db: SqlRunner, keyPrefix: string): Promise<{ scanId: number; accountIds: string[] } | null> {
  const [scan] = await db.query<{ id: number }>(
    `SELECT id FROM scans WHERE starts_with(analysis_key, $1) AND ${REUSABLE_SCAN} ORDER BY id DESC LIMIT 1`,
    [keyPrefix],
  );
  if (!scan) return null;
  const accounts = await db.query<{ account_id: string }>(`SELECT account_id FROM accounts WHERE scan_id = $1 AND input_hash IS NOT NULL ORDER BY account_id`, [scan.id]);
  return accounts.length ? { scanId: scan.id, accountIds: accounts.map((a) => a.account_id) } : null;
}

/**
 * The blast radius the earlier scan stored for each function of the given accounts (whole again:
 * its permission-set part joined back). With equal organization-level keys it is what the
 * analysis would compute: it reads the graph and the functions' shared fields only, never a
 * function's own configuration (lib/jobs/analysis-inputs.ts). A function without one is left out.
 */
export async function storedBlastRadii(db: SqlRunner, fromScanId: number, accountIds: string[]): Promise<Map<string, BlastRadius>> {
  const rows = await db.query<{ arn: string; blast_radius: unknown; services: unknown; data_stores: unknown; has_set: boolean }>(
    `SELECT f.arn, f.blast_radius, p.services, p.data_stores, p.id IS NOT NULL AS has_set
       FROM functions f LEFT JOIN permission_sets p ON p.scan_id = ${GRAPH_SCAN_SQL("$1")} AND p.permissions_key = f.permissions_key
      WHERE ${FUNCTION_OF_SCAN_SQL("f", "$1", "v.account_id = ANY($2::text[])")} AND f.blast_radius IS NOT NULL`,
    [fromScanId, accountIds],
  );
  const radii = new Map<string, BlastRadius>();
  for (const row of rows) {
    const stored = typeof row.blast_radius === "string" ? (JSON.parse(row.blast_radius) as Record<string, unknown>) : (row.blast_radius as Record<string, unknown>);
    // Older scans kept the radius whole; newer ones need their permission set's part.
    if (!stored.services && !row.has_set) continue;
    const parse = (v: unknown) => (typeof v === "string" ? (JSON.parse(v) as unknown) : v);
    const radius = joinBlastRadius(stored, row.has_set ? { services: parse(row.services), dataStores: parse(row.data_stores) } : null);
    if (radius) radii.set(row.arn, radius);
  }
  return radii;
}

/**
 * What a scan summary needs from the reused functions: the `top` riskiest of them with every
 * function tied with the last (the caller breaks ties), from the narrow verdict copy.
 */
export async function reusedRiskiest(conn: SqlRunner, scanId: number, accountIds: string[], top: number) {
  return conn.query<{ arn: string; risk_score: number; severity: string }>(
    `SELECT arn, risk_score, severity FROM function_verdicts
      WHERE scan_id = $1 AND account_id = ANY($2::text[]) AND risk_score >= (
        SELECT min(risk_score) FROM (SELECT risk_score FROM function_verdicts WHERE scan_id = $1 AND account_id = ANY($2::text[]) AND risk_score IS NOT NULL ORDER BY risk_score DESC LIMIT $3) best)`,
    [scanId, accountIds, top],
  );
}
