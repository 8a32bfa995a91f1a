/**
 * One snapshot from a crawl's parts, whichever process ran each job: the responses are laid out
 * as the offline snapshot files and read by the same normalization as a snapshot directory.
 * Parts are taken in job-key order and the reader sorts gaps, so the result does not depend on
 * which job finished first.
 */
import type { FunctionConfiguration } from "@aws-sdk/client-lambda";
import { crawlJobKey, type CrawlJobSpec, type CrawlPart, type CrawlPlan, type PartStats } from "@/lib/collect/crawl-jobs";
import { layout } from "@/lib/collect/snapshot-layout";
import { COVERAGE_GAPS_FILE, readSnapshotFiles } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import type { CoverageGap, Snapshot } from "@/lib/snapshot/types";

export interface AssembledCrawl {
  snapshot: Snapshot;
  /** The files used (what `--save-snapshot` writes). */
  files: Map<string, unknown>;
}

export async function assembleCrawl(plan: CrawlPlan, parts: { spec: CrawlJobSpec; part: CrawlPart }[]): Promise<AssembledCrawl> {
  const ordered = [...parts].sort((a, b) => compareKeys(crawlJobKey(a.spec), crawlJobKey(b.spec)));
  const files = new Map<string, unknown>(plan.files);
  const gaps: CoverageGap[] = [...plan.gaps];
  const rolesByAccount = new Map<string, Set<string>>();
  for (const { spec, part } of ordered) {
    if (spec.kind === "account") {
      const details = part.files.find(([file]) => file === layout.authorizationDetails(spec.accountId))?.[1] as { RoleDetailList: { Arn?: string }[] } | undefined;
      if (details) rolesByAccount.set(spec.accountId, new Set(details.RoleDetailList.map((r) => r.Arn as string)));
    }
  }
  const knownRole = (accountId: string, roleArn: string | undefined) => roleArn !== undefined && (rolesByAccount.get(accountId)?.has(roleArn) ?? false);

  // A function created after IAM was read may use a role the authorization details lack: left out, with a gap.
  const leftOut = new Set<string>();
  const keptPerRegion = new Map<string, number>();
  const keptLists = new Map<string, unknown>();
  const functionArns = new Map<string, string>();
  for (const { spec, part } of ordered) {
    if (spec.kind !== "region") continue;
    const listFile = layout.listFunctions(spec.accountId, spec.region);
    const listed = part.files.find(([file]) => file === listFile)?.[1] as { Functions: FunctionConfiguration[] } | undefined;
    if (!listed) continue;
    const kept = listed.Functions.filter((fn) => knownRole(spec.accountId, fn.Role));
    for (const fn of listed.Functions.filter((f) => !knownRole(spec.accountId, f.Role))) {
      leftOut.add(`${spec.accountId}/${spec.region}/${fn.FunctionName}`);
      gaps.push({ accountId: spec.accountId, region: spec.region, api: "lambda:ListFunctions", file: null, message: `function ${fn.FunctionName} left out: its execution role ${fn.Role} is not in the account's IAM authorization details (created during the crawl?)` });
    }
    keptPerRegion.set(`${spec.accountId}/${spec.region}`, kept.length);
    for (const fn of kept) functionArns.set(`${spec.accountId}/${spec.region}/${fn.FunctionName}`, fn.FunctionArn as string);
    keptLists.set(listFile, { ...listed, Functions: kept });
  }

  const failures = new Map<string, { gap: Omit<CoverageGap, "message">; message: string; names: string[] }>();
  for (const { spec, part } of ordered) {
    if (spec.kind === "last-accessed" && !knownRole(spec.accountId, spec.roleArn)) continue;
    const dropped = new Set(spec.kind === "functions" ? spec.names.filter((name) => leftOut.has(`${spec.accountId}/${spec.region}/${name}`)) : []);
    const droppedFiles = new Set(spec.kind === "functions" ? [...dropped].flatMap((name) => [layout.getPolicy(spec.accountId, spec.region, name), layout.listFunctionUrlConfigs(spec.accountId, spec.region, name)]) : []);
    for (const [file, body] of part.files) if (!droppedFiles.has(file)) files.set(file, keptLists.get(file) ?? body);
    gaps.push(...part.gaps);
    for (const failure of part.functionFailures) {
      const names = failure.names.filter((name) => !dropped.has(name));
      if (names.length === 0) continue;
      const key = JSON.stringify([failure.accountId, failure.region, failure.api, failure.message]);
      const entry = failures.get(key) ?? { gap: { accountId: failure.accountId, region: failure.region, api: failure.api, file: null }, message: failure.message, names: [] };
      entry.names.push(...names);
      failures.set(key, entry);
    }
  }
  for (const { gap, message, names } of failures.values()) {
    const total = keptPerRegion.get(`${gap.accountId}/${gap.region}`) ?? names.length;
    const listed = names.slice(0, 5).join(", ") + (names.length > 5 ? ", …" : "");
    // The gap names every function it leaves incomplete, so it marks those and no other.
    const resources = names.map((name) => functionArns.get(`${gap.accountId}/${gap.region}/${name}`) ?? name);
    gaps.push({ ...gap, message: `${message} (${names.length} of ${total} functions: ${listed})`, resources });
  }
  const snapshot = await normalizeWithRejectedResponsesAsGaps(files, gaps, { kind: "aws", location: plan.callerArn });
  return { snapshot, files };
}

/** The plan's and every part's counters, added up. */
export function sumStats(all: PartStats[]): PartStats {
  const total: PartStats = { apiCalls: 0, retries: 0, throttled: 0, byApi: {} };
  for (const stats of all) {
    total.apiCalls += stats.apiCalls;
    total.retries += stats.retries;
    total.throttled += stats.throttled;
    for (const [api, s] of Object.entries(stats.byApi)) {
      const into = (total.byApi[api] ??= { apiCalls: 0, retries: 0, throttled: 0 });
      into.apiCalls += s.apiCalls;
      into.retries += s.retries;
      into.throttled += s.throttled;
    }
  }
  total.byApi = Object.fromEntries(Object.entries(total.byApi).sort(([a], [b]) => a.localeCompare(b)));
  return total;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
