/** The overview page's numbers. No `server-only`: the tests read it on their own store. */
import { FINDING_CATEGORIES, SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { CoverageGap } from "@/lib/snapshot/types";
import type { Database } from "@/lib/store/db";
import { gapsCodec } from "@/lib/store/codecs/gaps";
import { readScanAggregates, scanAggregatesCodec } from "@/lib/store/scan-aggregates";
import { loadSuppressionOverlay, type SuppressionOverlay } from "./suppression-overlay";

export interface Overview {
  bySeverity: Record<Severity, number>;
  unanalysed: number;
  /** Functions with inputs the scan could not read. */
  incomplete: number;
  byAccount: { accountId: string; name: string | null; functions: number; counts: Record<Severity, number> }[];
  riskiest: { arn: string; name: string; roleArn: string; accountId: string; region: string; riskScore: number; severity: Severity; findingCount: number; isPublic: boolean }[];
  categories: { category: string; findings: number; functions: number }[];
  trend: { scanId: number; startedAt: string; status: string; functions: number; critical: number; high: number; findings: number }[];
  gaps: CoverageGap[];
  suppressed: number;
}

/**
 * The overview: the scan's stored aggregates (lib/store/scan-aggregates.ts), corrected for the
 * functions a suppression changes (the same overlay the risk view applies), so its counts are
 * what its links open, without reading every function.
 */
export async function overviewIn(db: Database, scanId: number): Promise<Overview> {
  const [aggregates, overlay, previous, accounts, scan] = await Promise.all([
    readScanAggregates(db, scanId),
    loadSuppressionOverlay(db, scanId),
    db.query<{ id: number; started_at: Date; status: string; function_count: number; finding_count: number }>(
      `SELECT id, started_at, status, function_count, finding_count FROM scans WHERE status IN ('succeeded', 'partial') AND id < $1 ORDER BY id DESC LIMIT 11`,
      [scanId],
    ),
    db.query<{ account_id: string; name: string | null }>(`SELECT account_id, name FROM accounts WHERE scan_id = $1`, [scanId]),
    db.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, select: { id: true, startedAt: true, status: true, functionCount: true, gaps: true } }),
  ]);
  const bySeverity = { ...aggregates.bySeverity };
  const stored = new Map(aggregates.byAccount.map((a) => [a.accountId, a]));
  // Every account of the scan, those without functions too.
  const byAccount = new Map(
    accounts.map((a) => {
      const s = stored.get(a.account_id);
      return [a.account_id, { accountId: a.account_id, name: a.name, functions: s?.functions ?? 0, counts: { ...(s?.counts ?? { critical: 0, high: 0, medium: 0, low: 0, info: 0 }) } }];
    }),
  );
  const categories = new Map(aggregates.categories.map((c) => [c.category, { ...c }]));
  let suppressed = 0;
  // Each function a suppression changes: take its stored contribution out, put its view in.
  for (const fn of overlay.affected) {
    const before = overlay.stored.get(fn.arn)!;
    const account = byAccount.get(fn.accountId);
    if (before.severity) {
      bySeverity[before.severity] -= 1;
      if (account) account.counts[before.severity] -= 1;
    }
    if (fn.severity) {
      bySeverity[fn.severity] += 1;
      if (account) account.counts[fn.severity] += 1;
    }
    for (const f of fn.findings) {
      if (!f.suppressed) continue;
      suppressed += 1;
      const c = categories.get(f.category);
      if (c) c.findings -= 1;
    }
    for (const category of new Set(before.findings.map((f) => f.category))) {
      const c = categories.get(category);
      if (c && !fn.findings.some((f) => !f.suppressed && f.category === category)) c.functions -= 1;
    }
  }
  const riskiest = await riskiestIn(db, scanId, overlay);
  const categoryOrder = new Map(FINDING_CATEGORIES.map((c, i) => [c as string, i]));
  const shown = [...categories.values()].filter((c) => c.findings > 0);
  // Earlier scans' points: from their stored aggregates, or counted for a scan stored before them
  // (not computing their copies here: that is a whole scan's work per point).
  const ids = previous.map((r) => r.id);
  const storedRows = ids.length ? await db.query<{ scan_id: number; data: unknown }>(`SELECT scan_id, data FROM scan_aggregates WHERE scan_id = ANY($1::int[])`, [ids]) : [];
  const points = new Map<number, { critical: number; high: number }>();
  for (const row of storedRows) {
    const decoded = scanAggregatesCodec.safeDecode(row.data, { scanId: row.scan_id });
    if (decoded) points.set(row.scan_id, decoded.bySeverity);
  }
  const counted = ids.filter((id) => !points.has(id));
  if (counted.length) {
    const rows = await db.query<{ scan_id: number; critical: number; high: number }>(
      `SELECT scan_id, count(*) FILTER (WHERE severity = 'critical')::int AS critical, count(*) FILTER (WHERE severity = 'high')::int AS high
         FROM function_verdicts WHERE scan_id = ANY($1::int[]) GROUP BY scan_id`,
      [counted],
    );
    for (const r of rows) points.set(r.scan_id, { critical: Number(r.critical), high: Number(r.high) });
  }
  const earlier = [...previous].reverse().map((r) => ({
    scanId: r.id,
    startedAt: new Date(r.started_at).toISOString(),
    status: r.status,
    functions: r.function_count,
    critical: points.get(r.id)?.critical ?? 0,
    high: points.get(r.id)?.high ?? 0,
    findings: r.finding_count,
  }));
  const current = { scanId: scan.id, startedAt: scan.startedAt.toISOString(), status: scan.status, functions: scan.functionCount, critical: bySeverity.critical, high: bySeverity.high, findings: shown.reduce((n, c) => n + c.findings, 0) };
  return {
    bySeverity,
    unanalysed: aggregates.unanalysed,
    incomplete: aggregates.incomplete,
    byAccount: [...byAccount.values()].sort((a, b) => SEVERITIES.reduce((acc, s) => acc || b.counts[s] - a.counts[s], 0) || a.accountId.localeCompare(b.accountId)),
    riskiest,
    categories: shown.sort((a, b) => b.findings - a.findings || (categoryOrder.get(a.category) ?? 0) - (categoryOrder.get(b.category) ?? 0)),
    trend: [...earlier, current],
    gaps: gapsCodec.decode(scan.gaps, { scanId }),
    suppressed,
  };
}

