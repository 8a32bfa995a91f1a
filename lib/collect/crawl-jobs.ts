/**
 * The crawl as jobs: one job per (account, region, API group). Each job reads what it names and
 * returns a part — the raw responses it got (under their offline snapshot layout paths), the
 * coverage gaps it met, its API call counters — and the jobs that follow from what it read (an
 * account's IAM leads to its regions, a region's function list to batches of per-function reads).
 *
 * The same job functions run in-process (`crawlOrganization`) or on `saltzer worker` processes
 * through the durable queue (`lib/jobs/crawl-queue.ts`); `assembleCrawl` turns the parts into one
 * snapshot whichever process ran them. A job is idempotent: running it twice reads the same data.
 */
import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { AwsClients, GLOBAL_REGION, JobCallStats, countCallsIn, type ApiCallStats, type Credentials } from "@/lib/collect/aws-clients";
import { describeAwsError, expectedErrorKind } from "@/lib/collect/aws-errors";
import { JobPool } from "@/lib/collect/job-pool";
import { layout } from "@/lib/collect/snapshot-layout";
import { collectEnabledRegions } from "@/lib/collect/ec2/regions";
import { collectAuthorizationDetails } from "@/lib/collect/iam/authorization-details";
import { collectServiceLastAccessed } from "@/lib/collect/iam/last-accessed";
import { collectEventSourceMappings } from "@/lib/collect/lambda/event-source-mappings";
import { collectFunctionPolicy } from "@/lib/collect/lambda/function-policies";
import { collectFunctionUrls } from "@/lib/collect/lambda/function-urls";
import { collectFunctions } from "@/lib/collect/lambda/functions";
import { collectAccounts, collectOrganizationDescription, collectParents, collectRoots } from "@/lib/collect/organizations/accounts";
import { collectPoliciesForTarget, collectPolicy } from "@/lib/collect/organizations/service-control-policies";
import { assumeAuditRole, auditRoleArn, collectCallerAccount } from "@/lib/collect/sts/assume-role";
import type { CoverageGap } from "@/lib/snapshot/types";

/** What every job of one crawl shares; plain data, so it travels in queued jobs. */
export interface CrawlSettings {
  callerAccountId: string;
  partition: string;
  assumeRoleName: string;
  externalId?: string;
  /** These regions in every account; absent: every region enabled for the account. */
  regions?: string[];
  lastAccessed: boolean;
  lastAccessedPollMs?: number;
}

export type CrawlJobSpec =
  /** The organization tree above the members (ListParents) and the SCPs attached along it. */
  | { kind: "organization"; members: string[]; roots: string[] }
  /** An account's IAM authorization details and enabled regions. */
  | { kind: "account"; accountId: string }
  /** A region's function list and event source mappings. */
  | { kind: "region"; accountId: string; region: string }
  /** Resource policies and function URLs of a batch of a region's functions. */
  | { kind: "functions"; accountId: string; region: string; batch: number; names: string[] }
  /** Action-level service-last-accessed data of one execution role. */
  | { kind: "last-accessed"; accountId: string; roleArn: string };

/** A job's identity within its crawl: its kind and subject, never two jobs with the same key. */
export function crawlJobKey(spec: CrawlJobSpec): string {
  switch (spec.kind) {
    case "organization":
      return "organization";
    case "account":
      return `account/${spec.accountId}`;
    case "region":
      return `region/${spec.accountId}/${spec.region}`;
    case "functions":
      return `functions/${spec.accountId}/${spec.region}/${String(spec.batch).padStart(6, "0")}`;
    case "last-accessed":
      return `last-accessed/${spec.accountId}/${spec.roleArn}`;
  }
}

/**
 * Which queued job a free worker slot takes first (higher first; pg-boss then takes the oldest).
 * The jobs that lead to others come first (the organization and accounts, then regions, then each
 * role's last-accessed polling), then function batches by size: a batch's reads share its
 * account and region's rate, so a batch of 25 takes seconds where one of 2 takes a fraction. Taken
 * oldest first, the large batches of the last regions listed ran alone at the end of a crawl while
 * the other slots sat idle (a quarter of a 2-worker crawl's time).
 */
