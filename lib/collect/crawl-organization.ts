/**
 * The live crawl: reads an AWS organization (or single accounts) through the SDK and returns
 * the same normalized Snapshot as `readSnapshotDir` gives for the same data.
 *
 * Design: every collector returns the raw response in the AWS CLI's shape, kept under the
 * offline snapshot layout's paths; the directory reader's normalization then reads them from
 * memory (`readSnapshotFiles`). So crawl and offline cannot drift apart, and `--save-snapshot`
 * simply writes those files.
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
import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { AwsClients, GLOBAL_REGION, type ApiCallStats, type Credentials } from "@/lib/collect/aws-clients";
import { describeAwsError, expectedErrorKind } from "@/lib/collect/aws-errors";
import { JobPool } from "@/lib/collect/job-pool";
import { assertEmptyOrMissingDir, layout, writeSnapshotLayout } from "@/lib/collect/snapshot-layout";
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
import { COVERAGE_GAPS_FILE, readSnapshotFiles } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import type { CoverageGap, Snapshot } from "@/lib/snapshot/types";

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
  /** Jobs (API groups) running at once; 16 by default. */
  concurrency?: number;
  /** Requests per second per account-region; 10 by default. */
  ratePerSecond?: number;
  /** SDK attempts per request (adaptive retry mode); 8 by default. */
  maxAttempts?: number;
  /** Replaces the SDK's adaptive retry strategy (tests only: fast backoff). */
  retryStrategy?: RetryStrategyV2;
  /** First wait between service-last-accessed polls; 1000 ms by default. */
  lastAccessedPollMs?: number;
  onProgress?: (progress: CrawlProgress) => void;
  /** Also write the collected responses in the offline snapshot layout (must be empty or absent). */
  saveSnapshotDir?: string;
  signal?: AbortSignal;
}

