import { stat } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import type {
  Account,
  CoverageGap,
  EventSourceMapping,
  FunctionUrl,
  Group,
  InlinePolicy,
  LambdaFunction,
  ManagedPolicy,
  OrgAccount,
  Organization,
  Role,
  ServiceControlPolicy,
  ServiceLastAccessed,
  Snapshot,
  User,
} from "@/lib/snapshot/types";
import {
  accountAuthorizationDetailsSchema,
  describeOrganizationSchema,
  describePolicySchema,
  getFunctionPolicySchema,
  listAccountsSchema,
  listEventSourceMappingsSchema,
  listFunctionUrlConfigsSchema,
  listFunctionsSchema,
  listParentsSchema,
  listPoliciesForTargetSchema,
  listRootsSchema,
  serviceLastAccessedDetailsSchema,
  ACCOUNT_ID,
  FUNCTION_ARN,
  FUNCTION_NAME,
  OU_ID,
  REGION_NAME,
  ROOT_ID,
} from "@/lib/snapshot/cli-schemas";
import { POLICY_SIZE_LIMITS, parsePolicyDocument, policySize, type PolicySizeLimit } from "@/lib/snapshot/parse-policy-document";
import { SnapshotError, formatJsonPath } from "@/lib/snapshot/snapshot-error";
import { MemorySnapshotFiles, SnapshotFiles, fileSystemError, type SnapshotSource } from "@/lib/snapshot/snapshot-source";
import { organizationTreeProblems } from "@/lib/snapshot/organization-tree";
import { reduceEnvironment, settleEnvironmentReferences } from "@/lib/snapshot/secret-detection";
import { inventoryDigests, resourceInventory } from "@/lib/snapshot/environment-references";
import { AccountReadCache, RecordingSource, type AccountRead, type AccountReadCacheOptions } from "@/lib/snapshot/account-read-cache";
import { isAwsManagedPolicyArn, isResolved, resolveAwsManagedPolicy } from "@/lib/snapshot/aws-managed-policies";

/** Progress while reading a snapshot directory. */
export interface ReadSnapshotProgress {
  phase: "organization" | "accounts" | "done";
  filesRead: number;
  accountsDone: number;
  accountsTotal: number;
}

export interface ReadSnapshotOptions {
  onProgress?: (progress: ReadSnapshotProgress) => void;
  /** Files read at once; 32 by default. */
  concurrency?: number;
  /** Keep each account's read, and reuse it while its files are unchanged (account-read-cache.ts). */
  cache?: AccountReadCacheOptions;
  /** With `cache`: once read, how many accounts came from it unchanged, of how many. */
  onCacheUse?: (unchanged: number, accounts: number) => void;
}

/**
 * Read an offline snapshot directory (AWS CLI v2 JSON output, layout in docs and
 * lib/snapshot/test-fixtures.ts) into the normalized Snapshot.
 * Throws SnapshotError naming the file and JSON path for any malformed or missing required file.
 */
export async function readSnapshotDir(dir: string, opts: ReadSnapshotOptions = {}): Promise<Snapshot> {
  const root = path.resolve(dir);
  const rootStat = await stat(root).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") throw new SnapshotError(dir, "", "snapshot directory does not exist");
    throw fileSystemError(dir, error);
  });
  if (!rootStat.isDirectory()) throw new SnapshotError(dir, "", "snapshot path is not a directory");
  const files = new SnapshotFiles(root, opts.concurrency ?? 32);
  return readSnapshot(files, { kind: "directory", location: root }, opts, opts.cache ? { files, options: opts.cache } : null);
}

/**
 * The same normalization as readSnapshotDir, over in-memory JSON keyed by the layout's relative
 * paths (`accounts/<id>/iam/get-account-authorization-details.json` …): the live crawler
 * collects the CLI-shaped responses and feeds them through here, so both inputs agree.
 */
export async function readSnapshotFiles(files: ReadonlyMap<string, unknown>, source: Snapshot["source"], opts: ReadSnapshotOptions = {}): Promise<Snapshot> {
  return readSnapshot(new MemorySnapshotFiles(files), source, opts);
}

/** Optional file of gaps a crawl recorded, so a saved partial crawl reads back as partial. */
export const COVERAGE_GAPS_FILE = "saltzer-coverage-gaps.json";

