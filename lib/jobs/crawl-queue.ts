/**
 * Crawls beyond one machine: the crawl's jobs (lib/collect/crawl-jobs.ts) go into a durable
 * queue in the scan's PostgreSQL database, on pg-boss. `saltzer worker` processes on any number
 * of machines take them; a job whose worker dies is retried by another once it expires (pg-boss
 * moves an active job past its `expireInSeconds` back to retry). The coordinator
 * (`saltzer scan --aws --queue`) reads the plan, enqueues the first jobs, follows progress, and
 * assembles and analyses the scan when the last job is done.
 *
 * Each job's result is stored in `crawl_jobs` (lib/store/queued-crawls.ts) in the same
 * transaction that enqueues the jobs it leads to, so no follow-up is lost and none is run for a
 * job recorded twice. A retried job that had in fact finished is dropped (first result wins).
 */
import crypto from "node:crypto";
import PgBoss from "pg-boss";
import { AwsClients, loadAwsSdk } from "@/lib/collect/aws-clients";
import { assembleCrawl, sumStats } from "@/lib/collect/assemble-crawl";
import { AccountCredentials, CrawlBugError, crawlJobKey, crawlJobPriority, planCrawl, runCrawlJob, type CrawlJobSpec, type CrawlPart, type CrawlPlan } from "@/lib/collect/crawl-jobs";
import { baseCredentials, clientSettings, CrawlAbortedError, planOptions, type CrawlOptions, type CrawlProgress, type CrawlResult } from "@/lib/collect/crawl-organization";
import { assertEmptyOrMissingDir, writeSnapshotLayout } from "@/lib/collect/snapshot-layout";
import { collectCallerAccount } from "@/lib/collect/sts/assume-role";
import { describeAwsError } from "@/lib/collect/aws-errors";
import { sleep } from "@/lib/collect/job-pool";
import type { Database, SqlRunner } from "@/lib/store/db";
import { addCrawlJobs, completeCrawlJob, crawlJobCounts, failCrawlJob, forgetCrawl, forgetEndedCrawls, loadCrawlJob, loadCrawlParts, saveCrawlPlan } from "@/lib/store/queued-crawls";
import { createSealKeys, PartOpener, PartSealer } from "./sealed-parts";
import { traceStep } from "@/lib/scan-trace";

export const CRAWL_QUEUE = "saltzer-crawl";
/** Jobs one worker runs at once: they mostly wait on rate limits, so many fit in one process. */
export const DEFAULT_WORKER_CONCURRENCY = 32;

/** How long a job may run before pg-boss hands it to another worker; 10 minutes by default. */
export const DEFAULT_JOB_TIMEOUT_SECONDS = 600;
/** Attempts beyond the first for a job whose worker died or failed on an error of its own. */
const RETRY_LIMIT = 5;
const POLL_MS = 300;
/** After this long with no job finished, the progress says the crawl waits for workers. */
const WAITING_NOTE_AFTER_MS = 10_000;

/** What every worker needs to run a job of this crawl: stored once, as the crawl's plan. */
interface StoredPlan {
  plan: CrawlPlan;
  /** SDK client settings of the coordinator (endpoint, rates, attempts). */
  clients: { endpoint?: string; maxAttempts?: number; ratePerSecond?: number; serviceRates?: Record<string, number> };
  /** Workers seal their parts with it (lib/jobs/sealed-parts.ts). */
  publicKey: string;
  /** Expiry of the jobs workers enqueue. */
  jobTimeoutSeconds: number;
}

interface QueuedJob {
  scanId: number;
  key: string;
  /**
   * Which crawl of the scan (crawlIdentity of its plan): a worker keeps what it read of a crawl
   * under it. Absent from jobs an older coordinator queued: their worker reads the plan each time.
   */
  crawl?: string;
}

/** A crawl's identity: a digest of the key its parts are sealed with, new for every crawl. */
function crawlIdentity(plan: StoredPlan): string {
  return crypto.createHash("sha256").update(plan.publicKey).digest("hex").slice(0, 16);
}

/** pg-boss on the store's own connection pool (or one connection, inside a transaction). */
function bossDb(conn: SqlRunner): PgBoss.Db {
  return { executeSql: async (text: string, values?: unknown[]) => ({ rows: await conn.query(text, values ?? []) }) };
}