type Riskiest = Overview["riskiest"][number];
const codeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The ten riskiest functions as the scan view scores them. A suppression only lowers a score
 * (riskWithout), so the ten are among the stored top ten plus as many as the overlay changes,
 * with the changed ones taken from the overlay.
 */
async function riskiestIn(db: Database, scanId: number, overlay: SuppressionOverlay): Promise<Riskiest[]> {
  const rows = await db.query<{ arn: string; name: string; role_arn: string; account_id: string; region: string; risk_score: number; severity: Severity; finding_count: number; is_public: boolean }>(
    `SELECT v.arn, v.name, v.role_arn, v.account_id, v.region, v.risk_score, v.severity, f.finding_count, v.is_public FROM function_verdicts v JOIN functions f ON f.id = v.function_id
      WHERE v.scan_id = $1 AND v.risk_score IS NOT NULL ORDER BY v.risk_score DESC NULLS LAST, v.name COLLATE "C", v.arn COLLATE "C" LIMIT ${SHOWN_RISKIEST + overlay.affected.length}`,
    [scanId],
  );
  const affected = new Map(overlay.affected.map((f) => [f.arn, f]));
  const candidates: Riskiest[] = rows
    .filter((r) => !affected.has(r.arn))
    .map((r) => ({ arn: r.arn, name: r.name, roleArn: r.role_arn, accountId: r.account_id, region: r.region, riskScore: Number(r.risk_score), severity: r.severity, findingCount: Number(r.finding_count), isPublic: r.is_public }));
  for (const fn of overlay.affected) {
    if (fn.riskScore === null) continue;
    candidates.push({ arn: fn.arn, name: fn.name, roleArn: fn.roleArn, accountId: fn.accountId, region: fn.region, riskScore: fn.riskScore, severity: fn.severity ?? "info", findingCount: fn.findings.filter((x) => !x.suppressed).length, isPublic: fn.isPublic });
  }
  return candidates.sort((a, b) => b.riskScore - a.riskScore || codeUnits(a.name, b.name) || codeUnits(a.arn, b.arn)).slice(0, SHOWN_RISKIEST);
}

const SHOWN_RISKIEST = 10;
