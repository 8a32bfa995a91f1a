import "server-only";
import { FINDING_CATEGORIES, SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { CoverageGap } from "@/lib/snapshot/types";
import { getDb } from "@/lib/server/db";

export interface Overview {
  bySeverity: Record<Severity, number>;
  unanalysed: number;
  byAccount: { accountId: string; name: string | null; functions: number; counts: Record<Severity, number> }[];
  riskiest: { arn: string; name: string; accountId: string; region: string; riskScore: number; severity: Severity; findingCount: number; isPublic: boolean }[];
  categories: { category: string; findings: number; functions: number }[];
  trend: { scanId: number; startedAt: string; status: string; functions: number; critical: number; high: number; findings: number }[];
  gaps: CoverageGap[];
  suppressed: number;
}

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

export async function getOverview(scanId: number): Promise<Overview> {
  const db = await getDb();
  const [severityRows, accountRows, accounts, riskiest, categoryRows, trendRows, scan, suppressedRows] = await Promise.all([
    db.query<{ severity: Severity | null; n: number }>(`SELECT severity, count(*)::int AS n FROM functions WHERE scan_id = $1 GROUP BY severity`, [scanId]),
    db.query<{ account_id: string; severity: Severity | null; n: number }>(`SELECT account_id, severity, count(*)::int AS n FROM functions WHERE scan_id = $1 GROUP BY account_id, severity`, [scanId]),
    db.prisma.account.findMany({ where: { scanId }, select: { accountId: true, name: true }, orderBy: { accountId: "asc" } }),
    db.prisma.lambdaFunction.findMany({
      where: { scanId, riskScore: { not: null } },
      orderBy: [{ riskScore: "desc" }, { name: "asc" }],
      take: 10,
      select: { arn: true, name: true, accountId: true, region: true, riskScore: true, severity: true, findingCount: true, isPublic: true },
    }),
    db.query<{ category: string; findings: number; functions: number }>(
      `SELECT f.category, count(*)::int AS findings, count(DISTINCT f.function_arn)::int AS functions FROM findings f
        WHERE f.scan_id = $1 AND NOT EXISTS (SELECT 1 FROM suppressions s WHERE s.fingerprint = f.fingerprint AND (s.expires_at IS NULL OR s.expires_at > now()))
        GROUP BY f.category`,
      [scanId],
    ),
    db.query<{ id: number; started_at: Date; status: string; function_count: number; finding_count: number; critical: number; high: number }>(
      `SELECT s.id, s.started_at, s.status, s.function_count, s.finding_count,
              (SELECT count(*)::int FROM functions f WHERE f.scan_id = s.id AND f.severity = 'critical') AS critical,
              (SELECT count(*)::int FROM functions f WHERE f.scan_id = s.id AND f.severity = 'high') AS high
         FROM scans s WHERE s.status IN ('succeeded', 'partial') AND s.id <= $1 ORDER BY s.id DESC LIMIT 12`,
      [scanId],
    ),
    db.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, select: { gaps: true } }),
    db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM findings f JOIN suppressions s ON s.fingerprint = f.fingerprint AND (s.expires_at IS NULL OR s.expires_at > now()) WHERE f.scan_id = $1`,
      [scanId],
    ),
  ]);
  const bySeverity = emptyCounts();
  let unanalysed = 0;
  for (const r of severityRows) {
    if (r.severity) bySeverity[r.severity] = r.n;
    else unanalysed += r.n;
  }
  const byAccountMap = new Map(accounts.map((a) => [a.accountId, { accountId: a.accountId, name: a.name, functions: 0, counts: emptyCounts() }]));
  for (const r of accountRows) {
    const entry = byAccountMap.get(r.account_id);
    if (!entry) continue;
    entry.functions += r.n;
    if (r.severity) entry.counts[r.severity] += r.n;
  }
  const categoryOrder = new Map(FINDING_CATEGORIES.map((c, i) => [c as string, i]));
  return {
    bySeverity,
    unanalysed,
    byAccount: [...byAccountMap.values()].sort((a, b) => SEVERITIES.reduce((acc, s) => acc || b.counts[s] - a.counts[s], 0) || a.accountId.localeCompare(b.accountId)),
    riskiest: riskiest.map((r) => ({ ...r, riskScore: r.riskScore ?? 0, severity: (r.severity as Severity) ?? "info" })),
    categories: categoryRows.sort((a, b) => b.findings - a.findings || (categoryOrder.get(a.category) ?? 0) - (categoryOrder.get(b.category) ?? 0)),
    trend: trendRows.reverse().map((r) => ({ scanId: r.id, startedAt: new Date(r.started_at).toISOString(), status: r.status, functions: r.function_count, critical: r.critical, high: r.high, findings: r.finding_count })),
    gaps: scan.gaps as unknown as CoverageGap[],
    suppressed: suppressedRows[0]?.n ?? 0,
  };
}