async function startBoss(db: Database, maintenanceIntervalSeconds: number): Promise<PgBoss> {
  if (db.kind !== "postgres") throw new Error("a queued crawl needs PostgreSQL: set DATABASE_URL (with the embedded database the crawl's jobs run in this process)");
  const boss = new PgBoss({ db: bossDb(db), schedule: false, supervise: true, maintenanceIntervalSeconds });
  boss.on("error", (error) => console.error(`saltzer: crawl queue: ${error.message}`));
  await boss.start();
  await boss.createQueue(CRAWL_QUEUE, { name: CRAWL_QUEUE, retryLimit: RETRY_LIMIT, retryDelay: 0 });
  return boss;
}

/** Sends the jobs just added to `crawl_jobs`, on the same connection (and so transaction). */
async function enqueue(boss: PgBoss, conn: SqlRunner, scanId: number, plan: StoredPlan, specs: CrawlJobSpec[]): Promise<void> {
  if (specs.length === 0) return;
  const crawl = crawlIdentity(plan);
  const jobs = specs.map((spec) => ({
    name: CRAWL_QUEUE,
    data: { scanId, key: crawlJobKey(spec), crawl } satisfies QueuedJob,
    priority: crawlJobPriority(spec),
    retryLimit: RETRY_LIMIT,
    retryDelay: 0,
    expireInSeconds: plan.jobTimeoutSeconds,
  }));
  await boss.insert(jobs, { db: bossDb(conn) });
}

async function inTransaction<T>(db: Database, fn: (conn: SqlRunner) => Promise<T>): Promise<T> {
  return db.withConnection(async (conn) => {
    await conn.exec("BEGIN");
    try {
      const result = await fn(conn);
      await conn.exec("COMMIT");
      return result;
    } catch (error) {
      await conn.exec("ROLLBACK");
      throw error;
    }
  });
}

// ---------------------------------------------------------------------------------------------
// The coordinator

/** Crawls through the queue: plan here, jobs on the workers, the snapshot assembled here. */
export async function crawlThroughQueue(db: Database, scanId: number, options: CrawlOptions): Promise<CrawlResult> {
  const started = performance.now();
  if (options.saveSnapshotDir) await assertEmptyOrMissingDir(options.saveSnapshotDir);
  const timeout = options.jobTimeoutSeconds ?? DEFAULT_JOB_TIMEOUT_SECONDS;
  const signal = options.signal;
  // This process expires jobs of dead workers: it checks at least twice per timeout.
  const boss = await startBoss(db, Math.max(1, Math.min(60, Math.floor(timeout / 2))));
  const clients = new AwsClients(clientSettings(options, signal));
  const progress: CrawlProgress = { phase: "identity", accountsDone: 0, accountsTotal: 0, regionsDone: 0, regionsTotal: 0, jobsDone: 0, jobsTotal: 0, functions: 0, apiCalls: 0, retries: 0, errors: 0 };
  const report = (next: Partial<CrawlProgress>) => {
    Object.assign(progress, next);
    options.onProgress?.({ ...progress });
  };
  try {
    await forgetEndedCrawls(db);
    report({ phase: "identity" });
    traceStep("main", "planning the crawl");
    const plan = await planCrawl(planOptions(options), clients, baseCredentials(options), signal);
    const keys = createSealKeys();
    const stored: StoredPlan = {
      plan,
      clients: { endpoint: options.endpoint, maxAttempts: options.maxAttempts, ratePerSecond: options.ratePerSecond, serviceRates: options.serviceRates },
      publicKey: keys.publicKey,
      jobTimeoutSeconds: timeout,
    };
    await inTransaction(db, async (conn) => {
      await saveCrawlPlan(conn, scanId, stored);
      await enqueue(boss, conn, scanId, stored, await addCrawlJobs(conn, scanId, plan.jobs));
    });
    report({ phase: "accounts", accountsTotal: plan.accountIds.length, apiCalls: plan.stats.apiCalls, errors: plan.gaps.length });
    traceStep("main", `${plan.jobs.length} crawl job(s) queued; waiting for workers`);

    const waitStarted = Date.now();
    for (;;) {
      if (signal?.aborted) throw new CrawlAbortedError(signal.reason, progress.apiCalls);
      const counts = await crawlJobCounts(db, scanId);
      if (counts.failure) throw new Error(counts.failure);
      const exhausted = await failedQueueJob(db, scanId);
      if (exhausted) throw new Error(exhausted);
      report({
        regionsDone: counts.regionsDone,
        regionsTotal: counts.regionsTotal,
        accountsDone: counts.accountsDone,
        jobsDone: counts.done,
        jobsTotal: counts.total,
        functions: counts.functions,
        apiCalls: plan.stats.apiCalls + counts.apiCalls,
        retries: plan.stats.retries + counts.retries,
        errors: plan.gaps.length + counts.gaps,
        note: counts.done === 0 && Date.now() - waitStarted > WAITING_NOTE_AFTER_MS ? "waiting for `saltzer worker` processes on this database" : undefined,
      });
      if (counts.done === counts.total) break;
      await sleep(POLL_MS, signal).catch(() => undefined);
    }

    traceStep("main", `all ${progress.jobsTotal} crawl jobs done; reading their parts`);
    report({ phase: "normalizing" });
    const opener = new PartOpener(keys.privateKey);
    const parts = (await loadCrawlParts(db, scanId)).map(({ spec, part }) => ({ spec, part: opener.open<CrawlPart>(part) }));
    traceStep("main", "parts read; assembling the snapshot");
    const { snapshot, files } = await assembleCrawl(plan, parts);
    traceStep("main", "snapshot assembled");
    if (options.saveSnapshotDir) {
      report({ phase: "saving" });
      await writeSnapshotLayout(options.saveSnapshotDir, files);
    }
    report({ phase: "done" });
    const stats = sumStats([plan.stats, ...parts.map((p) => p.part.stats)]);
    return { snapshot, stats: { ...stats, durationMs: Math.round(performance.now() - started) } };
  } catch (error) {
    if (signal?.aborted && !(error instanceof CrawlAbortedError)) throw new CrawlAbortedError(signal.reason, progress.apiCalls);
    throw error;
  } finally {
    clients.destroy();
    await forgetCrawl(db, scanId).catch(() => undefined);
    await boss.stop({ graceful: false, wait: true }).catch(() => undefined);
  }
}

