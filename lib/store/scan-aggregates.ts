/**
 * Per-scan aggregates, computed once when a scan is stored (and on first read for scans stored
 * before this table existed): the overview's counts and the risk view's facets, as the analysis
 * stored them, before suppressions. Scans are immutable, so these never go stale; readers
 * (lib/queries/overview.ts) correct them for the few functions a suppression changes.
 */
import { z } from "zod";
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { SqlRunner } from "./db";
import { jsonColumn } from "./codecs/json-column";
import { analyzeTables, copyScanPageData, hasScanPageData, storeScanPageData } from "./scan-page-data";

/** Functions listed as the riskiest, before suppressions (the overview shows ten). */
export const RISKIEST_STORED = 10;

export interface ScanAggregates {
  /** Bumped when the shape changes: an older row is recomputed. */
  version: typeof AGGREGATES_VERSION;
  regions: string[];
  runtimes: string[];
  /** Analysed functions per stored severity. */
  bySeverity: Record<Severity, number>;
  /** Findings per severity. */
  findingsBySeverity: Record<Severity, number>;
  unanalysed: number;
  incomplete: number;
  byAccount: { accountId: string; functions: number; counts: Record<Severity, number> }[];
  /** Findings per category, and functions with at least one of them. */
  categories: { category: string; findings: number; functions: number }[];
  /** By risk score (desc), then name and ARN. */
  riskiest: { arn: string; name: string; accountId: string; region: string; riskScore: number; severity: Severity; findingCount: number; isPublic: boolean }[];
}

export const AGGREGATES_VERSION = 3;

const severityCounts = z.object(Object.fromEntries(SEVERITIES.map((s) => [s, z.number()])) as Record<Severity, z.ZodNumber>);
const severity = z.enum(SEVERITIES as [Severity, ...Severity[]]);

