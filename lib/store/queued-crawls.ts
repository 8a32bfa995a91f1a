/**
 * The store side of queued crawls (lib/jobs/crawl-queue.ts): a plan row and one row per job,
 * written by the coordinator and the workers, read back to assemble the scan, deleted after.
 */
import { z } from "zod";
import { crawlJobKey, type CrawlJobSpec, type PartStats } from "@/lib/collect/crawl-jobs";
import type { SqlRunner } from "./db";

const counters = z.object({ apiCalls: z.number(), retries: z.number(), throttled: z.number() });
const partStatsSchema = counters.extend({ byApi: z.record(z.string(), counters) });

/** Adds jobs not already known to the scan; returns the specs newly added (each key once). */
export async function addCrawlJobs(conn: SqlRunner, scanId: number, specs: CrawlJobSpec[]): Promise<CrawlJobSpec[]> {
  const unique = new Map(specs.map((spec) => [crawlJobKey(spec), spec]));
  if (unique.size === 0) return [];
  const rows = [...unique].map(([key, spec]) => ({ job_key: key, account_id: "accountId" in spec ? spec.accountId : null, spec }));
  const inserted = await conn.query<{ job_key: string }>(
    `INSERT INTO crawl_jobs (scan_id, job_key, account_id, spec)
     SELECT $1, r.job_key, r.account_id, r.spec FROM json_to_recordset($2::json) AS r(job_key text, account_id text, spec jsonb)
     ON CONFLICT (scan_id, job_key) DO NOTHING RETURNING job_key`,
    [scanId, JSON.stringify(rows)],
  );
  return inserted.map((r) => unique.get(r.job_key) as CrawlJobSpec);
}

/** Records a job's sealed part; false when it was already done (a retried job finished twice). */
export async function completeCrawlJob(conn: SqlRunner, scanId: number, key: string, done: { part: string; stats: PartStats; functions: number; gaps: number }): Promise<boolean> {
  const rows = await conn.query(
    `UPDATE crawl_jobs SET status = 'done', part = $3, stats = $4::jsonb, functions = $5, gaps = $6, finished_at = now()
     WHERE scan_id = $1 AND job_key = $2 AND status = 'pending' RETURNING job_key`,
    [scanId, key, done.part, JSON.stringify(partStatsSchema.parse(done.stats)), done.functions, done.gaps],
  );
  return rows.length === 1;
}

/** A job that met an error the crawl does not expect: the coordinator fails the scan with it. */
export async function failCrawlJob(conn: SqlRunner, scanId: number, key: string, message: string): Promise<void> {
  await conn.query(`UPDATE crawl_jobs SET status = 'failed', error = $3, finished_at = now() WHERE scan_id = $1 AND job_key = $2 AND status = 'pending'`, [scanId, key, message]);
}

export interface CrawlJobCounts {
  total: number;
  done: number;
  regionsTotal: number;
  regionsDone: number;
  accountsTotal: number;
  accountsDone: number;
  functions: number;
  gaps: number;
  apiCalls: number;
  retries: number;
  /** The first failed job's error, if any. */
  failure: string | null;
}

export async function crawlJobCounts(conn: SqlRunner, scanId: number): Promise<CrawlJobCounts> {
  const [row] = await conn.query<Record<string, number | string | null>>(
    `SELECT count(*)::int AS total,
            count(*) FILTER (WHERE status = 'done')::int AS done,
            count(*) FILTER (WHERE job_key LIKE 'region/%')::int AS regions_total,
            count(*) FILTER (WHERE job_key LIKE 'region/%' AND status = 'done')::int AS regions_done,
            count(DISTINCT account_id)::int AS accounts_total,
            (count(DISTINCT account_id) - count(DISTINCT account_id) FILTER (WHERE status <> 'done'))::int AS accounts_done,
            coalesce(sum(functions), 0)::int AS functions,
            coalesce(sum(gaps), 0)::int AS gaps,
            coalesce(sum((stats->>'apiCalls')::int), 0)::int AS api_calls,
            coalesce(sum((stats->>'retries')::int), 0)::int AS retries,
            min(error) FILTER (WHERE status = 'failed') AS failure
     FROM crawl_jobs WHERE scan_id = $1`,
    [scanId],
  );
  return {
    total: Number(row.total),
    done: Number(row.done),
    regionsTotal: Number(row.regions_total),
    regionsDone: Number(row.regions_done),
    accountsTotal: Number(row.accounts_total),
    accountsDone: Number(row.accounts_done),
    functions: Number(row.functions),
    gaps: Number(row.gaps),
    apiCalls: Number(row.api_calls),
    retries: Number(row.retries),
    failure: (row.failure as string | null) ?? null,
  };
}

export async function saveCrawlPlan(conn: SqlRunner, scanId: number, plan: unknown): Promise<void> {
  await conn.query(`INSERT INTO crawl_plans (scan_id, plan) VALUES ($1, $2::jsonb)`, [scanId, JSON.stringify(plan)]);
}

/**
 * A job's spec, its status and the scan's status; null when the crawl is gone. With `withPlan`,
 * also the crawl's plan (a worker reads it once per crawl: it does not change).
 */
export async function loadCrawlJob(conn: SqlRunner, scanId: number, key: string, withPlan: boolean): Promise<{ spec: CrawlJobSpec; status: string; scanStatus: string; plan: unknown } | null> {
  const [row] = await conn.query<{ spec: CrawlJobSpec; status: string; scan_status: string; plan: unknown }>(
    `SELECT j.spec, j.status, s.status AS scan_status, ${withPlan ? "p.plan" : "NULL AS plan"}
     FROM crawl_jobs j ${withPlan ? "JOIN crawl_plans p ON p.scan_id = j.scan_id" : ""} JOIN scans s ON s.id = j.scan_id
     WHERE j.scan_id = $1 AND j.job_key = $2`,
    [scanId, key],
  );
  return row ? { spec: row.spec, status: row.status, scanStatus: row.scan_status, plan: row.plan } : null;
}

/** Every done job's spec and sealed part, in key order. */
export async function loadCrawlParts(conn: SqlRunner, scanId: number): Promise<{ spec: CrawlJobSpec; part: string }[]> {
  return conn.query<{ spec: CrawlJobSpec; part: string }>(`SELECT spec, part FROM crawl_jobs WHERE scan_id = $1 AND status = 'done' ORDER BY job_key`, [scanId]);
}

/** Deletes a crawl's plan and jobs (after assembly, or when it failed or was cancelled). */
export async function forgetCrawl(conn: SqlRunner, scanId: number): Promise<void> {
  await conn.query(`DELETE FROM crawl_jobs WHERE scan_id = $1`, [scanId]);
  await conn.query(`DELETE FROM crawl_plans WHERE scan_id = $1`, [scanId]);
}

/** Crawl rows whose scan no longer runs (its coordinator died): sealed with a key that is gone. */
export async function forgetEndedCrawls(conn: SqlRunner): Promise<void> {
  await conn.query(`DELETE FROM crawl_jobs WHERE scan_id IN (SELECT id FROM scans WHERE status <> 'running')`);
  await conn.query(`DELETE FROM crawl_plans WHERE scan_id IN (SELECT id FROM scans WHERE status <> 'running')`);
}
