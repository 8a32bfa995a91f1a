/**
 * The live crawl: reads an AWS organization (or single accounts) through the SDK and returns
 * the same normalized Snapshot as `readSnapshotDir` gives for the same data.
 *
 * Design: every collector returns the raw response in the AWS CLI's shape, kept under the
 * offline snapshot layout's paths; the directory reader's normalization then reads them from
 * memory (`readSnapshotFiles`). So crawl and offline cannot drift apart, and `--save-snapshot`
 * simply writes those files. The work is split into jobs per (account, region, API group)
 * (`crawl-jobs.ts`): here they run in this process on a bounded pool; with `--queue` the same
 * jobs run on `saltzer worker` processes (`lib/jobs/crawl-queue.ts`). Either way the parts are
 * assembled into one snapshot by `assembleCrawl`.
 *
 * Errors: AccessDenied, NotFound, a disabled opt-in region, retries exhausted (throttling, 5xx or
 * network failures left after the SDK's retries) and a response that cannot be read (by the SDK,
 * or by the snapshot reader's normalization) become coverage gaps naming account, region, API and
 * message; the crawl goes on and the scan ends `partial`. Any other error is a bug of ours and
 * rejects the crawl (CrawlBugError), as do unusable credentials (sts:GetCallerIdentity fails)
 * and an abort (CrawlAbortedError). It stores nothing: the caller stores the result.
 */
import { setMaxListeners } from "node:events";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { z } from "zod";
import type { RetryStrategyV2 } from "@aws-sdk/types";
import { AwsClients, type ApiCallStats, type Credentials } from "@/lib/collect/aws-clients";
import { assembleCrawl, sumStats } from "@/lib/collect/assemble-crawl";
import { AccountCredentials, ORGANIZATION_READS_AT_ONCE, crawlJobKey, planCrawl, runCrawlJob, type CrawlJobSpec, type CrawlPart, type CrawlPlan } from "@/lib/collect/crawl-jobs";
import { JobPool, LanePool } from "@/lib/collect/job-pool";
import { assertEmptyOrMissingDir, writeSnapshotLayout } from "@/lib/collect/snapshot-layout";
import type { Snapshot } from "@/lib/snapshot/types";

export { CrawlBugError } from "@/lib/collect/crawl-jobs";

/** The role `policies/saltzer-audit-role.cfn.yaml` creates in every account. */
export const DEFAULT_AUDIT_ROLE_NAME = "SaltzerAuditRole";

export interface CrawlOptions {
  /** Read the organization (from its management account or a delegated administrator) and crawl its ACTIVE members. */
  org: boolean;
  /** Only these accounts (org mode: a subset of the members; otherwise: these accounts, default the caller's). */
  accounts?: string[];
  /** These regions in every account; default: every region enabled for the account (ec2:DescribeRegions). */
  regions?: string[];
  /** Role assumed in every account other than the caller's; default SaltzerAuditRole. */
  assumeRoleName?: string;
  externalId?: string;
  /** Also read IAM service-last-accessed (ACTION_LEVEL) for each function's execution role. */
  lastAccessed?: boolean;
  /** Named profile for the default credential chain. */
  profile?: string;
  /** Send every request to this URL (tests: the replay server). */
  endpoint?: string;
  /** Credentials instead of the default provider chain. */
  credentials?: Credentials;
  /** Jobs running at once in this process; 1,024 by default, 2 per account-region (most of their time they wait on a rate limit). */
  concurrency?: number;
  /** Requests per second per account, region and service; 10 by default. */
  ratePerSecond?: number;
  /** Other rates for some services (`{ sts: 50 }`). */
  serviceRates?: Record<string, number>;
  /** SDK attempts per request (adaptive retry mode); 8 by default. */
  maxAttempts?: number;
  /** Replaces the SDK's adaptive retry strategy (tests only: fast backoff). */
  retryStrategy?: RetryStrategyV2;
  /** First wait between service-last-accessed polls; 1000 ms by default. */
  lastAccessedPollMs?: number;
  onProgress?: (progress: CrawlProgress) => void;
  /** Also write the collected responses in the offline snapshot layout (must be empty or absent). */
  saveSnapshotDir?: string;
  /** Run the jobs on `saltzer worker` processes through the durable queue (PostgreSQL only; see lib/jobs/crawl-queue.ts). */
  queue?: boolean;
  /** Queued crawls: seconds a job may run before another worker takes it over; 600 by default. */
  jobTimeoutSeconds?: number;
  signal?: AbortSignal;
}