export const scanAggregatesCodec = jsonColumn<ScanAggregates>(
  "scan_aggregates",
  "data",
  z.looseObject({
    version: z.literal(AGGREGATES_VERSION),
    regions: z.array(z.string()),
    runtimes: z.array(z.string()),
    bySeverity: severityCounts,
    findingsBySeverity: severityCounts,
    unanalysed: z.number(),
    incomplete: z.number(),
    byAccount: z.array(z.looseObject({ accountId: z.string(), functions: z.number(), counts: severityCounts })),
    categories: z.array(z.looseObject({ category: z.string(), findings: z.number(), functions: z.number() })),
    riskiest: z.array(
      z.looseObject({ arn: z.string(), name: z.string(), accountId: z.string(), region: z.string(), riskScore: z.number(), severity, findingCount: z.number(), isPublic: z.boolean() }),
    ),
  }),
);

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** The aggregates of a stored scan, from its verdict copies (narrow: the wide rows are not read again) and its riskiest functions. */
export async function computeScanAggregates(db: SqlRunner, scanId: number): Promise<ScanAggregates> {
  const perAccount = await db.query<{ account_id: string; severity: string | null; n: number; incomplete: number }>(
    `SELECT account_id, severity, count(*)::int AS n, count(*) FILTER (WHERE json_array_length(incomplete) > 0)::int AS incomplete
       FROM function_verdicts WHERE scan_id = $1 GROUP BY account_id, severity`,
    [scanId],
  );
  const facets = await db.query<{ kind: string; value: string }>(
    `SELECT DISTINCT 'region' AS kind, region AS value FROM function_verdicts WHERE scan_id = $1
     UNION SELECT DISTINCT 'runtime', runtime FROM function_verdicts WHERE scan_id = $1 AND runtime IS NOT NULL`,
    [scanId],
  );
  const findingSeverities = await db.query<{ severity: Severity; n: number }>(`SELECT severity, count(*)::int AS n FROM finding_verdicts WHERE scan_id = $1 GROUP BY severity`, [scanId]);
  const categories = await db.query<{ category: string; findings: number; functions: number }>(
    `SELECT category, count(*)::int AS findings, count(DISTINCT function_arn)::int AS functions FROM finding_verdicts WHERE scan_id = $1 GROUP BY category`,
    [scanId],
  );
  const riskiest = await db.query<{ arn: string; name: string; account_id: string; region: string; risk_score: number; severity: string; finding_count: number; is_public: boolean }>(
    `SELECT v.arn, v.name, v.account_id, v.region, v.risk_score, v.severity, f.finding_count, v.is_public FROM function_verdicts v JOIN functions f ON f.id = v.function_id
      WHERE v.scan_id = $1 AND v.risk_score IS NOT NULL ORDER BY v.risk_score DESC, v.name COLLATE "C", v.arn COLLATE "C" LIMIT ${RISKIEST_STORED}`,
    [scanId],
  );
  const bySeverity = emptyCounts();
  let unanalysed = 0;
  let incomplete = 0;
  const byAccount = new Map<string, { accountId: string; functions: number; counts: Record<Severity, number> }>();
  for (const r of perAccount) {
    const entry = byAccount.get(r.account_id) ?? { accountId: r.account_id, functions: 0, counts: emptyCounts() };
    entry.functions += Number(r.n);
    if (r.severity) {
      entry.counts[r.severity as Severity] += Number(r.n);
      bySeverity[r.severity as Severity] += Number(r.n);
    } else unanalysed += Number(r.n);
    incomplete += Number(r.incomplete);
    byAccount.set(r.account_id, entry);
  }
  const findingsBySeverity = emptyCounts();
  for (const r of findingSeverities) findingsBySeverity[r.severity] += Number(r.n);
  const codeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    version: AGGREGATES_VERSION,
    regions: facets.filter((f) => f.kind === "region").map((f) => f.value).sort(codeUnits),
    runtimes: facets.filter((f) => f.kind === "runtime").map((f) => f.value).sort(codeUnits),
    bySeverity,
    findingsBySeverity,
    unanalysed,
    incomplete,
    byAccount: [...byAccount.values()].sort((a, b) => codeUnits(a.accountId, b.accountId)),
    categories: categories.map((c) => ({ category: c.category, findings: Number(c.findings), functions: Number(c.functions) })),
    riskiest: riskiest.map((r) => ({
      arn: r.arn,
      name: r.name,
      accountId: r.account_id,
      region: r.region,
      riskScore: Number(r.risk_score),
      severity: r.severity as Severity,
      findingCount: Number(r.finding_count),
      isPublic: r.is_public,
    })),
  };
}

/**
 * The narrow copies the risk view reads (function_verdicts, finding_verdicts): what it filters,
 * sorts and counts, without the policies, blast radius and reasons that make the full rows wide.
 * Each copy is also the list of its scan's rows of the wide table (shared-rows.ts): a function's
 * copy names its row (`function_id`), a finding's has its id. Per wide table: the copy's table, its
 * columns, and what each is selected as from the wide table (`from`, in the same order).
 */
const FUNCTION_VERDICT_COLUMNS = "scan_id, arn, name, account_id, region, runtime, role_arn, policy_count, has_secrets, has_shared_role, risk_score, severity, is_public, incomplete";
const FINDING_VERDICT_COLUMNS = "scan_id, id, function_arn, category, severity, fingerprint, search_text_id";
export const VERDICT_COPIES: Record<string, { table: string; columns: string; from: string; listedBy: string }> = {
  functions: { table: "function_verdicts", columns: `${FUNCTION_VERDICT_COLUMNS}, function_id`, from: `${FUNCTION_VERDICT_COLUMNS}, id AS function_id`, listedBy: "function_id" },
  findings: { table: "finding_verdicts", columns: FINDING_VERDICT_COLUMNS, from: FINDING_VERDICT_COLUMNS, listedBy: "id" },
};

/**
 * Fills the verdict copies of a scan from its stored rows (scans stored before they existed, or
 * of an older shape). A scan's functions and findings are those its verdict copies name (an
 * incremental rescan lists rows an earlier scan wrote, shared-rows.ts): when it has a copy, the
 * same rows are listed again; only a scan without one takes the rows it wrote.
 */