async function readSnapshot(reader: SnapshotSource, source: Snapshot["source"], opts: ReadSnapshotOptions, caching: { files: SnapshotFiles; options: AccountReadCacheOptions } | null = null): Promise<Snapshot> {
  const gaps: CoverageGap[] = [...((await reader.optional(COVERAGE_GAPS_FILE, coverageGapsSchema))?.Gaps ?? [])];
  const cache = caching ? new AccountReadCache(caching.options, source.location, gaps) : null;
  let accountsDone = 0;
  let accountsTotal = 0;
  const report = (phase: ReadSnapshotProgress["phase"]) =>
    opts.onProgress?.({ phase, filesRead: reader.filesRead, accountsDone, accountsTotal });

  report("organization");
  if (!(await reader.exists("accounts"))) throw new SnapshotError("accounts", "", "required directory is missing");
  const accountDirs = (await reader.listDirs("accounts")).sort();
  for (const id of accountDirs) {
    if (!ACCOUNT_ID.test(id)) throw new SnapshotError(`accounts/${id}`, "", "account directory name is not a 12-digit account id");
  }
  const accountIds = await notCollectedWithGapLeftOut(reader, gaps, accountDirs, (id) => [`accounts/${id}/iam/get-account-authorization-details.json`, id, null, ACCOUNT_UNREAD_APIS]);
  const organization = (await reader.exists("organizations")) ? await readOrganization(reader, gaps, source, accountIds) : null;
  accountsTotal = accountIds.length;
  report("accounts");

  const memberNames = new Map(organization?.members.map((m) => [m.id, m.name]) ?? []);
  const origins: MappingOrigins = new Map();
  const recordedGaps = [...gaps];
  /** An account read through the cache: a stored read whose files are unchanged, else a fresh read recorded for the next time. */
  const readThroughCache = async (accountId: string, afresh: boolean): Promise<AccountRead & { fresh: boolean }> => {
    const name = memberNames.get(accountId) ?? null;
    const stored = afresh ? null : await cache!.load(caching!.files, accountId);
    if (stored) return { ...stored, account: { ...stored.account, name }, fresh: false };
    const recorder = new RecordingSource(caching!.files);
    const ownGaps = [...recordedGaps];
    const ownOrigins: MappingOrigins = new Map();
    const account = await readAccount(recorder, accountId, name, ownGaps, ownOrigins);
    const mappingOrigins = account.eventSourceMappings.map((m) => ownOrigins.get(m)!);
    // Its inventory digest is known once every account is read.
    return { account, gaps: ownGaps.slice(recordedGaps.length), mappingOrigins, observations: recorder.observations, inventory: "", fresh: true };
  };
  const cachedReads = new Map<string, AccountRead & { fresh: boolean }>();
  const accounts = await Promise.all(
    accountIds.map(async (accountId) => {
      let account: Account;
      if (cache) {
        const read = await readThroughCache(accountId, false);
        cachedReads.set(accountId, read);
        account = read.account;
      } else account = await readAccount(reader, accountId, memberNames.get(accountId) ?? null, gaps, origins);
      accountsDone++;
      report("accounts");
      return account;
    }),
  );
  const inventory = resourceInventory(accounts);
  const digests = cache ? inventoryDigests(inventory) : null;
  const digestOf = (accountId: string) => digests?.get(accountId) ?? "none";
  if (digests) {
    // A stored read resolved its names against its account's resources then: read afresh if they differ now.
    for (const [i, accountId] of accountIds.entries()) {
      const read = cachedReads.get(accountId)!;
      if (!read.fresh && read.inventory !== digestOf(accountId)) {
        const again = await readThroughCache(accountId, true);
        cachedReads.set(accountId, again);
        accounts[i] = again.account;
      }
      const final = cachedReads.get(accountId)!;
      gaps.push(...final.gaps);
      final.account.eventSourceMappings.forEach((m, j) => origins.set(m, final.mappingOrigins[j]));
    }
  }
  // A mapping's UUID is unique across AWS; two files naming one would make the stored scan ambiguous.
  const uuids = new Map<string, string>();
  for (const mapping of accounts.flatMap((a) => a.eventSourceMappings)) {
    const where = origins.get(mapping) as { file: string; path: string };
    const first = uuids.get(mapping.uuid);
    if (first !== undefined) throw new SnapshotError(where.file, where.path, `duplicate event source mapping UUID ${mapping.uuid} (also at ${first})`);
    uuids.set(mapping.uuid, `${where.file}: ${where.path}`);
  }

  if (organization) {
    // An account a crawl could not enter already has its own gap (e.g. sts:AssumeRole) saying why.
    const explained = new Set(gaps.filter((g) => g.region === null && g.accountId !== null).map((g) => g.accountId));
    for (const member of organization.members) {
      if (accountIds.includes(member.id) || explained.has(member.id) || (member.status !== null && member.status !== "ACTIVE")) continue;
      gaps.push({ accountId: member.id, region: null, api: "snapshot", file: `accounts/${member.id}`, message: `organization member ${member.id} has no account directory in the snapshot` });
    }
  }

  // Names in environment values count only for resources the snapshot holds, known only now.
  settleEnvironmentReferences(accounts, inventory);
  if (cache) {
    // A read afresh has the same files as the stored one it replaced: the inventory is unchanged.
    const fresh = [...cachedReads.values()].filter((read) => read.fresh).map(({ fresh: _, ...read }) => ({ ...read, inventory: digestOf(read.account.accountId) }));
    opts.onCacheUse?.(cachedReads.size - fresh.length, cachedReads.size);
    if (caching!.options.saveAfterReturn) setImmediate(() => cache.save(fresh, accountIds));
    else cache.save(fresh, accountIds);
  }
  report("done");
  return { source, organization, accounts, gaps: sortGaps(gaps) };
}

