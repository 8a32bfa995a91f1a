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
import { findingsOutside, functionsOutside, type ListedFrom } from "./listed-from";

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

/** The aggregates that are sums over functions: a scan's, or one part of it, which add and subtract. */
interface Sums {
  byAccount: Map<string, { functions: number; counts: Record<Severity, number> }>;
  incomplete: number;
  findingsBySeverity: Record<Severity, number>;
  categories: Map<string, { findings: number; functions: number }>;
}

/** The sums over scan `scanId`'s functions, or over those outside the accounts `outside` only. */
async function sumsOf(db: SqlRunner, scanId: number, outside: string[] | null): Promise<Sums> {
  const params = outside ? [scanId, outside] : [scanId];
  const accounts = outside ? "$2" : null;
  const perAccount = await db.query<{ account_id: string; severity: string | null; n: number; incomplete: number }>(
    `SELECT account_id, severity, count(*)::int AS n, count(*) FILTER (WHERE json_array_length(incomplete) > 0)::int AS incomplete
       FROM (${functionsOutside("$1", accounts)}) v GROUP BY account_id, severity`,
    params,
  );
  const findings = await db.query<{ category: string; severity: Severity; n: number }>(
    `SELECT category, severity, count(*)::int AS n FROM (${findingsOutside("$1", accounts)}) x GROUP BY category, severity`,
    params,
  );
  const categoryFunctions = await db.query<{ category: string; functions: number }>(
    `SELECT category, count(*)::int AS functions FROM (SELECT DISTINCT category, function_arn FROM (${findingsOutside("$1", accounts)}) x) c GROUP BY category`,
    params,
  );
  const sums: Sums = { byAccount: new Map(), incomplete: 0, findingsBySeverity: emptyCounts(), categories: new Map() };
  for (const r of perAccount) {
    const entry = sums.byAccount.get(r.account_id) ?? { functions: 0, counts: emptyCounts() };
    entry.functions += Number(r.n);
    if (r.severity) entry.counts[r.severity as Severity] += Number(r.n);
    sums.incomplete += Number(r.incomplete);
    sums.byAccount.set(r.account_id, entry);
  }
  for (const r of findings) {
    sums.findingsBySeverity[r.severity] += Number(r.n);
    const entry = sums.categories.get(r.category) ?? { findings: 0, functions: 0 };
    entry.findings += Number(r.n);
    sums.categories.set(r.category, entry);
  }
  for (const r of categoryFunctions) sums.categories.get(r.category)!.functions = Number(r.functions);
  return sums;
}

/** The sums stored in a scan's aggregates. */
function storedSums(aggregates: ScanAggregates): Sums {
  return {
    byAccount: new Map(aggregates.byAccount.map((a) => [a.accountId, { functions: a.functions, counts: { ...a.counts } }])),
    incomplete: aggregates.incomplete,
    findingsBySeverity: { ...aggregates.findingsBySeverity },
    categories: new Map(aggregates.categories.map((c) => [c.category, { findings: c.findings, functions: c.functions }])),
  };
}

/** `into` plus `sign` times `part`, in place; what sums to nothing is left out, as a scan without it has none. */
function addSums(into: Sums, part: Sums, sign: 1 | -1): Sums {
  for (const [accountId, p] of part.byAccount) {
    const entry = into.byAccount.get(accountId) ?? { functions: 0, counts: emptyCounts() };
    entry.functions += sign * p.functions;
    for (const s of SEVERITIES) entry.counts[s] += sign * p.counts[s];
    if (entry.functions === 0) into.byAccount.delete(accountId);
    else into.byAccount.set(accountId, entry);
  }
  into.incomplete += sign * part.incomplete;
  for (const s of SEVERITIES) into.findingsBySeverity[s] += sign * part.findingsBySeverity[s];
  for (const [category, p] of part.categories) {
    const entry = into.categories.get(category) ?? { findings: 0, functions: 0 };
    entry.findings += sign * p.findings;
    entry.functions += sign * p.functions;
    if (entry.findings === 0) into.categories.delete(category);
    else into.categories.set(category, entry);
  }
  return into;
}

/**
 * The aggregates of a stored scan, from its verdict copies (narrow: the wide rows are not read
 * again) and its riskiest functions. `listedFrom` (an incremental rescan, whose earlier scan's
 * aggregates are stored): the earlier scan's sums, less its other accounts' share, plus this
 * scan's share of those accounts; the same numbers a full derivation gives.
 */
