import "server-only";
import { FINDING_CATEGORIES, SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { CoverageGap } from "@/lib/snapshot/types";
import { getDb } from "@/lib/server/db";
import { loadScanView } from "./scan-view";

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

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0, info: 0 });

/** The overview, from the same scan view as the risk view: its counts are what its links open. */
export async function getOverview(scanId: number): Promise<Overview> {
  const db = await getDb();
  const [view, trendRows, scan] = await Promise.all([
    loadScanView(db, scanId, { light: true }),
    db.query<{ id: number; started_at: Date; status: string; function_count: number; finding_count: number; critical: number; high: number }>(
      `SELECT s.id, s.started_at, s.status, s.function_count, s.finding_count,
              (SELECT count(*)::int FROM functions f WHERE f.scan_id = s.id AND f.severity = 'critical') AS critical,
              (SELECT count(*)::int FROM functions f WHERE f.scan_id = s.id AND f.severity = 'high') AS high
         FROM scans s WHERE s.status IN ('succeeded', 'partial') AND s.id < $1 ORDER BY s.id DESC LIMIT 11`,
      [scanId],
    ),
    db.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, select: { id: true, startedAt: true, status: true, functionCount: true, gaps: true } }),
  ]);
  const bySeverity = emptyCounts();
  let unanalysed = 0;
  let suppressed = 0;
  let incomplete = 0;
  const byAccountMap = new Map(view.accounts.map((a) => [a.id, { accountId: a.id, name: a.name, functions: 0, counts: emptyCounts() }]));
  const categories = new Map<string, { category: string; findings: number; functions: number }>();
  for (const fn of view.functions) {
    if (fn.severity) bySeverity[fn.severity] += 1;
    else unanalysed += 1;
    if (fn.incomplete.length > 0) incomplete += 1;
    const entry = byAccountMap.get(fn.accountId);
    if (entry) {
      entry.functions += 1;
      if (fn.severity) entry.counts[fn.severity] += 1;
    }
    const seen = new Set<string>();
    for (const f of fn.findings) {
      if (f.suppressed) {
        suppressed += 1;
        continue;
      }
      const c = categories.get(f.category) ?? { category: f.category, findings: 0, functions: 0 };
      c.findings += 1;
      if (!seen.has(f.category)) c.functions += 1;
      seen.add(f.category);
      categories.set(f.category, c);
    }
  }
  const riskiest = view.functions
    .filter((f) => f.riskScore !== null)
    .sort((a, b) => (b.riskScore ?? 0) - (a.riskScore ?? 0) || a.name.localeCompare(b.name))
    .slice(0, 10)
    .map((f) => ({ arn: f.arn, name: f.name, roleArn: f.roleArn, accountId: f.accountId, region: f.region, riskScore: f.riskScore ?? 0, severity: f.severity ?? "info", findingCount: f.findings.filter((x) => !x.suppressed).length, isPublic: f.isPublic }));
  const categoryOrder = new Map(FINDING_CATEGORIES.map((c, i) => [c as string, i]));
  const current = { scanId: scan.id, startedAt: scan.startedAt.toISOString(), status: scan.status, functions: scan.functionCount, critical: bySeverity.critical, high: bySeverity.high, findings: [...categories.values()].reduce((n, c) => n + c.findings, 0) };
  return {
    bySeverity,
    unanalysed,
    incomplete,
    byAccount: [...byAccountMap.values()].sort((a, b) => SEVERITIES.reduce((acc, s) => acc || b.counts[s] - a.counts[s], 0) || a.accountId.localeCompare(b.accountId)),
    riskiest,
    categories: [...categories.values()].sort((a, b) => b.findings - a.findings || (categoryOrder.get(a.category) ?? 0) - (categoryOrder.get(b.category) ?? 0)),
    trend: [...trendRows.reverse().map((r) => ({ scanId: r.id, startedAt: new Date(r.started_at).toISOString(), status: r.status, functions: r.function_count, critical: r.critical, high: r.high, findings: r.finding_count })), current],
    gaps: scan.gaps as unknown as CoverageGap[],
    suppressed,
  };
}