/**
 * A job of this crawl that pg-boss gave up on (its workers failed or died on it RETRY_LIMIT + 1
 * times): the scan cannot complete, so it fails naming the job and the last error.
 */
async function failedQueueJob(db: Database, scanId: number): Promise<string | null> {
  const [row] = await db.query<{ key: string; output: { message?: string } | null }>(
    `SELECT data->>'key' AS key, output FROM pgboss.job WHERE name = $1 AND state = 'failed' AND (data->>'scanId')::int = $2 LIMIT 1`,
    [CRAWL_QUEUE, scanId],
  );
  if (!row) return null;
  return `crawl job ${row.key} failed ${RETRY_LIMIT + 1} times (or its workers stopped ${RETRY_LIMIT + 1} times mid-job); last error: ${row.output?.message ?? "none recorded (the worker expired)"}`;
}

// ---------------------------------------------------------------------------------------------
// The worker

export interface CrawlWorkerOptions {
  /** Jobs this worker runs at once; DEFAULT_WORKER_CONCURRENCY by default. */
  concurrency?: number;
  /** Named profile for the worker's own credentials (default provider chain otherwise). */
  profile?: string;
  /** One line per job started and finished. */
  log?: (line: string) => void;
  /** Called once the worker's job slots wait on the queue. */
  onReady?: () => void;
  signal: AbortSignal;
}

/** Per crawl: its plan, SDK clients (their rate limits shared by this worker's jobs) and assumed credentials. */
interface CrawlContext {
  /** The crawl's plan, read with its first job here. */
  stored: StoredPlan;
  clients: AwsClients;
  /** The worker's own account decides which accounts need the audit role assumed. */
  credentials: Promise<AccountCredentials>;
  /** This worker's key for the crawl's parts (lib/jobs/sealed-parts.ts). */
  sealer: PartSealer;
  lastUsed: number;
}

const IDLE_CONTEXT_MS = 10 * 60_000;