/** Crawl progress, for the CLI progress bar and the dashboard. */
export interface CrawlProgress {
  phase: "identity" | "organization" | "accounts" | "normalizing" | "saving" | "done";
  accountsDone: number;
  accountsTotal: number;
  regionsDone: number;
  regionsTotal: number;
  functions: number;
  apiCalls: number;
  retries: number;
  /** Coverage gaps recorded so far. */
  errors: number;
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

const PER_FUNCTION_BATCH = 10;
const LAST_ACCESSED_CONCURRENCY = 4;

export async function crawlOrganization(options: CrawlOptions): Promise<CrawlResult> {
  const started = performance.now();
  if (options.saveSnapshotDir) await assertEmptyOrMissingDir(options.saveSnapshotDir);
  const concurrency = options.concurrency ?? 16;
  // Every in-flight request and every rate-limit wait listens for an abort, at most two per running
  // job; Node warns (MaxListenersExceededWarning) past 10 listeners on one signal, so the crawl uses
  // its own signal with the pools' bound, forwarding the caller's with one listener.
  const crawlAbort = new AbortController();
  const forwardAbort = () => crawlAbort.abort(options.signal?.reason);
  if (options.signal?.aborted) forwardAbort();
  else options.signal?.addEventListener("abort", forwardAbort, { once: true });
  setMaxListeners(2 * (concurrency + LAST_ACCESSED_CONCURRENCY) + 4, crawlAbort.signal);
  const signal = options.signal ? crawlAbort.signal : undefined;

  const base: Credentials = options.credentials ?? fromNodeProviderChain(options.profile ? { profile: options.profile } : {});
  const clients = new AwsClients({ endpoint: options.endpoint, maxAttempts: options.maxAttempts ?? 8, ratePerSecond: options.ratePerSecond ?? 10, signal, retryStrategy: options.retryStrategy });
  const pool = new JobPool(concurrency);
  const lastAccessedPool = new JobPool(LAST_ACCESSED_CONCURRENCY);
  const files = new Map<string, unknown>();
  const gaps: CoverageGap[] = [];
  const progress: CrawlProgress = { phase: "identity", accountsDone: 0, accountsTotal: 0, regionsDone: 0, regionsTotal: 0, functions: 0, apiCalls: 0, retries: 0, errors: 0 };
  const report = (phase?: CrawlProgress["phase"]) => {
    if (phase) progress.phase = phase;
    progress.apiCalls = clients.stats.apiCalls;
    progress.retries = clients.stats.apiCalls - clients.stats.operations;
    progress.errors = gaps.length;
    options.onProgress?.({ ...progress });
  };

  /** Runs one API group on the pool; an expected error becomes a gap and yields null, any other rejects. */
  const job = async <T>(scope: JobScope, task: () => Promise<T>, jobPool: JobPool = pool): Promise<T | null> => {
    try {
      return await jobPool.run(task, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      gaps.push(gapFor(scope, error));
      report();
      return null;
    }
  };

  try {
    signal?.throwIfAborted();
    report("identity");
    const caller = await pool.run(() => collectCallerAccount(clients.sts("caller", base), signal), signal).catch((error: unknown) => {
      if (signal?.aborted) throw error;
      throw new Error(`cannot use the AWS credentials${options.profile ? ` of profile ${options.profile}` : ""}: sts:GetCallerIdentity failed: ${describeAwsError(error)}`, { cause: error });
    });
    const partition = caller.arn.split(":")[1] ?? "aws";

    let accountIds = options.accounts ?? [caller.accountId];
    if (options.org) {
      report("organization");
      accountIds = (await crawlOrganizationStructure()) ?? accountIds;
    }
    accountIds = [...new Set(accountIds)].sort();
    progress.accountsTotal = accountIds.length;
    report("accounts");
    await Promise.all(accountIds.map(crawlAccount));

    report("normalizing");
    const snapshot = await normalizeWithRejectedResponsesAsGaps(files, gaps, { kind: "aws", location: caller.arn });
    if (options.saveSnapshotDir) {
      report("saving");
      await writeSnapshotLayout(options.saveSnapshotDir, files);
    }
    report("done");
    return { snapshot, stats: stats() };

    // -------------------------------------------------------------------------------------------

    /** The organization files; the member accounts to crawl, or null when the organization could not be read. */
    async function crawlOrganizationStructure(): Promise<string[] | null> {
      const org = clients.organizations(caller.accountId, base);
      const at = (api: string): JobScope => ({ accountId: caller.accountId, region: null, api });
      const [description, accounts, roots] = await Promise.all([
        job(at("organizations:DescribeOrganization"), () => collectOrganizationDescription(org, signal)),
        job(at("organizations:ListAccounts"), () => collectAccounts(org, signal)),
        job(at("organizations:ListRoots"), () => collectRoots(org, signal)),
      ]);
      // Without all three there is no organization to describe: crawl the caller's account (or --accounts) alone.
      if (!description || !accounts || !roots) return null;
      files.set(layout.describeOrganization, description);
      files.set(layout.listAccounts, accounts);
      files.set(layout.listRoots, roots);

      const active = accounts.Accounts.filter((a) => (a.State ?? a.Status) === "ACTIVE" && a.Id).map((a) => a.Id as string);
      const seen = new Set<string>();
      const organizationalUnits = new Set<string>();
      const walkUp = async (childId: string): Promise<void> => {
        if (seen.has(childId)) return;
        seen.add(childId);
        const parents = await job(at("organizations:ListParents"), () => collectParents(org, childId, signal));
        if (!parents) return;
        files.set(layout.listParents(childId), parents);
        const parent = parents.Parents[0];
        if (parent?.Id && parent.Type === "ORGANIZATIONAL_UNIT") {
          organizationalUnits.add(parent.Id);
          await walkUp(parent.Id);
        }
      };
      await Promise.all(active.map(walkUp));

      const targets = [...roots.Roots.map((r) => r.Id).filter((id): id is string => !!id), ...organizationalUnits, ...active];
      const attached = await Promise.all(
        targets.map(async (targetId) => {
          const policies = await job(at("organizations:ListPoliciesForTarget"), () => collectPoliciesForTarget(org, targetId, signal));
          if (policies) files.set(layout.listPoliciesForTarget(targetId), policies);
          return policies?.Policies.map((p) => p.Id).filter((id): id is string => !!id) ?? [];
        }),
      );
      await Promise.all(
        [...new Set(attached.flat())].map(async (policyId) => {
          const policy = await job(at("organizations:DescribePolicy"), () => collectPolicy(org, policyId, signal));
          if (policy) files.set(layout.describePolicy(policyId), policy);
        }),
      );

      if (!options.accounts) return active;
      for (const id of options.accounts) {
        if (!active.includes(id)) gaps.push({ accountId: id, region: null, api: "organizations:ListAccounts", file: null, message: `account ${id} is not an ACTIVE member of organization ${description.Organization.Id}; crawled anyway` });
      }
      return options.accounts;
    }

    async function crawlAccount(accountId: string): Promise<void> {
      let credentials: Credentials = base;
      if (accountId !== caller.accountId) {
        const roleArn = auditRoleArn(accountId, options.assumeRoleName ?? DEFAULT_AUDIT_ROLE_NAME, partition);
        const provider = await job({ accountId, region: null, api: "sts:AssumeRole" }, () => assumeAuditRole(clients.sts(caller.accountId, base), roleArn, options.externalId, signal));
        if (!provider) return accountDone();
        credentials = provider;
      }

      const [details, regions] = await Promise.all([
        job({ accountId, region: null, api: "iam:GetAccountAuthorizationDetails" }, () => collectAuthorizationDetails(clients.iam(accountId, credentials), signal)),
        options.regions ??
          job({ accountId, region: null, api: "ec2:DescribeRegions" }, () => collectEnabledRegions(clients.ec2(accountId, GLOBAL_REGION, credentials), signal)),
      ]);
      // Functions cannot be judged without their roles: an account whose IAM cannot be read is left out (its gap says why).
      if (!details) return accountDone();
      files.set(layout.authorizationDetails(accountId), details);
      progress.regionsTotal += regions?.length ?? 0;
      report();

      const roles = new Map(details.RoleDetailList.map((r) => [r.Arn, r.RoleName]));
      const functions = (await Promise.all((regions ?? []).map((region) => crawlRegion(accountId, region, credentials, roles)))).flat();

      if (options.lastAccessed) {
        const iam = clients.iam(accountId, credentials);
        const roleArns = [...new Set(functions.map((fn) => fn.Role as string))].sort();
        await Promise.all(
          roleArns.map(async (roleArn) => {
            const roleName = roles.get(roleArn) as string;
            const details = await job(
              { accountId, region: null, api: "iam:GenerateServiceLastAccessedDetails", subject: `role ${roleName}`, resources: [roleArn] },
              () => collectServiceLastAccessed(iam, roleArn, { signal, pollIntervalMs: options.lastAccessedPollMs }),
              lastAccessedPool,
            );
            if (details) files.set(layout.serviceLastAccessed(accountId, roleName), details);
          }),
        );
      }
      accountDone();
    }

    async function crawlRegion(accountId: string, region: string, credentials: Credentials, roles: Map<string | undefined, string | undefined>): Promise<FunctionConfiguration[]> {
      const lambda = clients.lambda(accountId, region, credentials);
      const [listed, mappings] = await Promise.all([
        job({ accountId, region, api: "lambda:ListFunctions" }, () => collectFunctions(lambda, signal)),
        job({ accountId, region, api: "lambda:ListEventSourceMappings" }, () => collectEventSourceMappings(lambda, signal)),
      ]);
      if (!listed) {
        progress.regionsDone++;
        report();
        return [];
      }
      // A function created after IAM was read may use a role the authorization details lack.
      const kept = listed.Functions.filter((fn) => roles.has(fn.Role));
      for (const fn of listed.Functions.filter((f) => !roles.has(f.Role))) {
        gaps.push({ accountId, region, api: "lambda:ListFunctions", file: null, message: `function ${fn.FunctionName} left out: its execution role ${fn.Role} is not in the account's IAM authorization details (created during the crawl?)` });
      }
      files.set(layout.listFunctions(accountId, region), { Functions: kept });
      // The mappings' gap is recorded; the functions are still worth auditing without them.
      files.set(layout.listEventSourceMappings(accountId, region), mappings ?? { EventSourceMappings: [] });

      const names = kept.map((fn) => fn.FunctionName as string);
      const arnOf = new Map(kept.map((fn) => [fn.FunctionName as string, fn.FunctionArn as string]));
      await Promise.all([
        perFunction({ accountId, region, api: "lambda:GetPolicy" }, names, arnOf, async (name) => {
          const policy = await collectFunctionPolicy(lambda, name, signal);
          if (policy) files.set(layout.getPolicy(accountId, region, name), policy);
        }),
        perFunction({ accountId, region, api: "lambda:ListFunctionUrlConfigs" }, names, arnOf, async (name) => {
          const urls = await collectFunctionUrls(lambda, name, signal);
          if (urls) files.set(layout.listFunctionUrlConfigs(accountId, region, name), urls);
        }),
      ]);
      progress.regionsDone++;
      progress.functions += kept.length;
      report();
      return kept;
    }

    /** One job per batch of functions; failures are gathered into one gap per distinct error. */
    async function perFunction(scope: JobScope, names: string[], arnOf: Map<string, string>, fetch: (name: string) => Promise<void>): Promise<void> {
      const failures = new Map<string, string[]>();
      const batches: string[][] = [];
      for (let i = 0; i < names.length; i += PER_FUNCTION_BATCH) batches.push(names.slice(i, i + PER_FUNCTION_BATCH));
      await Promise.all(
        batches.map((batch) =>
          pool.run(async () => {
            for (const name of batch) {
              try {
                await fetch(name);
              } catch (error) {
                if (signal?.aborted) throw error;
                const message = gapFor({ ...scope, subject: undefined }, error).message;
                failures.set(message, [...(failures.get(message) ?? []), name]);
              }
            }
          }, signal),
        ),
      );
      for (const [message, failed] of failures) {
        const listed = failed.slice(0, 5).join(", ") + (failed.length > 5 ? ", …" : "");
        // The gap names every function it leaves incomplete, so it marks those and no other.
        gaps.push({ ...scope, file: null, message: `${message} (${failed.length} of ${names.length} functions: ${listed})`, resources: failed.map((name) => arnOf.get(name) ?? name) });
      }
      if (failures.size > 0) report();
    }

    function accountDone(): void {
      progress.accountsDone++;
      report();
    }
  } catch (error) {
    if (signal?.aborted) throw new CrawlAbortedError(signal.reason, clients.stats.apiCalls);
    throw error;
  } finally {
    options.signal?.removeEventListener("abort", forwardAbort);
    clients.destroy();
  }

  function stats(): CrawlStats {
    return {
      apiCalls: clients.stats.apiCalls,
      retries: clients.stats.apiCalls - clients.stats.operations,
      throttled: clients.stats.throttled,
      durationMs: Math.round(performance.now() - started),
      byApi: clients.statsByApi(),
    };
  }
}

/** The coverage gap for an expected error; any other error is thrown as a CrawlBugError. */
function gapFor(scope: JobScope, error: unknown): CoverageGap {
  const kind = expectedErrorKind(error);
  if (kind === null) throw new CrawlBugError(scope, error);
  const described = describeAwsError(error);
  let message = kind === "region-disabled" && scope.region ? `region ${scope.region} is not enabled for account ${scope.accountId} (${described})` : described;
  if (scope.subject) message = `${scope.subject}: ${message}`;
  return { accountId: scope.accountId, region: scope.region, api: scope.api, file: null, message, ...(scope.resources ? { resources: scope.resources } : {}) };
}

// ---------------------------------------------------------------------------------------------
// Responses the normalization rejects

/** Which API wrote each layout file, and how much of the crawl a rejected one takes with it. */
const FILE_APIS: { pattern: RegExp; api: string; drop: "file" | "account" | "region" | "organization" | "empty-mappings" }[] = [
  { pattern: /^organizations\/(describe-organization|list-accounts|list-roots)\.json$/, api: "organizations:", drop: "organization" },
  { pattern: /^organizations\/list-parents\//, api: "organizations:ListParents", drop: "file" },
  { pattern: /^organizations\/list-policies-for-target\//, api: "organizations:ListPoliciesForTarget", drop: "file" },
  { pattern: /^organizations\/describe-policy\//, api: "organizations:DescribePolicy", drop: "file" },
  { pattern: /^accounts\/\d+\/iam\/get-account-authorization-details\.json$/, api: "iam:GetAccountAuthorizationDetails", drop: "account" },
  { pattern: /^accounts\/\d+\/iam\/service-last-accessed\//, api: "iam:GetServiceLastAccessedDetails", drop: "file" },
  { pattern: /\/lambda\/list-functions\.json$/, api: "lambda:ListFunctions", drop: "region" },
  { pattern: /\/lambda\/list-event-source-mappings\.json$/, api: "lambda:ListEventSourceMappings", drop: "empty-mappings" },
  { pattern: /\/lambda\/get-policy\//, api: "lambda:GetPolicy", drop: "file" },
  { pattern: /\/lambda\/list-function-url-configs\//, api: "lambda:ListFunctionUrlConfigs", drop: "file" },
];

/**
 * Normalizes the collected responses; a response the reader rejects (SnapshotError naming one of
 * them) becomes a gap for its account, region and API, and is left out with what depends on it
 * (its account when IAM is unreadable, its region when the function list is), then normalization
 * runs again. The files map is updated in place, so `--save-snapshot` writes what was used.
 */
async function normalizeWithRejectedResponsesAsGaps(files: Map<string, unknown>, gaps: CoverageGap[], source: Snapshot["source"]): Promise<Snapshot> {
  for (;;) {
    if (gaps.length > 0) files.set(COVERAGE_GAPS_FILE, { Gaps: gaps });
    try {
      return await readSnapshotFiles(files, source);
    } catch (error) {
      if (!(error instanceof SnapshotError) || error.file === COVERAGE_GAPS_FILE || !files.has(error.file)) throw error;
      gaps.push(rejectResponse(files, error));
    }
  }
}

function rejectResponse(files: Map<string, unknown>, error: SnapshotError): CoverageGap {
  const file = error.file;
  const rule = FILE_APIS.find((r) => r.pattern.test(file));
  if (!rule) throw error;
  const parts = file.split("/");
  const accountId = parts[0] === "accounts" ? parts[1] : null;
  const region = parts[0] === "accounts" && parts[2] === "regions" ? parts[3] : null;
  const api = rule.drop === "organization" ? `organizations:${pascal(parts[1].replace(/\.json$/, ""))}` : rule.api;
  const dropUnder = (prefix: string) => {
    for (const key of [...files.keys()]) if (key.startsWith(prefix)) files.delete(key);
  };
  files.delete(file);
  if (rule.drop === "account") dropUnder(`accounts/${accountId}/`);
  if (rule.drop === "region") dropUnder(`accounts/${accountId}/regions/${region}/`);
  if (rule.drop === "organization") dropUnder("organizations/");
  // The functions are still worth auditing without their mappings; the gap says they are unknown.
  if (rule.drop === "empty-mappings") files.set(file, { EventSourceMappings: [] });
  const what = { account: "; the account is left out", region: "; the region is left out", organization: "; the organization (SCPs) is left out", "empty-mappings": "; event source mappings unknown", file: "" }[rule.drop];
  const resources = rejectedResources(files, file, accountId, region);
  return { accountId, region, api, file: null, message: `response rejected: ${error.jsonPath || "$"}: ${error.detail}${what}`, ...(resources ? { resources } : {}) };
}

/** A rejected per-function or per-role response is about one function or role: its ARN, so the gap marks only that one. */
function rejectedResources(files: Map<string, unknown>, file: string, accountId: string | null, region: string | null): string[] | null {
  const fnFile = /\/lambda\/(?:get-policy|list-function-url-configs)\/([^/]+)\.json$/.exec(file);
  if (fnFile && accountId && region) {
    const listed = files.get(layout.listFunctions(accountId, region)) as { Functions?: { FunctionName?: string; FunctionArn?: string }[] } | undefined;
    const arn = listed?.Functions?.find((f) => f.FunctionName === fnFile[1])?.FunctionArn;
    return arn ? [arn] : null;
  }
  const roleFile = /\/iam\/service-last-accessed\/([^/]+)\.json$/.exec(file);
  if (roleFile && accountId) {
    const details = files.get(layout.authorizationDetails(accountId)) as { RoleDetailList?: { RoleName?: string; Arn?: string }[] } | undefined;
    const arn = details?.RoleDetailList?.find((r) => r.RoleName === roleFile[1])?.Arn;
    return arn ? [arn] : null;
  }
  return null;
}

function pascal(kebab: string): string {
  return kebab.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
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