export function crawlJobPriority(spec: CrawlJobSpec): number {
  switch (spec.kind) {
    case "organization":
    case "account":
      return 3 * FUNCTIONS_PER_JOB;
    case "region":
      return 2 * FUNCTIONS_PER_JOB;
    case "last-accessed":
      return FUNCTIONS_PER_JOB + 1;
    case "functions":
      return spec.names.length;
  }
}

/** Per-function reads that failed in one job: one gap per region, API and error once assembled. */
export interface FunctionFailure {
  accountId: string;
  region: string;
  api: string;
  message: string;
  names: string[];
}

/** API calls of one job: attempts (retries included), retries and throttled answers, in all and per API. */
export interface PartStats {
  apiCalls: number;
  retries: number;
  throttled: number;
  byApi: Record<string, ApiCallStats>;
}

/** What one job read. */
export interface CrawlPart {
  /** Raw responses by snapshot layout path. */
  files: [string, unknown][];
  gaps: CoverageGap[];
  functionFailures: FunctionFailure[];
  followUps: CrawlJobSpec[];
  stats: PartStats;
  /** Functions listed (region jobs), for progress. */
  functions: number;
}

/** An error the crawl does not expect (not a coverage gap): a bug to fix, reported with where it happened. */
export class CrawlBugError extends Error {
  constructor(scope: { accountId: string | null; region: string | null; api: string }, cause: unknown) {
    const where = [scope.api, scope.accountId && `account ${scope.accountId}`, scope.region && `region ${scope.region}`].filter(Boolean).join(", ");
    super(`AWS crawl failed on an unexpected error (${where}): ${describeAwsError(cause)}`, { cause });
    this.name = "CrawlBugError";
  }
}

interface JobScope {
  accountId: string | null;
  region: string | null;
  api: string;
  /** Named at the start of the gap message (`role X`). */
  subject?: string;
  /** The ARNs the job reads about, when not its whole account/region (see CoverageGap.resources). */
  resources?: string[];
}

/** The coverage gap for an expected error; any other error is thrown as a CrawlBugError. */
export function gapFor(scope: JobScope, error: unknown): CoverageGap {
  const kind = expectedErrorKind(error);
  if (kind === null) throw new CrawlBugError(scope, error);
  const described = describeAwsError(error);
  let message = kind === "region-disabled" && scope.region ? `region ${scope.region} is not enabled for account ${scope.accountId} (${described})` : described;
  if (scope.subject) message = `${scope.subject}: ${message}`;
  return { accountId: scope.accountId, region: scope.region, api: scope.api, file: null, message, ...(scope.resources ? { resources: scope.resources } : {}) };
}

/**
 * Credentials per account, assumed once per process and crawl: the audit role in every account
 * but the one the base credentials belong to (`baseAccountId`: the coordinator's caller in
 * process, a worker's own account on a worker). A failure is remembered too, so an account's
 * jobs do not retry AssumeRole.
 */
export class AccountCredentials {
  private readonly cache = new Map<string, Promise<Credentials>>();

  constructor(
    private readonly settings: CrawlSettings,
    private readonly base: Credentials,
    private readonly clients: AwsClients,
    private readonly signal?: AbortSignal,
    private readonly baseAccountId: string = settings.callerAccountId,
  ) {}

  get(accountId: string): Promise<Credentials> {
    if (accountId === this.baseAccountId) return Promise.resolve(this.base);
    let credentials = this.cache.get(accountId);
    if (!credentials) {
      const roleArn = auditRoleArn(accountId, this.settings.assumeRoleName, this.settings.partition);
      credentials = assumeAuditRole(this.clients.sts(this.baseAccountId, this.base), roleArn, this.settings.externalId, this.signal);
      // Handled by each caller; this keeps an unawaited failure from being reported as unhandled.
      credentials.catch(() => undefined);
      this.cache.set(accountId, credentials);
    }
    return credentials;
  }
}

/** What a job needs besides its spec. */
export interface CrawlJobContext {
  settings: CrawlSettings;
  clients: AwsClients;
  base: Credentials;
  credentials: AccountCredentials;
  signal?: AbortSignal;
}

/** The organization's reads in flight: enough to keep its rate limit busy while answers take a while. */
export const ORGANIZATION_READS_AT_ONCE = 8;