const coverageGapsSchema = z.object({
  Gaps: z.array(
    z.object({
      accountId: z.string().regex(ACCOUNT_ID, { message: "is not a 12-digit account id" }).nullable(),
      region: z.string().regex(REGION_NAME, { message: "is not a region name" }).nullable(),
      api: z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, { message: "is not an API name" }),
      file: z.string().max(1024).regex(/^[^\u0000-\u001f\u007f]*$/, { message: "contains control characters" }).nullable(),
      // Gap messages are printed to terminals: no escape sequences (tab and new line are plain text).
      message: z.string().max(4096).regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, { message: "contains control characters" }),
      // The ARNs a per-resource read was about (optional: older gap files do not name them).
      resources: z.array(z.string().max(2048).regex(/^arn:[\x21-\x7e]+$/, { message: "is not an ARN" })).optional(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Organization

async function readOrganization(reader: SnapshotSource, gaps: CoverageGap[], source: Snapshot["source"], accountIds: readonly string[]): Promise<Organization> {
  const dir = "organizations";
  const [description, accounts, roots, parentChildIds, targetIds, policyIds] = await Promise.all([
    reader.required(`${dir}/describe-organization.json`, describeOrganizationSchema),
    reader.required(`${dir}/list-accounts.json`, listAccountsSchema),
    reader.required(`${dir}/list-roots.json`, listRootsSchema),
    reader.listJsonNames(`${dir}/list-parents`),
    reader.listJsonNames(`${dir}/list-policies-for-target`),
    reader.listJsonNames(`${dir}/describe-policy`),
  ]);

  const parents: Record<string, string> = {};
  const scpTargets: Record<string, string[]> = {};
  const [, , scps] = await Promise.all([
    Promise.all(
      parentChildIds.sort().map(async (childId) => {
        const file = `${dir}/list-parents/${childId}.json`;
        if (!ACCOUNT_ID.test(childId) && !OU_ID.test(childId)) throw new SnapshotError(file, "", "file name is not an account id or an OU id (ou-…)");
        const { Parents } = await reader.required(file, listParentsSchema);
        // Every account and OU has exactly one parent (an OU or the root).
        if (Parents.length !== 1) throw new SnapshotError(file, "$.Parents", `expected exactly one parent, found ${Parents.length}`);
        parents[childId] = Parents[0].Id;
      }),
    ),
    Promise.all(
      targetIds.sort().map(async (targetId) => {
        const file = `${dir}/list-policies-for-target/${targetId}.json`;
        if (!ACCOUNT_ID.test(targetId) && !OU_ID.test(targetId) && !ROOT_ID.test(targetId)) throw new SnapshotError(file, "", "file name is not an account, OU or root id");
        const { Policies } = await reader.required(file, listPoliciesForTargetSchema);
        rejectDuplicates(file, Policies.map((p) => p.Id), (i) => ["Policies", i, "Id"], "SCP");
        scpTargets[targetId] = Policies.filter((p) => isServiceControlPolicy(p.Type)).map((p) => p.Id);
      }),
    ),
    Promise.all(
      policyIds.sort().map(async (policyId): Promise<ServiceControlPolicy | null> => {
        const file = `${dir}/describe-policy/${policyId}.json`;
        const { Policy } = await reader.required(file, describePolicySchema);
        const summary = Policy.PolicySummary;
        if (summary.Id !== policyId) throw new SnapshotError(file, "$.Policy.PolicySummary.Id", `names policy ${summary.Id}, but the file is named for ${policyId}`);
        if (!isServiceControlPolicy(summary.Type)) return null;
        return {
          id: summary.Id,
          arn: summary.Arn,
          name: summary.Name,
          awsManaged: summary.AwsManaged ?? false,
          document: parsePolicyDocument(Policy.Content, { file, path: "$.Policy.Content" }, POLICY_SIZE_LIMITS.serviceControlPolicy),
        };
      }),
    ),
  ]);

  const scpList = scps.filter((p): p is ServiceControlPolicy => p !== null);
  const described = new Set(scpList.map((p) => p.id));
  for (const [targetId, ids] of Object.entries(scpTargets)) {
    for (const id of ids) {
      if (described.has(id)) continue;
      described.add(id);
      gaps.push({ accountId: null, region: null, api: "organizations:DescribePolicy", file: `${dir}/describe-policy/${id}.json`, message: `SCP ${id} is attached to ${targetId} but its content was not collected` });
    }
  }

  rejectDuplicates(`${dir}/list-accounts.json`, accounts.Accounts.map((a) => a.Id), (i) => ["Accounts", i, "Id"], "account");
  rejectDuplicates(`${dir}/list-roots.json`, roots.Roots.map((r) => r.Id), (i) => ["Roots", i, "Id"], "root");
  const rootIds = roots.Roots.map((r) => r.Id);

  // Every scanned member account must lead to a root (the management account is not subject to SCPs).
  const memberIds = new Set(accounts.Accounts.map((a) => a.Id));
  const scanned = accountIds.filter((id) => memberIds.has(id) && id !== description.Organization.MasterAccountId);
  // A crawl that could not call ListParents recorded why; its missing files are that gap, not a malformed snapshot.
  const listParentsFailed = gaps.some((g) => g.api === "organizations:ListParents");
  for (const problem of organizationTreeProblems({ rootIds, parents, accountIds: scanned })) {
    // Live crawl: the tree AWS returned is what there is; the break is a gap that makes the scan partial.
    if (source.kind === "aws" || (problem.missingFile && listParentsFailed)) {
      gaps.push({ accountId: problem.accountId, region: null, api: "organizations:ListParents", file: problem.file, message: `${problem.jsonPath ? `${problem.jsonPath}: ` : ""}${problem.detail}` });
    } else throw new SnapshotError(problem.file, problem.jsonPath, problem.detail);
  }

  const members: OrgAccount[] = accounts.Accounts.map((a) => ({
    id: a.Id,
    name: a.Name ?? null,
    email: a.Email ?? null,
    status: a.Status ?? a.State ?? null,
  }));

  return {
    id: description.Organization.Id,
    arn: description.Organization.Arn ?? null,
    managementAccountId: description.Organization.MasterAccountId,
    rootIds,
    members,
    parents,
    scps: scpList,
    scpTargets,
  };
}

function isServiceControlPolicy(type: string | undefined): boolean {
  return type === undefined || type === "SERVICE_CONTROL_POLICY";
}

// ---------------------------------------------------------------------------------------------
// Accounts

async function readAccount(reader: SnapshotSource, accountId: string, name: string | null, gaps: CoverageGap[], origins: MappingOrigins): Promise<Account> {
  const base = `accounts/${accountId}`;
  const [iam, lastAccessed, regionNames] = await Promise.all([
    readIam(reader, accountId, gaps),
    readLastAccessed(reader, `${base}/iam/service-last-accessed`),
    reader.listDirs(`${base}/regions`).then((names) => notCollectedWithGapLeftOut(reader, gaps, names, (region) => [`${base}/regions/${region}/lambda/list-functions.json`, accountId, region, ["lambda:ListFunctions"]])),
  ]);
  regionNames.sort();
  for (const region of regionNames) {
    if (!REGION_NAME.test(region)) throw new SnapshotError(`${base}/regions/${region}`, "", "region directory name is not a region name (such as us-east-1)");
  }
  const rolesByArn = new Map(iam.roles.map((r) => [r.arn, r]));
  const regions = await Promise.all(regionNames.map((region) => readRegion(reader, accountId, region, rolesByArn, gaps, origins)));
  return {
    accountId,
    name,
    regions: regionNames,
    roles: iam.roles,
    users: iam.users,
    groups: iam.groups,
    managedPolicies: iam.managedPolicies,
    functions: regions.flatMap((r) => r.functions),
    eventSourceMappings: regions.flatMap((r) => r.eventSourceMappings),
    lastAccessed,
  };
}

async function readIam(reader: SnapshotSource, accountId: string, gaps: CoverageGap[]) {
  const file = `accounts/${accountId}/iam/get-account-authorization-details.json`;
  const details = await reader.required(file, accountAuthorizationDetailsSchema);
  const at = (...segments: (string | number)[]) => ({ file, path: formatJsonPath("$", segments) });
  const inline = (list: { PolicyName: string; PolicyDocument: unknown }[], limit: PolicySizeLimit, ...segments: (string | number)[]): InlinePolicy[] => {
    const policies = list.map((p, i) => ({ name: p.PolicyName, document: parsePolicyDocument(p.PolicyDocument, at(...segments, i, "PolicyDocument")) }));
    // The limit is on all of a principal's inline policies together.
    const size = policies.reduce((n, p) => n + policySize(p.document), 0);
    if (size > limit.maxChars) throw new SnapshotError(file, formatJsonPath("$", segments), `${limit.what} are ${size} characters, more than the ${limit.maxChars} AWS allows`);
    return policies;
  };

  const own = (arn: string, kind: string, name: string, segments: (string | number)[], path?: string) => {
    // arn:<partition>:iam::<account>:<kind><path><name>, e.g. arn:aws:iam::123456789012:role/service-role/orders-fn-role
    const resource = arn.split(":").slice(5).join(":");
    const accountOk = arn.split(":")[4] === accountId;
    const nameOk = path === undefined ? resource.startsWith(`${kind}/`) && resource.endsWith(`/${name}`) : resource === `${kind}${path}${name}`;
    if (!accountOk || !nameOk) throw new SnapshotError(file, formatJsonPath("$", segments), `expected the ARN of ${kind} ${name} in account ${accountId}`);
  };
  details.RoleDetailList.forEach((r, i) => own(r.Arn, "role", r.RoleName, ["RoleDetailList", i, "Arn"], r.Path));
  details.UserDetailList.forEach((u, i) => own(u.Arn, "user", u.UserName, ["UserDetailList", i, "Arn"]));
  details.GroupDetailList.forEach((g, i) => own(g.Arn, "group", g.GroupName, ["GroupDetailList", i, "Arn"]));
  // IAM names are unique per account regardless of case (IAM quotas page).
  rejectDuplicates(file, details.RoleDetailList.map((r) => r.RoleName.toLowerCase()), (i) => ["RoleDetailList", i, "RoleName"], "role");
  rejectDuplicates(file, details.UserDetailList.map((u) => u.UserName.toLowerCase()), (i) => ["UserDetailList", i, "UserName"], "user");
  rejectDuplicates(file, details.GroupDetailList.map((g) => g.GroupName.toLowerCase()), (i) => ["GroupDetailList", i, "GroupName"], "group");
  rejectDuplicates(file, details.Policies.map((p) => p.Arn), (i) => ["Policies", i, "Arn"], "managed policy ARN");
  details.Policies.forEach((p, i) => {
    const accountPart = p.Arn.split(":")[4];
    if ((accountPart !== accountId && accountPart !== "aws") || !p.Arn.endsWith(`/${p.PolicyName}`))
      throw new SnapshotError(file, formatJsonPath("$", ["Policies", i, "Arn"]), `expected the ARN of policy ${p.PolicyName} in account ${accountId} or an AWS-managed policy`);
  });
  details.RoleDetailList.forEach((r, i) => rejectDuplicates(file, r.RolePolicyList.map((p) => p.PolicyName), (j) => ["RoleDetailList", i, "RolePolicyList", j, "PolicyName"], "inline policy name"));
  details.UserDetailList.forEach((u, i) => rejectDuplicates(file, u.UserPolicyList.map((p) => p.PolicyName), (j) => ["UserDetailList", i, "UserPolicyList", j, "PolicyName"], "inline policy name"));
  details.GroupDetailList.forEach((g, i) => rejectDuplicates(file, g.GroupPolicyList.map((p) => p.PolicyName), (j) => ["GroupDetailList", i, "GroupPolicyList", j, "PolicyName"], "inline policy name"));

  const roles: Role[] = details.RoleDetailList.map((r, i) => ({
    arn: r.Arn,
    name: r.RoleName,
    path: r.Path,
    roleId: r.RoleId,
    createDate: toIsoString(r.CreateDate),
    assumeRolePolicy: parsePolicyDocument(r.AssumeRolePolicyDocument, at("RoleDetailList", i, "AssumeRolePolicyDocument"), POLICY_SIZE_LIMITS.trustPolicy),
    inlinePolicies: inline(r.RolePolicyList, POLICY_SIZE_LIMITS.roleInlinePolicies, "RoleDetailList", i, "RolePolicyList"),
    attachedPolicyArns: r.AttachedManagedPolicies.map((p) => p.PolicyArn),
    permissionsBoundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    lastUsed: toIsoString(r.RoleLastUsed?.LastUsedDate),
    ...(r.Tags ? { tags: Object.fromEntries(r.Tags.map((t) => [t.Key, t.Value])) } : {}),
    ...(r.InstanceProfileList ? { instanceProfileArns: r.InstanceProfileList.map((p) => p.Arn) } : {}),
  }));
  const users: User[] = details.UserDetailList.map((u, i) => ({
    arn: u.Arn,
    name: u.UserName,
    inlinePolicies: inline(u.UserPolicyList, POLICY_SIZE_LIMITS.userInlinePolicies, "UserDetailList", i, "UserPolicyList"),
    attachedPolicyArns: u.AttachedManagedPolicies.map((p) => p.PolicyArn),
    groupNames: u.GroupList,
    permissionsBoundaryArn: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  }));
  const groups: Group[] = details.GroupDetailList.map((g, i) => ({
    arn: g.Arn,
    name: g.GroupName,
    inlinePolicies: inline(g.GroupPolicyList, POLICY_SIZE_LIMITS.groupInlinePolicies, "GroupDetailList", i, "GroupPolicyList"),
    attachedPolicyArns: g.AttachedManagedPolicies.map((p) => p.PolicyArn),
  }));

  const listed = new Map<string, ManagedPolicy>();
  details.Policies.forEach((p, i) => {
    const versionIndex = p.PolicyVersionList.findIndex((v) => v.IsDefaultVersion);
    if (versionIndex < 0) throw new SnapshotError(file, formatJsonPath("$", ["Policies", i, "PolicyVersionList"]), "no version has IsDefaultVersion: true");
    const version = p.PolicyVersionList[versionIndex];
    // AWS-managed policies are AWS's to size (ReadOnlyAccess is far beyond 6,144 characters).
    const limit = isAwsManagedPolicyArn(p.Arn) ? undefined : POLICY_SIZE_LIMITS.customerManagedPolicy;
    if (version.Document === undefined)
      throw new SnapshotError(file, formatJsonPath("$", ["Policies", i, "PolicyVersionList", versionIndex, "Document"]), "expected the default version's policy document, but it is missing");
    listed.set(p.Arn, {
      arn: p.Arn,
      name: p.PolicyName,
      awsManaged: isAwsManagedPolicyArn(p.Arn),
      defaultVersionId: version.VersionId ?? p.DefaultVersionId ?? null,
      document: parsePolicyDocument(version.Document, at("Policies", i, "PolicyVersionList", versionIndex, "Document"), limit),
      otherVersions: p.PolicyVersionList.flatMap((v, j) =>
        j === versionIndex || v.Document === undefined
          ? []
          : [{ versionId: v.VersionId ?? null, document: parsePolicyDocument(v.Document, at("Policies", i, "PolicyVersionList", j, "Document"), limit) }],
      ),
    });
  });

  const referenced = new Set<string>();
  for (const principal of [...roles, ...users]) {
    principal.attachedPolicyArns.forEach((arn) => referenced.add(arn));
    if (principal.permissionsBoundaryArn) referenced.add(principal.permissionsBoundaryArn);
  }
  for (const group of groups) group.attachedPolicyArns.forEach((arn) => referenced.add(arn));

  const managedPolicies: ManagedPolicy[] = [];
  for (const arn of [...referenced].sort()) {
    const policy = listed.get(arn);
    if (policy) {
      managedPolicies.push(policy);
      continue;
    }
    if (!isAwsManagedPolicyArn(arn)) {
      gaps.push({ accountId, region: null, api: "managed-policy", file, message: `customer-managed policy ${arn} is attached but missing from Policies`, resources: [arn] });
      continue;
    }
    const resolved = await resolveAwsManagedPolicy(arn);
    if (isResolved(resolved)) managedPolicies.push(resolved);
    else gaps.push({ accountId, region: null, api: "managed-policy", file, message: resolved.reason, resources: [arn] });
  }

  return { roles, users, groups, managedPolicies };
}

async function readLastAccessed(reader: SnapshotSource, dir: string): Promise<Record<string, ServiceLastAccessed[]>> {
  const roleNames = (await reader.listJsonNames(dir)).sort();
  const entries = await Promise.all(
    roleNames.map(async (roleName) => {
      if (!/^[\w+=,.@-]{1,64}$/.test(roleName)) throw new SnapshotError(`${dir}/${roleName}.json`, "", "file name is not a role name");
      const details = await reader.required(`${dir}/${roleName}.json`, serviceLastAccessedDetailsSchema);
      const services: ServiceLastAccessed[] = details.ServicesLastAccessed.map((s) => ({
        serviceNamespace: s.ServiceNamespace,
        serviceName: s.ServiceName ?? null,
        lastAuthenticated: toIsoString(s.LastAuthenticated),
        trackedActions: s.TrackedActionsLastAccessed?.map((a) => ({ actionName: a.ActionName, lastAccessedTime: toIsoString(a.LastAccessedTime) })) ?? null,
      }));
      return [roleName, services] as const;
    }),
  );
  return Object.fromEntries(entries);
}

// ---------------------------------------------------------------------------------------------
// Lambda

/** Where each event source mapping was read, for errors found once all accounts are read. */
type MappingOrigins = Map<EventSourceMapping, { file: string; path: string }>;

async function readRegion(reader: SnapshotSource, accountId: string, region: string, rolesByArn: Map<string, Role>, gaps: CoverageGap[], origins: MappingOrigins) {
  const dir = `accounts/${accountId}/regions/${region}/lambda`;
  const functionsFile = `${dir}/list-functions.json`;
  const mappingsFile = `${dir}/list-event-source-mappings.json`;
  // Mappings that failed to collect, with a gap recorded for them: the functions are still read.
  const mappingsMissingWithGap = (await reader.exists(mappingsFile)) ? false : hasRecordedGap(gaps, mappingsFile, accountId, region, ["lambda:ListEventSourceMappings"]);
  const [listed, mappings, policyNames, urlNames] = await Promise.all([
    reader.required(functionsFile, listFunctionsSchema),
    mappingsMissingWithGap ? { EventSourceMappings: [] } : reader.required(mappingsFile, listEventSourceMappingsSchema),
    reader.listJsonNames(`${dir}/get-policy`).then((names) => new Set(names)),
    reader.listJsonNames(`${dir}/list-function-url-configs`).then((names) => new Set(names)),
  ]);

  // Each function must be the one its directory says: its ARN names this account, this region and its own name.
  listed.Functions.forEach((fn, i) => {
    const [, , arnRegion, arnAccount, arnName, qualifier] = FUNCTION_ARN.exec(fn.FunctionArn) as RegExpExecArray;
    const at = formatJsonPath("$", ["Functions", i, "FunctionArn"]);
    if (arnAccount !== accountId) throw new SnapshotError(functionsFile, at, `names account ${arnAccount}, but the file is in the directory of account ${accountId}`);
    if (arnRegion !== region) throw new SnapshotError(functionsFile, at, `names region ${arnRegion}, but the file is in the directory of region ${region}`);
    if (arnName !== fn.FunctionName) throw new SnapshotError(functionsFile, at, `names function ${arnName}, but FunctionName is ${fn.FunctionName}`);
    if (qualifier !== undefined) throw new SnapshotError(functionsFile, at, "is a qualified ARN (version or alias); list-functions lists each function once, unqualified");
  });
  rejectDuplicates(functionsFile, listed.Functions.map((fn) => fn.FunctionName), (i) => ["Functions", i, "FunctionName"], "function");
  const functionNames = new Set(listed.Functions.map((fn) => fn.FunctionName));
  for (const [kind, names] of [["get-policy", policyNames], ["list-function-url-configs", urlNames]] as const) {
    for (const name of [...names].sort()) {
      if (!FUNCTION_NAME.test(name)) throw new SnapshotError(`${dir}/${kind}/${name}.json`, "", "file name is not a function name");
      if (!functionNames.has(name)) gaps.push({ accountId, region, api: kind === "get-policy" ? "lambda:GetPolicy" : "lambda:ListFunctionUrlConfigs", file: `${dir}/${kind}/${name}.json`, message: `describes function ${name}, which is not in ${functionsFile}; not read` });
    }
  }

  const functions = await Promise.all(
    listed.Functions.map(async (fn, i): Promise<LambdaFunction> => {
      if (!rolesByArn.has(fn.Role))
        throw new SnapshotError(functionsFile, formatJsonPath("$", ["Functions", i, "Role"]), `execution role ${fn.Role} is not in accounts/${accountId}/iam/get-account-authorization-details.json`);
      const [resourcePolicy, urls] = await Promise.all([
        policyNames.has(fn.FunctionName) ? readFunctionPolicy(reader, `${dir}/get-policy/${fn.FunctionName}.json`) : null,
        urlNames.has(fn.FunctionName) ? readFunctionUrls(reader, `${dir}/list-function-url-configs/${fn.FunctionName}.json`, fn.FunctionArn) : [],
      ]);
      const vpc = fn.VpcConfig;
      return {
        arn: fn.FunctionArn,
        name: fn.FunctionName,
        accountId,
        region,
        runtime: fn.Runtime ?? null,
        roleArn: fn.Role,
        handler: fn.Handler ?? null,
        packageType: fn.PackageType ?? "Zip",
        memorySize: fn.MemorySize ?? null,
        timeout: fn.Timeout ?? null,
        lastModified: toIsoString(fn.LastModified),
        // Lambda's default architecture when the field is absent (older API responses).
        architectures: fn.Architectures ?? ["x86_64"],
        environment: reduceEnvironment(fn.Environment?.Variables),
        layers: fn.Layers?.map((l) => l.Arn) ?? [],
        // list-functions prints an empty VpcConfig ({SubnetIds: [], VpcId: ""}) for functions outside a VPC.
        vpc: vpc && (vpc.SubnetIds.length > 0 || vpc.VpcId) ? { subnetIds: vpc.SubnetIds, securityGroupIds: vpc.SecurityGroupIds, vpcId: vpc.VpcId || null } : null,
        deadLetterTargetArn: fn.DeadLetterConfig?.TargetArn || null,
        kmsKeyArn: fn.KMSKeyArn || null,
        tracingMode: fn.TracingConfig?.Mode ?? null,
        logGroup: fn.LoggingConfig?.LogGroup || `/aws/lambda/${fn.FunctionName}`,
        resourcePolicy,
        urls,
      };
    }),
  );

  const functionArns = new Set(functions.map((fn) => fn.arn));
  const eventSourceMappings: EventSourceMapping[] = mappings.EventSourceMappings.map((m, i) => {
    const mapping: EventSourceMapping = {
      uuid: m.UUID,
      accountId,
      region,
      functionArn: m.FunctionArn,
      eventSourceArn: m.EventSourceArn ?? null,
      state: m.State ?? null,
      batchSize: m.BatchSize ?? null,
      selfManagedEventSource: m.SelfManagedEventSource ?? null,
    };
    origins.set(mapping, { file: mappingsFile, path: formatJsonPath("$", ["EventSourceMappings", i, "UUID"]) });
    // A mapping may name a version or alias; the function is the unqualified ARN.
    const unqualified = m.FunctionArn.split(":").slice(0, 7).join(":");
    if (!functionArns.has(unqualified))
      gaps.push({ accountId, region, api: "lambda:ListEventSourceMappings", file: mappingsFile, message: `${formatJsonPath("$", ["EventSourceMappings", i, "FunctionArn"])}: mapping ${m.UUID} triggers function ${m.FunctionArn}, which is not in ${functionsFile}`, resources: [m.FunctionArn] });
    return mapping;
  });

  return { functions, eventSourceMappings };
}

async function readFunctionPolicy(reader: SnapshotSource, file: string) {
  const { Policy } = await reader.required(file, getFunctionPolicySchema);
  return parsePolicyDocument(Policy, { file, path: "$.Policy" }, POLICY_SIZE_LIMITS.functionResourcePolicy);
}

async function readFunctionUrls(reader: SnapshotSource, file: string, functionArn: string): Promise<FunctionUrl[]> {
  const { FunctionUrlConfigs } = await reader.required(file, listFunctionUrlConfigsSchema);
  FunctionUrlConfigs.forEach((c, i) => {
    if (c.FunctionArn !== functionArn && !c.FunctionArn.startsWith(`${functionArn}:`))
      throw new SnapshotError(file, formatJsonPath("$", ["FunctionUrlConfigs", i, "FunctionArn"]), `names another function than ${functionArn}`);
  });
  return FunctionUrlConfigs.map((c) => ({
    url: c.FunctionUrl,
    authType: c.AuthType,
    // arn:aws:lambda:region:account:function:name[:alias]
    qualifier: c.FunctionArn.split(":")[7] ?? null,
    cors: c.Cors ?? null,
  }));
}

// ---------------------------------------------------------------------------------------------
// Helpers

/** CLI output prints ISO strings, raw JSON APIs epoch seconds; either becomes an ISO string. */
function toIsoString(value: string | number | undefined): string | null {
  if (value === undefined) return null;
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(date.getTime())) return typeof value === "string" ? value : null;
  return date.toISOString();
}

/** Throws naming the second occurrence of a value that must be unique within one file. */
function rejectDuplicates(file: string, values: readonly string[], at: (index: number) => (string | number)[], what: string): void {
  const first = new Map<string, number>();
  values.forEach((value, i) => {
    const earlier = first.get(value);
    if (earlier !== undefined) throw new SnapshotError(file, formatJsonPath("$", at(i)), `duplicate ${what} ${JSON.stringify(value)} (also at ${formatJsonPath("$", at(earlier))})`);
    first.set(value, i);
  });
}

// An account is not read when its audit role cannot be assumed or its IAM cannot be read.
const ACCOUNT_UNREAD_APIS = ["sts:AssumeRole", "iam:GetAccountAuthorizationDetails"];

/**
 * A gap recorded for this file, or for one of `apis` in its account and region (region null: the
 * account as a whole): how saltzer-coverage-gaps.json explains a file collect-snapshot.sh could not write.
 */
function hasRecordedGap(gaps: readonly CoverageGap[], file: string, accountId: string, region: string | null, apis: readonly string[]): boolean {
  return gaps.some((g) => g.file === file || (g.accountId === accountId && g.region === region && apis.includes(g.api)));
}

/** Leaves out account or region directories whose required file is missing but explained by a recorded gap. */
async function notCollectedWithGapLeftOut(
  reader: SnapshotSource,
  gaps: readonly CoverageGap[],
  names: string[],
  required: (name: string) => [file: string, accountId: string, region: string | null, apis: readonly string[]],
): Promise<string[]> {
  const kept = await Promise.all(
    names.map(async (name) => {
      const [file, accountId, region, apis] = required(name);
      return (await reader.exists(file)) || !hasRecordedGap(gaps, file, accountId, region, apis);
    }),
  );
  return names.filter((_, i) => kept[i]);
}

function sortGaps(gaps: CoverageGap[]): CoverageGap[] {
  const key = (g: CoverageGap) => `${g.accountId ?? ""}|${g.region ?? ""}|${g.api}|${g.file ?? ""}|${g.message}`;
  return [...gaps].sort((a, b) => key(a).localeCompare(key(b)));
}