/** Crawl progress, for the CLI progress bar and the dashboard. */
export interface CrawlProgress {
  phase: "identity" | "organization" | "accounts" | "normalizing" | "saving" | "done";
  accountsDone: number;
  accountsTotal: number;
  regionsDone: number;
  regionsTotal: number;
  /** Jobs finished and known so far (follow-up jobs are known once the job before them is done). */
  jobsDone: number;
  jobsTotal: number;
  functions: number;
  apiCalls: number;
  retries: number;
  /** Coverage gaps recorded so far. */
  errors: number;
  /** Said while nothing moves for a reason the user can act on (no worker takes the queued jobs). */
  note?: string;
}

export interface CrawlStats {
  /** HTTP requests sent, retries included. */
  apiCalls: number;
  /** Requests that were retries of an earlier attempt. */
  retries: number;
  /** Requests answered with a throttling error. */
  throttled: number;
  durationMs: number;
  /** The same counters per API (`lambda:ListFunctions` …). */
  byApi: Record<string, ApiCallStats>;
}

export interface CrawlResult {
  snapshot: Snapshot;
  stats: CrawlStats;
}

/** The crawl was aborted through its signal; nothing was returned to store. */
export class CrawlAbortedError extends Error {
  constructor(reason: unknown, apiCalls: number) {
    const why = reason instanceof Error ? reason.message : reason === undefined ? "aborted" : String(reason);
    super(`AWS crawl aborted after ${apiCalls} API calls (${why}); no snapshot was produced`);
    this.name = "CrawlAbortedError";
  }
}

/**
 * Jobs at once in one process. A job spends most of its time waiting for its account-region's
 * rate limit, so a crawl keeps every busy account-region going at once (the API-rate bound) only
 * with a slot for each: 1,000 functions in 100 accounts of 3 regions are 300 account-regions. The
 * rate limits, not this number, protect AWS; it bounds the memory of jobs in flight.
 */
export const DEFAULT_CRAWL_CONCURRENCY = 1024;
/**
 * Jobs at once per account-region (and per account for its IAM and EC2 reads): its jobs share its
 * rate limits, and two keep its token bucket busy (a `functions` job has two reads in flight), so
 * the other slots go to account-regions with tokens to spend.
 */
const JOBS_PER_LANE = 2;
const LAST_ACCESSED_CONCURRENCY = 4;
/** Requests one job has in flight at most (the organization job reads several targets at once). */
const REQUESTS_PER_JOB = ORGANIZATION_READS_AT_ONCE;

/** The SDK clients' settings a crawl's options give. */
export function clientSettings(options: Pick<CrawlOptions, "endpoint" | "maxAttempts" | "ratePerSecond" | "serviceRates" | "retryStrategy">, signal?: AbortSignal) {
  return { endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 8, ratePerSecond: options.ratePerSecond ?? 10, serviceRates: options.serviceRates, signal, retryStrategy: options.retryStrategy };
}

/** The base credentials: given ones, or the default provider chain (with `--profile`). */
export function baseCredentials(options: Pick<CrawlOptions, "credentials" | "profile">): Credentials {
  return options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
}

/** What the plan needs from the options. */
export function planOptions(options: CrawlOptions) {
  return {
    org: options.org,
    accounts: options.accounts,
    regions: options.regions,
    assumeRoleName: options.assumeRoleName ?? DEFAULT_AUDIT_ROLE_NAME,
    externalId: options.externalId,
    lastAccessed: options.lastAccessed,
    lastAccessedPollMs: options.lastAccessedPollMs,
    profile: options.profile,
  };
}