/** Functions per `functions` job: small enough to redo when a worker dies, large enough to keep queue overhead low. */
export const FUNCTIONS_PER_JOB = 25;

/** Runs one job; rejects only on an abort or an unexpected error (CrawlBugError). */
export async function runCrawlJob(spec: CrawlJobSpec, ctx: CrawlJobContext): Promise<CrawlPart> {
  const calls = new JobCallStats();
  const part: Omit<CrawlPart, "stats"> = { files: [], gaps: [], functionFailures: [], followUps: [], functions: 0 };
  const { signal } = ctx;
  /** Runs one API group; an expected error becomes a gap and yields null, any other rejects. */
  const readGap = async <T>(scope: JobScope, task: () => Promise<T>): Promise<T | null> => {
    try {
      return await task();
    } catch (error) {
      if (signal?.aborted) throw error;
      part.gaps.push(gapFor(scope, error));
      return null;
    }
  };
  const read = readGap;
  const credentialsFor = (accountId: string) => read({ accountId, region: null, api: "sts:AssumeRole" }, () => ctx.credentials.get(accountId));

  await countCallsIn(calls, async () => {
    signal?.throwIfAborted();
    switch (spec.kind) {
      case "organization":
        return organizationJob(spec);
      case "account":
        return accountJob(spec.accountId);
      case "region":
        return regionJob(spec.accountId, spec.region);
      case "functions":
        return functionsJob(spec.accountId, spec.region, spec.names);
      case "last-accessed":
        return lastAccessedJob(spec.accountId, spec.roleArn);
    }
  });
  return { ...part, stats: partStats(calls) };

  async function organizationJob({ members, roots }: { members: string[]; roots: string[] }): Promise<void> {
    const { callerAccountId } = ctx.settings;
    const org = ctx.clients.organizations(callerAccountId, ctx.base);
    const at = (api: string): JobScope => ({ accountId: callerAccountId, region: null, api });
    // A few reads at once: the organization's calls share one rate limit, so more would only wait.
    const inner = new JobPool(ORGANIZATION_READS_AT_ONCE);
    const read = <T>(scope: JobScope, task: () => Promise<T>) => inner.run(() => readGap(scope, task), signal);
    const seen = new Set<string>();
    const organizationalUnits = new Set<string>();
    const walkUp = async (childId: string): Promise<void> => {
      if (seen.has(childId)) return;
      seen.add(childId);
      const parents = await read(at("organizations:ListParents"), () => collectParents(org, childId, signal));
      if (!parents) return;
      part.files.push([layout.listParents(childId), parents]);
      const parent = parents.Parents[0];
      if (parent?.Id && parent.Type === "ORGANIZATIONAL_UNIT") {
        organizationalUnits.add(parent.Id);
        await walkUp(parent.Id);
      }
    };
    await Promise.all(members.map(walkUp));
    const targets = [...roots, ...organizationalUnits, ...members];
    const attached = await Promise.all(
      targets.map(async (targetId) => {
        const policies = await read(at("organizations:ListPoliciesForTarget"), () => collectPoliciesForTarget(org, targetId, signal));
        if (policies) part.files.push([layout.listPoliciesForTarget(targetId), policies]);
        return policies?.Policies.map((p) => p.Id).filter((id): id is string => !!id) ?? [];
      }),
    );
    await Promise.all(
      [...new Set(attached.flat())].map(async (policyId) => {
        const policy = await read(at("organizations:DescribePolicy"), () => collectPolicy(org, policyId, signal));
        if (policy) part.files.push([layout.describePolicy(policyId), policy]);
      }),
    );
  }

  async function accountJob(accountId: string): Promise<void> {
    const credentials = await credentialsFor(accountId);
    if (!credentials) return;
    const [details, regions] = await Promise.all([
      read({ accountId, region: null, api: "iam:GetAccountAuthorizationDetails" }, () => collectAuthorizationDetails(ctx.clients.iam(accountId, credentials), signal)),
      ctx.settings.regions ?? read({ accountId, region: null, api: "ec2:DescribeRegions" }, () => collectEnabledRegions(ctx.clients.ec2(accountId, GLOBAL_REGION, credentials), signal)),
    ]);
    // Functions cannot be judged without their roles: an account whose IAM cannot be read is left out (its gap says why).
    if (!details) return;
    part.files.push([layout.authorizationDetails(accountId), details]);
    for (const region of regions ?? []) part.followUps.push({ kind: "region", accountId, region });
  }

  async function regionJob(accountId: string, region: string): Promise<void> {
    const credentials = await credentialsFor(accountId);
    if (!credentials) return;
    const lambda = ctx.clients.lambda(accountId, region, credentials);
    const [listed, mappings] = await Promise.all([
      read({ accountId, region, api: "lambda:ListFunctions" }, () => collectFunctions(lambda, signal)),
      read({ accountId, region, api: "lambda:ListEventSourceMappings" }, () => collectEventSourceMappings(lambda, signal)),
    ]);
    if (!listed) return;
    // Functions whose role IAM did not list are left out when the parts are assembled (assembleCrawl).
    part.files.push([layout.listFunctions(accountId, region), listed]);
    // The mappings' gap is recorded; the functions are still worth auditing without them.
    part.files.push([layout.listEventSourceMappings(accountId, region), mappings ?? { EventSourceMappings: [] }]);
    part.functions = listed.Functions.length;
    const names = listed.Functions.map((fn: FunctionConfiguration) => fn.FunctionName as string);
    for (let i = 0; i * FUNCTIONS_PER_JOB < names.length; i++) {
      part.followUps.push({ kind: "functions", accountId, region, batch: i, names: names.slice(i * FUNCTIONS_PER_JOB, (i + 1) * FUNCTIONS_PER_JOB) });
    }
    if (ctx.settings.lastAccessed) {
      for (const roleArn of [...new Set(listed.Functions.map((fn: FunctionConfiguration) => fn.Role as string))].sort()) part.followUps.push({ kind: "last-accessed", accountId, roleArn });
    }
  }

  async function functionsJob(accountId: string, region: string, names: string[]): Promise<void> {
    const credentials = await credentialsFor(accountId);
    if (!credentials) return;
    const lambda = ctx.clients.lambda(accountId, region, credentials);
    const perFunction = async (api: string, fetch: (name: string) => Promise<void>) => {
      const failures = new Map<string, string[]>();
      for (const name of names) {
        try {
          await fetch(name);
        } catch (error) {
          if (signal?.aborted) throw error;
          const message = gapFor({ accountId, region, api }, error).message;
          failures.set(message, [...(failures.get(message) ?? []), name]);
        }
      }
      for (const [message, failed] of failures) part.functionFailures.push({ accountId, region, api, message, names: failed });
    };
    await Promise.all([
      perFunction("lambda:GetPolicy", async (name) => {
        const policy = await collectFunctionPolicy(lambda, name, signal);
        if (policy) part.files.push([layout.getPolicy(accountId, region, name), policy]);
      }),
      perFunction("lambda:ListFunctionUrlConfigs", async (name) => {
        const urls = await collectFunctionUrls(lambda, name, signal);
        if (urls) part.files.push([layout.listFunctionUrlConfigs(accountId, region, name), urls]);
      }),
    ]);
  }

  async function lastAccessedJob(accountId: string, roleArn: string): Promise<void> {
    const credentials = await credentialsFor(accountId);
    if (!credentials) return;
    const roleName = roleNameOf(roleArn);
    const details = await read({ accountId, region: null, api: "iam:GenerateServiceLastAccessedDetails", subject: `role ${roleName}`, resources: [roleArn] }, () =>
      collectServiceLastAccessed(ctx.clients.iam(accountId, credentials), roleArn, { signal, pollIntervalMs: ctx.settings.lastAccessedPollMs }),
    );
    if (details) part.files.push([layout.serviceLastAccessed(accountId, roleName), details]);
  }
}