/** Takes crawl jobs from the queue until `signal` aborts, then lets running jobs finish. */
export async function runCrawlWorker(db: Database, options: CrawlWorkerOptions): Promise<void> {
  const concurrency = options.concurrency ?? DEFAULT_WORKER_CONCURRENCY;
  // A worker whose own credentials do not work stops (its jobs go to other workers) and says why.
  let unusable: Error | null = null;
  const stop = new AbortController();
  options.signal.addEventListener("abort", () => stop.abort(), { once: true });
  const boss = await startBoss(db, 30);
  loadAwsSdk();
  /** By contextKey: scan id and crawl identity. */
  const contexts = new Map<string, CrawlContext>();
  const contextKey = (scanId: number, crawl: string) => `${scanId}/${crawl}`;
  const base = baseCredentials({ profile: options.profile });
  const log = options.log ?? (() => undefined);

  const contextFor = (scanId: number, stored: StoredPlan): CrawlContext => {
    const now = Date.now();
    for (const [id, c] of contexts) {
      if (now - c.lastUsed > IDLE_CONTEXT_MS) {
        c.clients.destroy();
        contexts.delete(id);
      }
    }
    const key = contextKey(scanId, crawlIdentity(stored));
    let context = contexts.get(key);
    if (!context) {
      const clients = new AwsClients(clientSettings(stored.clients));
      // A worker may run as another principal than the coordinator: only its own account is read with its own credentials.
      const credentials = collectCallerAccount(clients.sts("caller", base)).then(
        (own) => new AccountCredentials(stored.plan.settings, base, clients, undefined, own.accountId),
        (error: unknown) => {
          throw new Error(`this worker cannot use its AWS credentials${options.profile ? ` (profile ${options.profile})` : ""}: sts:GetCallerIdentity failed: ${describeAwsError(error)}`, { cause: error });
        },
      );
      credentials.catch(() => undefined);
      context = { stored, clients, credentials, sealer: new PartSealer(stored.publicKey), lastUsed: now };
      contexts.set(key, context);
    }
    context.lastUsed = now;
    return context;
  };

  const handle = async ({ scanId, key, crawl }: QueuedJob): Promise<void> => {
    const known = crawl === undefined ? undefined : contexts.get(contextKey(scanId, crawl));
    const row = await loadCrawlJob(db, scanId, key, !known);
    // Gone (the crawl ended), done already (a retry of a job that finished), or the scan stopped.
    if (!row || row.status !== "pending" || row.scanStatus !== "running") return;
    const context = contextFor(scanId, known?.stored ?? (row.plan as StoredPlan));
    const stored = context.stored;
    log(`scan ${scanId}: ${key} started`);
    let part: CrawlPart;
    try {
      let credentials: AccountCredentials;
      try {
        credentials = await context.credentials;
      } catch (error) {
        unusable ??= error as Error;
        stop.abort();
        throw error;
      }
      part = await runCrawlJob(row.spec, { settings: stored.plan.settings, clients: context.clients, base, credentials });
    } catch (error) {
      // A bug fails the scan (no retry could help); anything else is retried by pg-boss.
      if (!(error instanceof CrawlBugError)) throw error;
      await failCrawlJob(db, scanId, key, error.message);
      log(`scan ${scanId}: ${key} failed: ${error.message}`);
      return;
    }
    const done = { part: context.sealer.seal(part), stats: part.stats, functions: part.functions, gaps: part.gaps.length + part.functionFailures.length };
    // With jobs to follow, the result and those jobs are stored together; alone, one statement is atomic already.
    const recorded =
      part.followUps.length === 0
        ? await completeCrawlJob(db, scanId, key, done)
        : await inTransaction(db, async (conn) => {
            const first = await completeCrawlJob(conn, scanId, key, done);
            if (first) await enqueue(boss, conn, scanId, stored, await addCrawlJobs(conn, scanId, part.followUps));
            return first;
          });
    log(`scan ${scanId}: ${key} done (${part.stats.apiCalls} API calls${recorded ? "" : "; already done by another worker"})`);
    // The jobs it led to are queued: this worker's idle slots take them now rather than at their next poll.
    if (recorded && part.followUps.length > 0) for (const id of slots) boss.notifyWorker(id);
  };

  const slots: string[] = [];
  for (let i = 0; i < concurrency; i++) {
    const slot = await boss.work<QueuedJob>(CRAWL_QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async (jobs) => {
      for (const job of jobs) await handle(job.data);
      // A slot that just ran a job asks for the next one at once: pg-boss would otherwise wait out
      // the rest of its polling interval after a short job (most jobs take well under 0.5 s), and
      // a third of the slots sat idle with jobs queued. An empty fetch still waits the interval.
      boss.notifyWorker(slot);
    });
    slots.push(slot);
  }
  options.onReady?.();
  await new Promise<void>((resolve) => {
    if (stop.signal.aborted) resolve();
    else stop.signal.addEventListener("abort", () => resolve(), { once: true });
  });
  await boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  for (const c of contexts.values()) c.clients.destroy();
  if (unusable) throw unusable;
}
