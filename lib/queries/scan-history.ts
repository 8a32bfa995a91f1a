import "server-only";
import type { CoverageGap } from "@/lib/snapshot/types";
import { getDb } from "@/lib/server/db";
import { gapsCodec } from "@/lib/store/codecs/gaps";
import { describeCrawlStats, parseCrawlStats, type StoredCrawlStats } from "@/lib/store/crawl-stats";

export interface ScanHistoryRow {
  id: number;
  status: string;
  phase: string | null;
  startedAt: string;
  finishedAt: string | null;
  sourceKind: string;
  sourceLocation: string;
  accountCount: number;
  functionCount: number;
  findingCount: number;
  gaps: CoverageGap[];
  error: string | null;
  /** Live crawls: API calls, retries and throttles, in all and per API. */
  crawlStats: StoredCrawlStats | null;
  /** `412 API calls, 3 retries, 1 throttled in 12.3 s`, as the CLI prints it. */
  crawlSummary: string | null;
}

export async function listScans(limit = 50): Promise<ScanHistoryRow[]> {
  const db = await getDb();
  // Not the stored organization tree: ~190 KB per scan at 1,000 accounts, parsed for nothing.
  const scans = await db.prisma.scan.findMany({
    orderBy: { id: "desc" },
    take: limit,
    select: { id: true, status: true, phase: true, startedAt: true, finishedAt: true, sourceKind: true, sourceLocation: true, accountCount: true, functionCount: true, findingCount: true, gaps: true, error: true, crawlStats: true },
  });
  return scans.map((s) => withCrawlSummary({
    id: s.id,
    status: s.status,
    phase: s.phase,
    startedAt: s.startedAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
    sourceKind: s.sourceKind,
    sourceLocation: s.sourceLocation,
    accountCount: s.accountCount,
    functionCount: s.functionCount,
    findingCount: s.findingCount,
    gaps: gapsCodec.decode(s.gaps ?? [], { scanId: s.id }),
    error: s.error,
    crawlStats: parseCrawlStats(s.crawlStats),
  }));
}

function withCrawlSummary(row: Omit<ScanHistoryRow, "crawlSummary">): ScanHistoryRow {
  return { ...row, crawlSummary: row.crawlStats ? describeCrawlStats(row.crawlStats) : null };
}