export async function computeScanAggregates(db: SqlRunner, scanId: number, listedFrom: { from: ListedFrom; aggregates: ScanAggregates } | null = null): Promise<ScanAggregates> {
  const sums = listedFrom
    ? addSums(
        addSums(storedSums(listedFrom.aggregates), await sumsOf(db, listedFrom.from.scanId, listedFrom.from.accounts), -1),
        await sumsOf(db, scanId, listedFrom.from.accounts),
        1,
      )
    : await sumsOf(db, scanId, null);
  const facets = await db.query<{ kind: string; value: string }>(
    `SELECT DISTINCT 'region' AS kind, region AS value FROM function_verdicts WHERE scan_id = $1
     UNION SELECT DISTINCT 'runtime', runtime FROM function_verdicts WHERE scan_id = $1 AND runtime IS NOT NULL`,
    [scanId],
  );
  const riskiest = await db.query<{ arn: string; name: string; account_id: string; region: string; risk_score: number; severity: string; finding_count: number; is_public: boolean }>(
    `SELECT v.arn, v.name, v.account_id, v.region, v.risk_score, v.severity, v.finding_count, v.is_public FROM function_verdicts v
      WHERE v.scan_id = $1 AND v.risk_score IS NOT NULL ORDER BY v.risk_score DESC, v.name COLLATE "C", v.arn COLLATE "C" LIMIT ${RISKIEST_STORED}`,
    [scanId],
  );
  const bySeverity = emptyCounts();
  let unanalysed = 0;
  for (const entry of sums.byAccount.values()) {
    for (const s of SEVERITIES) bySeverity[s] += entry.counts[s];
    unanalysed += entry.functions - SEVERITIES.reduce((n, s) => n + entry.counts[s], 0);
  }
  const codeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    version: AGGREGATES_VERSION,
    regions: facets.filter((f) => f.kind === "region").map((f) => f.value).sort(codeUnits),
    runtimes: facets.filter((f) => f.kind === "runtime").map((f) => f.value).sort(codeUnits),
    bySeverity,
    findingsBySeverity: sums.findingsBySeverity,
    unanalysed,
    incomplete: sums.incomplete,
    byAccount: [...sums.byAccount].map(([accountId, a]) => ({ accountId, functions: a.functions, counts: a.counts })).sort((a, b) => codeUnits(a.accountId, b.accountId)),
    categories: [...sums.categories].map(([category, c]) => ({ category, findings: c.findings, functions: c.functions })).sort((a, b) => codeUnits(a.category, b.category)),
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
const FUNCTION_VERDICT_COLUMNS = "scan_id, arn, name, account_id, region, runtime, role_arn, policy_count, has_secrets, has_shared_role, risk_score, severity, is_public, incomplete, finding_count, findings_by_severity";
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
 * `listedFrom`: the earlier scan whose rows of some accounts this scan lists unchanged (an
 * incremental rescan). When it lists every account, that scan's aggregates and page data are
 * copied; else, when they are stored, only the other accounts' share is derived.
 */
export async function storeScanAggregates(
  db: SqlRunner,
  scanId: number,
  { verdictsWritten = false, listedFrom = null }: { verdictsWritten?: boolean; listedFrom?: ListedFrom | null } = {},
): Promise<ScanAggregates> {
  if (!verdictsWritten) await storeVerdictProjections(db, scanId);
  const reused = listedFrom !== null;
  await analyzeTables(db, ["function_verdicts", "finding_verdicts"], reused);
  const earlier = listedFrom === null ? null : await storedAggregates(db, listedFrom.scanId);
  if (earlier && listedFrom!.all) {
    await db.query(`INSERT INTO scan_aggregates (scan_id, data) VALUES ($1, $2::json) ON CONFLICT (scan_id) DO UPDATE SET data = EXCLUDED.data`, [scanId, JSON.stringify(earlier)]);
    await copyScanPageData(db, listedFrom!.scanId, scanId);
    return earlier;
  }
  const aggregates = await computeScanAggregates(db, scanId, earlier && { from: listedFrom!, aggregates: earlier });
  await db.query(
    `INSERT INTO scan_aggregates (scan_id, data) VALUES ($1, $2::json) ON CONFLICT (scan_id) DO UPDATE SET data = EXCLUDED.data`,
    [scanId, JSON.stringify(aggregates)],
  );
  await storeScanPageData(db, scanId, { reused, indexWritten: verdictsWritten, listedFrom: earlier ? listedFrom : null });
  return aggregates;
}

/** A scan's aggregates and page data, when both are stored of the current shape; else null. */
async function storedAggregates(db: SqlRunner, scanId: number): Promise<ScanAggregates | null> {
  const [row] = await db.query<{ data: unknown }>(`SELECT data FROM scan_aggregates WHERE scan_id = $1`, [scanId]);
  return row && (await hasScanPageData(db, scanId)) ? scanAggregatesCodec.safeDecode(row.data, { scanId, key: scanId }) : null;
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