export async function storeVerdictProjections(db: SqlRunner, scanId: number): Promise<void> {
  for (const [wide, copy] of Object.entries(VERDICT_COPIES)) {
    const listed = (await db.query<{ id: number }>(`SELECT ${copy.listedBy} AS id FROM ${copy.table} WHERE scan_id = $1`, [scanId])).map((r) => r.id);
    await db.query(`DELETE FROM ${copy.table} WHERE scan_id = $1`, [scanId]);
    const source = listed.length
      ? `SELECT $1::int AS scan_id, w.* FROM (SELECT ${copy.from.replace("scan_id, ", "")} FROM ${wide} WHERE id = ANY($2::int[])) w`
      : `SELECT ${copy.from} FROM ${wide} WHERE scan_id = $1`;
    // ON CONFLICT: two readers filling an older scan's copies at once both succeed.
    await db.query(`INSERT INTO ${copy.table} (${copy.columns}) SELECT ${copy.columns} FROM (${source}) s ON CONFLICT DO NOTHING`, listed.length ? [scanId, listed] : [scanId]);
  }
}

/**
 * Computes and stores a scan's aggregates (inside the transaction that stores the scan), its
 * verdict copies unless `verdictsWritten` (the store wrote them, and the search index, with the rows), and its page data.
 * `sameAs`: an earlier scan whose stored verdicts are this scan's, row for row (an incremental
 * rescan that reused every account): its aggregates and page data are copied, not derived again.
 * `reused`: most of the scan's rows repeat an earlier scan's (an incremental rescan).
 */
export async function storeScanAggregates(
  db: SqlRunner,
  scanId: number,
  { verdictsWritten = false, sameAs = null, reused = false }: { verdictsWritten?: boolean; sameAs?: number | null; reused?: boolean } = {},
): Promise<ScanAggregates> {
  if (!verdictsWritten) await storeVerdictProjections(db, scanId);
  await analyzeTables(db, ["function_verdicts", "finding_verdicts"], reused);
  const [same] = sameAs === null ? [] : await db.query<{ data: unknown }>(`SELECT data FROM scan_aggregates WHERE scan_id = $1`, [sameAs]);
  const copied = same && (await hasScanPageData(db, sameAs!)) ? scanAggregatesCodec.safeDecode(same.data, { scanId: sameAs!, key: sameAs! }) : null;
  if (copied) {
    await db.query(`INSERT INTO scan_aggregates (scan_id, data) VALUES ($1, $2::json) ON CONFLICT (scan_id) DO UPDATE SET data = EXCLUDED.data`, [scanId, JSON.stringify(copied)]);
    await copyScanPageData(db, sameAs!, scanId);
    return copied;
  }
  const aggregates = await computeScanAggregates(db, scanId);
  await db.query(
    `INSERT INTO scan_aggregates (scan_id, data) VALUES ($1, $2::json) ON CONFLICT (scan_id) DO UPDATE SET data = EXCLUDED.data`,
    [scanId, JSON.stringify(aggregates)],
  );
  await storeScanPageData(db, scanId, { reused, indexWritten: verdictsWritten });
  return aggregates;
}

/**
 * A scan's stored aggregates; computed and stored now (with the verdict copies) when missing or
 * of an older shape, and likewise its page data (lib/store/scan-page-data.ts). Readers of
 * function_verdicts / finding_verdicts and of the page data call this first.
 */
export async function readScanAggregates(db: SqlRunner, scanId: number): Promise<ScanAggregates> {
  const [row] = await db.query<{ data: unknown }>(`SELECT data FROM scan_aggregates WHERE scan_id = $1`, [scanId]);
  const version = row ? (typeof row.data === "string" ? (JSON.parse(row.data) as { version?: unknown }) : (row.data as { version?: unknown } | null))?.version : undefined;
  if (!row || version !== AGGREGATES_VERSION) return storeScanAggregates(db, scanId);
  if (!(await hasScanPageData(db, scanId))) await storeScanPageData(db, scanId);
  return scanAggregatesCodec.decode(row.data, { scanId, key: scanId });
}