/** A role's name: the last segment of its ARN (a path may precede it). */
export function roleNameOf(roleArn: string): string {
  return roleArn.slice(roleArn.lastIndexOf("/") + 1);
}

function partStats(calls: JobCallStats): PartStats {
  return {
    apiCalls: calls.totals.apiCalls,
    retries: calls.totals.apiCalls - calls.totals.operations,
    throttled: calls.totals.throttled,
    byApi: Object.fromEntries(Object.entries(calls.byApi).map(([api, s]) => [api, { apiCalls: s.attempts, retries: s.attempts - s.operations, throttled: s.throttled }])),
  };
}

// ---------------------------------------------------------------------------------------------
// The plan: who is calling, and which accounts

/** What the coordinator reads before any job: the caller, the organization's description and members. */
export interface CrawlPlan {
  settings: CrawlSettings;
  /** The caller's ARN (the snapshot's source location). */
  callerArn: string;
  accountIds: string[];
  files: [string, unknown][];
  gaps: CoverageGap[];
  stats: PartStats;
  /** The first jobs: the organization tree (org mode) and one job per account. */
  jobs: CrawlJobSpec[];
}

export interface PlanOptions {
  org: boolean;
  accounts?: string[];
  regions?: string[];
  assumeRoleName: string;
  externalId?: string;
  lastAccessed?: boolean;
  lastAccessedPollMs?: number;
  profile?: string;
}

