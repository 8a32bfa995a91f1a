/**
 * The functions whose stored verdicts (score, severity, public, incomplete) or set of finding
 * fingerprints differ between two scans, or that are in only one of them: every other function
 * has the same view in both (suppressions aside, which the reader adds), so the diff derives only
 * these. Computed from the narrow verdict copies when a scan is stored (against the complete scan
 * before it, lib/store/scan-page-data.ts) or on first read of another pair, and stored: scans are
 * immutable, so the list never goes stale.
 */
import { z } from "zod";
import type { SqlRunner } from "./db";
import { jsonColumn } from "./codecs/json-column";
import { findingsOutside, functionsOutside } from "./listed-from";
import { readScanAggregates } from "./scan-aggregates";

const arnsCodec = jsonColumn<string[]>("scan_diff_candidates", "arns", z.array(z.string()));

/**
 * `outside`: accounts whose functions and findings both scans list alike (an incremental rescan
 * against the scan it lists them from): only the other accounts' functions are compared.
 */
export async function computeDiffCandidates(db: SqlRunner, from: number, to: number, outside?: string[]): Promise<string[]> {
  const accounts = outside ? "$3" : null;
  const rows = await db.query<{ arn: string }>(
    `WITH a AS (SELECT arn, risk_score, severity, is_public, incomplete::text AS inc FROM (${functionsOutside("$1", accounts)}) v),
          b AS (SELECT arn, risk_score, severity, is_public, incomplete::text AS inc FROM (${functionsOutside("$2", accounts)}) v),
          x AS (SELECT function_arn, fingerprint FROM (${findingsOutside("$1", accounts)}) v),
          y AS (SELECT function_arn, fingerprint FROM (${findingsOutside("$2", accounts)}) v)
     SELECT COALESCE(a.arn, b.arn) AS arn FROM a FULL JOIN b ON a.arn = b.arn
      WHERE a.arn IS NULL OR b.arn IS NULL OR a.risk_score IS DISTINCT FROM b.risk_score OR a.severity IS DISTINCT FROM b.severity
         OR a.is_public <> b.is_public OR a.inc <> b.inc
     UNION
     SELECT COALESCE(x.function_arn, y.function_arn) FROM x FULL JOIN y ON x.function_arn = y.function_arn AND x.fingerprint = y.fingerprint
      WHERE x.function_arn IS NULL OR y.function_arn IS NULL
     ORDER BY 1`,
    outside ? [from, to, outside] : [from, to],
  );
  return rows.map((r) => r.arn);
}

/** The pair's stored candidates; computed and stored now (with both scans' verdict copies) when missing. */
export async function readDiffCandidates(db: SqlRunner, from: number, to: number): Promise<string[]> {
  const [row] = await db.query<{ arns: unknown }>(`SELECT arns FROM scan_diff_candidates WHERE to_scan_id = $1 AND from_scan_id = $2`, [to, from]);
  if (row) return arnsCodec.decode(row.arns, { scanId: to, key: from });
  await readScanAggregates(db, from);
  await readScanAggregates(db, to);
  return storeDiffCandidates(db, from, to);
}

/**
 * Computes and stores the pair's candidates (both scans' verdict copies must be stored): a scan
 * stores them against the one before it. `known`: the candidates, when the caller knows them
 * (none, for a rescan whose verdicts are the earlier scan's); `outside` as computeDiffCandidates.
 */
export async function storeDiffCandidates(db: SqlRunner, from: number, to: number, known?: string[], outside?: string[]): Promise<string[]> {
  const arns = known ?? (await computeDiffCandidates(db, from, to, outside));
  // ON CONFLICT: two readers computing the same pair at once both succeed.
  await db.query(`INSERT INTO scan_diff_candidates (to_scan_id, from_scan_id, arns) VALUES ($1, $2, $3::json) ON CONFLICT DO NOTHING`, [to, from, JSON.stringify(arns)]);
  return arns;
}