/** Crawls in this process: the plan, every job on a bounded pool, then one snapshot from the parts. */
export async function crawlOrganization(options: CrawlOptions): Promise<CrawlResult> {
  const started = performance.now();
  if (options.saveSnapshotDir) await assertEmptyOrMissingDir(options.saveSnapshotDir);
  const concurrency = options.concurrency ?? DEFAULT_CRAWL_CONCURRENCY;
  // Every in-flight request and every rate-limit wait listens for an abort; Node warns
  // (MaxListenersExceededWarning) past 10 listeners on one signal, so the crawl uses its own
  // signal with the pools' bound, forwarding the caller's with one listener.
  const crawlAbort = new AbortController();
  const forwardAbort = () => crawlAbort.abort(options.signal?.reason);
  if (options.signal?.aborted) forwardAbort();
  else options.signal?.addEventListener("abort", forwardAbort, { once: true });
  setMaxListeners(2 * REQUESTS_PER_JOB * (concurrency + LAST_ACCESSED_CONCURRENCY) + 4, crawlAbort.signal);
  const signal = options.signal ? crawlAbort.signal : undefined;

  const base = baseCredentials(options);
  const clients = new AwsClients(clientSettings(options, signal));
  const tracker = new CrawlTracker((progress) => options.onProgress?.({ ...progress, apiCalls: clients.stats.apiCalls, retries: clients.stats.apiCalls - clients.stats.operations }));
  try {
    tracker.report("identity");
    const plan = await planCrawl(planOptions(options), clients, base, signal);
    tracker.planned(plan);
    const credentials = new AccountCredentials(plan.settings, base, clients, signal);
    const parts = await runJobsInProcess(plan.jobs, (spec) => runCrawlJob(spec, { settings: plan.settings, clients, base, credentials, signal }), {
      concurrency,
      signal,
      onDone: (spec, part) => tracker.done(spec, part),
    });
    tracker.report("normalizing");
    const { snapshot, files } = await assembleCrawl(plan, parts);
    if (options.saveSnapshotDir) {
      tracker.report("saving");
      await writeSnapshotLayout(options.saveSnapshotDir, files);
    }
    tracker.report("done");
    const stats = sumStats([plan.stats, ...parts.map((p) => p.part.stats)]);
    return { snapshot, stats: { ...stats, durationMs: Math.round(performance.now() - started) } };
  } catch (error) {
    if (signal?.aborted) throw new CrawlAbortedError(signal.reason, clients.stats.apiCalls);
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", forwardAbort);
    clients.destroy();
  }
}

/**
 * Runs the jobs and the follow-ups they yield, each key once, at most `concurrency` at once
 * (last-accessed jobs on a pool of their own: IAM generates those reports slowly). Rejects with
 * the first job that rejects.
 */
export function runJobsInProcess(
  initial: CrawlJobSpec[],
  run: (spec: CrawlJobSpec) => Promise<CrawlPart>,
  options: { concurrency: number; signal?: AbortSignal; onDone?: (spec: CrawlJobSpec, part: CrawlPart) => void },
): Promise<{ spec: CrawlJobSpec; part: CrawlPart }[]> {
  const pool = new LanePool(options.concurrency, JOBS_PER_LANE);
  const lastAccessedPool = new JobPool(LAST_ACCESSED_CONCURRENCY);
  const seen = new Set<string>();
  const results: { spec: CrawlJobSpec; part: CrawlPart }[] = [];
  let outstanding = 0;
  return new Promise((resolve, reject) => {
    let failed = false;
    const start = (spec: CrawlJobSpec) => {
      const key = crawlJobKey(spec);
      if (seen.has(key) || failed) return;
      seen.add(key);
      outstanding++;
      (spec.kind === "last-accessed" ? lastAccessedPool.run(() => run(spec), options.signal) : pool.run(laneOf(spec), () => run(spec), options.signal))
        .then((part) => {
          if (failed) return;
          results.push({ spec, part });
          options.onDone?.(spec, part);
          for (const next of part.followUps) start(next);
          if (--outstanding === 0) resolve(results);
        })
        .catch((error: unknown) => {
          if (failed) return;
          failed = true;
          reject(error);
        });
    };
    for (const spec of initial) start(spec);
    if (outstanding === 0) resolve(results);
  });
}

/** The account-region whose rate limits a job spends (an account's IAM and EC2 reads: `global`). */
function laneOf(spec: CrawlJobSpec): string {
  switch (spec.kind) {
    case "organization":
      return "organization";
    case "account":
    case "last-accessed":
      return `${spec.accountId}|global`;
    case "region":
    case "functions":
      return `${spec.accountId}|${spec.region}`;
  }
}

/** Progress from finished jobs, the same way whichever process ran them. */
export class CrawlTracker {
  private readonly progress: CrawlProgress = { phase: "identity", accountsDone: 0, accountsTotal: 0, regionsDone: 0, regionsTotal: 0, jobsDone: 0, jobsTotal: 0, functions: 0, apiCalls: 0, retries: 0, errors: 0 };
  /** Jobs not yet done per account: an account is done when none is left. */
  private readonly open = new Map<string, number>();
  private readonly seen = new Set<string>();

  constructor(private readonly emit: (progress: CrawlProgress) => void) {}

  report(phase?: CrawlProgress["phase"]): void {
    if (phase) this.progress.phase = phase;
    this.emit({ ...this.progress });
  }

  planned(plan: CrawlPlan): void {
    this.progress.accountsTotal = plan.accountIds.length;
    this.progress.errors = plan.gaps.length;
    for (const spec of plan.jobs) this.known(spec);
    this.report("accounts");
  }

