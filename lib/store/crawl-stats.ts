/**
 * A live crawl's statistics, stored on its scan (`scans.crawl_stats`) through this codec: the CLI
 * summary and the scans page read the same numbers.
 */
import { z } from "zod";
import type { SqlRunner } from "@/lib/store/db";

const counters = z.object({ apiCalls: z.number().int().nonnegative(), retries: z.number().int().nonnegative(), throttled: z.number().int().nonnegative() });

export const crawlStatsSchema = counters.extend({
  durationMs: z.number().nonnegative(),
  /** Per API (`lambda:ListFunctions`), sorted by name. */
  byApi: z.record(z.string(), counters),
});

/** API calls (HTTP attempts, retries included), retries and throttled answers, in all and per API. */
export type StoredCrawlStats = z.infer<typeof crawlStatsSchema>;

export async function saveCrawlStats(db: SqlRunner, scanId: number, stats: StoredCrawlStats): Promise<void> {
  await db.query(`UPDATE scans SET crawl_stats = $2::jsonb WHERE id = $1`, [scanId, JSON.stringify(crawlStatsSchema.parse(stats))]);
}

/** The stored value, or null (a snapshot scan, or a value this version cannot read). */
export function parseCrawlStats(value: unknown): StoredCrawlStats | null {
  if (value === null || value === undefined) return null;
  const result = crawlStatsSchema.safeParse(value);
  return result.success ? result.data : null;
}

/** `412 API calls, 3 retries, 1 throttled in 12.3 s` */
export function describeCrawlStats(stats: StoredCrawlStats): string {
  return `${stats.apiCalls} API calls, ${stats.retries} retries, ${stats.throttled} throttled in ${(stats.durationMs / 1000).toFixed(1)} s`;
}