/**
 * Identity (sts:GetCallerIdentity) and, with `org`, the organization's description, accounts and
 * roots. Unusable credentials reject; the organization unreadable is three gaps and a crawl of
 * the caller's account (or `accounts`) alone.
 */
export async function planCrawl(options: PlanOptions, clients: AwsClients, base: Credentials, signal?: AbortSignal): Promise<CrawlPlan> {
  const calls = new JobCallStats();
  const files: [string, unknown][] = [];
  const gaps: CoverageGap[] = [];
  const read = async <T>(scope: JobScope, task: () => Promise<T>): Promise<T | null> => {
    try {
      return await task();
    } catch (error) {
      if (signal?.aborted) throw error;
      gaps.push(gapFor(scope, error));
      return null;
    }
  };
  return countCallsIn(calls, async () => {
    signal?.throwIfAborted();
    const caller = await collectCallerAccount(clients.sts("caller", base), signal).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      throw new Error(`cannot use the AWS credentials${options.profile ? ` of profile ${options.profile}` : ""}: sts:GetCallerIdentity failed: ${describeAwsError(error)}`, { cause: error });
    });
    const settings: CrawlSettings = {
      callerAccountId: caller.accountId,
      partition: caller.arn.split(":")[1] ?? "aws",
      assumeRoleName: options.assumeRoleName,
      externalId: options.externalId,
      regions: options.regions,
      lastAccessed: options.lastAccessed ?? false,
      lastAccessedPollMs: options.lastAccessedPollMs,
    };
    const jobs: CrawlJobSpec[] = [];
    let accountIds = options.accounts ?? [caller.accountId];
    if (options.org) {
      const org = clients.organizations(caller.accountId, base);
      const at = (api: string): JobScope => ({ accountId: caller.accountId, region: null, api });
      const [description, accounts, roots] = await Promise.all([
        read(at("organizations:DescribeOrganization"), () => collectOrganizationDescription(org, signal)),
        read(at("organizations:ListAccounts"), () => collectAccounts(org, signal)),
        read(at("organizations:ListRoots"), () => collectRoots(org, signal)),
      ]);
      // Without all three there is no organization to describe: crawl the caller's account (or --accounts) alone.
      if (description && accounts && roots) {
        files.push([layout.describeOrganization, description], [layout.listAccounts, accounts], [layout.listRoots, roots]);
        const active = accounts.Accounts.filter((a) => (a.State ?? a.Status) === "ACTIVE" && a.Id).map((a) => a.Id as string);
        jobs.push({ kind: "organization", members: active, roots: roots.Roots.map((r) => r.Id).filter((id): id is string => !!id) });
        if (options.accounts) {
          for (const id of options.accounts) {
            if (!active.includes(id)) gaps.push({ accountId: id, region: null, api: "organizations:ListAccounts", file: null, message: `account ${id} is not an ACTIVE member of organization ${description.Organization.Id}; crawled anyway` });
          }
        } else accountIds = active;
      }
    }
    accountIds = [...new Set(accountIds)].sort();
    for (const accountId of accountIds) jobs.push({ kind: "account", accountId });
    return { settings, callerArn: caller.arn, accountIds, files, gaps, stats: partStats(calls), jobs };
  });
}
