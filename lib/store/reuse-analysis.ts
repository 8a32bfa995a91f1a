/**
 * Incremental rescans, storage side: finds the earlier scan whose analysis a new scan may reuse,
 * and copies the reused accounts' analysed rows into the new scan inside its transaction
 * (server-side INSERT … SELECT: nothing travels through JavaScript).
 */
import type { Database, SqlRunner } from "./db";

/** What a scan reuses: the earlier scan, and the accounts whose rows are copied from it. */
export interface AnalysisReuse {
  fromScanId: number;
  accountIds: Set<string>;
}

/**
 * The newest finished, analysed scan with the same organization-level key, and which of the
 * given accounts it stored with the same input hash. Null when nothing can be reused.
 */
export async function findReusableAnalysis(db: Database, analysisKey: string, accountHashes: Map<string, string>): Promise<AnalysisReuse | null> {
  const [scan] = await db.query<{ id: number }>(
    `SELECT id FROM scans WHERE analysis_key = $1 AND analyzed AND status IN ('succeeded', 'partial') ORDER BY id DESC LIMIT 1`,
    [analysisKey],
  );
  if (!scan) return null;
  const stored = await db.query<{ account_id: string; input_hash: string | null }>(`SELECT account_id, input_hash FROM accounts WHERE scan_id = $1`, [scan.id]);
  const accountIds = new Set(stored.filter((a) => a.input_hash !== null && accountHashes.get(a.account_id) === a.input_hash).map((a) => a.account_id));
  return accountIds.size ? { fromScanId: scan.id, accountIds } : null;
}

/** Copies rows of one table from scan `from` to scan `to`, every column but the id, in id order. */
async function copyRows(conn: SqlRunner, table: string, columns: string[], from: number, to: number, where: string, params: unknown[]): Promise<number> {
  const list = columns.map((c) => `"${c}"`).join(", ");
  const values = columns.map((c) => (c === "scan_id" ? "$2" : `t."${c}"`)).join(", ");
  const rows = await conn.query<{ n: number }>(
    `WITH copied AS (INSERT INTO ${table} (${list}) SELECT ${values} FROM ${table} t WHERE t.scan_id = $1 AND ${where} ORDER BY t.id RETURNING 1) SELECT count(*)::int AS n FROM copied`,
    [from, to, ...params],
  );
  return rows[0]?.n ?? 0;
}

/** Copies analysed rows of reused accounts into a new scan; one instance per scan transaction. */
export function analysisCopier(conn: SqlRunner, reuse: AnalysisReuse, toScanId: number) {
  const columnsOf = new Map<string, Promise<string[]>>();
  const columns = (table: string) => {
    let list = columnsOf.get(table);
    if (!list) {
      list = conn
        .query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name <> 'id' ORDER BY ordinal_position`, [table])
        .then((rows) => rows.map((r) => r.column_name));
      columnsOf.set(table, list);
    }
    return list;
  };
  const from = reuse.fromScanId;
  return {
    /** One account's function rows and their findings; returns how many of each. */
    async account(accountId: string): Promise<{ functions: number; findings: number }> {
      const functions = await copyRows(conn, "functions", await columns("functions"), from, toScanId, `t.account_id = $3`, [accountId]);
      const findings = await copyRows(
        conn,
        "findings",
        await columns("findings"),
        from,
        toScanId,
        `t.function_arn IN (SELECT arn FROM functions f WHERE f.scan_id = $1 AND f.account_id = $3)`,
        [accountId],
      );
      // Per-role rows (reach, recommendation) of the account's roles: the new scan writes them only for analysed accounts.
      for (const table of ["role_reach", "role_recommendations"]) {
        await copyRows(conn, table, await columns(table), from, toScanId, `split_part(t.role_arn, ':', 5) = $3`, [accountId]);
      }
      return { functions, findings };
    },
    /** The whole graph: equal organization-level keys mean the same graph (lib/jobs/analysis-inputs.ts). */
    edges: async () => copyRows(conn, "edges", await columns("edges"), from, toScanId, "TRUE", []),
    /** Permission sets the new scan's functions point at and it has not written itself. */
    permissionSets: async () =>
      copyRows(
        conn,
        "permission_sets",
        await columns("permission_sets"),
        from,
        toScanId,
        `t.permissions_key IN (SELECT permissions_key FROM functions f WHERE f.scan_id = $2)
         AND NOT EXISTS (SELECT 1 FROM permission_sets p WHERE p.scan_id = $2 AND p.permissions_key = t.permissions_key)`,
        [],
      ),
  };
}

/** What a scan summary needs from the reused functions: scores, severities and finding severities. */
export async function reusedSummaryRows(conn: SqlRunner, scanId: number, accountIds: string[]) {
  const functions = await conn.query<{ arn: string; risk_score: number; severity: string }>(
    `SELECT arn, risk_score, severity FROM functions WHERE scan_id = $1 AND account_id = ANY($2::text[])`,
    [scanId, accountIds],
  );
  const findings = await conn.query<{ function_arn: string; severity: string }>(
    `SELECT g.function_arn, g.severity FROM findings g JOIN functions f ON f.scan_id = g.scan_id AND f.arn = g.function_arn WHERE g.scan_id = $1 AND f.account_id = ANY($2::text[])`,
    [scanId, accountIds],
  );
  return { functions, findings };
}