  done(spec: CrawlJobSpec, part: CrawlPart): void {
    for (const next of part.followUps) this.known(next);
    this.progress.jobsDone++;
    this.progress.functions += part.functions;
    this.progress.errors += part.gaps.length + part.functionFailures.length;
    if (spec.kind === "region") this.progress.regionsDone++;
    if (spec.kind !== "organization") {
      const left = (this.open.get(spec.accountId) ?? 1) - 1;
      this.open.set(spec.accountId, left);
      if (left === 0) this.progress.accountsDone++;
    }
    this.report();
  }

  private known(spec: CrawlJobSpec): void {
    const key = crawlJobKey(spec);
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.progress.jobsTotal++;
    if (spec.kind === "region") this.progress.regionsTotal++;
    if (spec.kind !== "organization") this.open.set(spec.accountId, (this.open.get(spec.accountId) ?? 0) + 1);
  }
}

// ---------------------------------------------------------------------------------------------
// CLI flags

const accountId = z.string().regex(/^\d{12}$/, { message: "must be a 12-digit AWS account id" });
const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, { message: "must be a region name such as us-east-1" });
/** `a,b c` or repeated flags: one list. */
const list = (item: z.ZodString) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(/[\s,]+/)).filter((s) => s.length > 0))
    .pipe(z.array(item).min(1, { message: "needs at least one value" }));

const crawlFlagsSchema = z.object({
  org: z.boolean().default(false),
  accounts: list(accountId).optional(),
  regions: list(region).optional(),
  "assume-role": z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/, { message: "must be an IAM role name (1-64 characters: letters, digits and +=,.@_-), not an ARN" })
    .optional(),
  "external-id": z
    .string()
    .regex(/^[\w+=,.@:/-]{2,1224}$/, { message: "must be 2-1224 characters: letters, digits and +=,.@:/-" })
    .optional(),
  "last-accessed": z.boolean().default(false),
  "save-snapshot": z.string().min(1, { message: "needs a directory" }).optional(),
  profile: z.string().min(1, { message: "needs a profile name" }).optional(),
});

/** node:util parseArgs options for the crawl flags (the CLI adds its own, such as --save-snapshot). */
export const CRAWL_FLAG_OPTIONS = {
  org: { type: "boolean" },
  accounts: { type: "string", multiple: true },
  regions: { type: "string", multiple: true },
  "assume-role": { type: "string" },
  "external-id": { type: "string" },
  "last-accessed": { type: "boolean" },
  profile: { type: "string" },
} as const;

/** Invalid `saltzer scan --aws` flags; the message lists every problem as `--flag: why`. */
export class CrawlFlagsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CrawlFlagsError";
  }
}

/**
 * Validates `saltzer scan --aws` flag values (as node:util parseArgs returns them: kebab-case
 * keys, camelCase accepted too). Unrelated keys are ignored.
 */
export function parseCrawlFlags(values: Record<string, unknown>): CrawlOptions {
  const kebab = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v]));
  // Leave out unset values (parseArgs gives undefined) so defaults apply.
  const relevant = Object.fromEntries(Object.keys(crawlFlagsSchema.shape).filter((k) => kebab[k] !== undefined).map((k) => [k, kebab[k]]));
  const result = crawlFlagsSchema.safeParse(relevant);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const flag = `--${String(issue.path[0] ?? "")}`;
      const raw = issue.path.length > 1 ? ` (${JSON.stringify(lookup(relevant, issue.path))})` : "";
      const message = issue.code === "invalid_type" ? `expected ${issue.expected}` : issue.message;
      return `${flag}${raw}: ${message}`;
    });
    throw new CrawlFlagsError(`invalid flags for scan --aws: ${problems.join("; ")}`);
  }
  const flags = result.data;
  if (flags["external-id"] !== undefined && !flags.org && !flags.accounts) {
    throw new CrawlFlagsError("invalid flags for scan --aws: --external-id is only used when assuming a role: add --org or --accounts");
  }
  return {
    org: flags.org,
    accounts: flags.accounts,
    regions: flags.regions,
    assumeRoleName: flags["assume-role"],
    externalId: flags["external-id"],
    lastAccessed: flags["last-accessed"],
    saveSnapshotDir: flags["save-snapshot"],
    profile: flags.profile,
  };
}

function lookup(values: Record<string, unknown>, path: PropertyKey[]): unknown {
  // The list transform flattens values, so re-split to find the offending item.
  const raw = values[path[0] as string];
  const items = (Array.isArray(raw) ? raw : [raw]).flatMap((s) => String(s).split(/[\s,]+/)).filter((s) => s.length > 0);
  return typeof path[1] === "number" ? items[path[1]] : raw;
}
