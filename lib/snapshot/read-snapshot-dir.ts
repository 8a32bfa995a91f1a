import { readFile, readdir, stat } from "node:fs/promises";
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
} from "@/lib/snapshot/cli-schemas";
import { parsePolicyDocument } from "@/lib/snapshot/parse-policy-document";
import { SnapshotError, describeJsonSyntaxError, formatJsonPath, snapshotErrorFromZod } from "@/lib/snapshot/snapshot-error";
import { reduceEnvironment } from "@/lib/snapshot/secret-detection";
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
    throw error;
  });
  if (!rootStat.isDirectory()) throw new SnapshotError(dir, "", "snapshot path is not a directory");
  return readSnapshot(new SnapshotFiles(root, opts.concurrency ?? 32), { kind: "directory", location: root }, opts);
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

async function readSnapshot(reader: SnapshotSource, source: Snapshot["source"], opts: ReadSnapshotOptions): Promise<Snapshot> {
  const gaps: CoverageGap[] = [...((await reader.optional(COVERAGE_GAPS_FILE, coverageGapsSchema))?.Gaps ?? [])];
  let accountsDone = 0;
  let accountsTotal = 0;
  const report = (phase: ReadSnapshotProgress["phase"]) =>
    opts.onProgress?.({ phase, filesRead: reader.filesRead, accountsDone, accountsTotal });

  report("organization");
  const organization = (await reader.exists("organizations")) ? await readOrganization(reader, gaps) : null;

  if (!(await reader.exists("accounts"))) throw new SnapshotError("accounts", "", "required directory is missing");
  const accountDirs = (await reader.listDirs("accounts")).sort();
  for (const id of accountDirs) {
    if (!/^\d{12}$/.test(id)) throw new SnapshotError(`accounts/${id}`, "", "account directory name is not a 12-digit account id");
  }
  const accountIds = await notCollectedWithGapLeftOut(reader, gaps, accountDirs, (id) => [`accounts/${id}/iam/get-account-authorization-details.json`, id, null, ACCOUNT_UNREAD_APIS]);
  accountsTotal = accountIds.length;
  report("accounts");

  const memberNames = new Map(organization?.members.map((m) => [m.id, m.name]) ?? []);
  const accounts = await Promise.all(
    accountIds.map(async (accountId) => {
      const account = await readAccount(reader, accountId, memberNames.get(accountId) ?? null, gaps);
      accountsDone++;
      report("accounts");
      return account;
    }),
  );

  if (organization) {
    // An account a crawl could not enter already has its own gap (e.g. sts:AssumeRole) saying why.
    const explained = new Set(gaps.filter((g) => g.region === null && g.accountId !== null).map((g) => g.accountId));
    for (const member of organization.members) {
      if (accountIds.includes(member.id) || explained.has(member.id) || (member.status !== null && member.status !== "ACTIVE")) continue;
      gaps.push({ accountId: member.id, region: null, api: "snapshot", file: `accounts/${member.id}`, message: `organization member ${member.id} has no account directory in the snapshot` });
    }
  }

  report("done");
  return { source, organization, accounts, gaps: sortGaps(gaps) };
}

const coverageGapsSchema = z.object({
  Gaps: z.array(
    z.object({
      accountId: z.string().nullable(),
      region: z.string().nullable(),
      api: z.string(),
      file: z.string().nullable(),
      message: z.string(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------
// Files

/** What the normalization reads: a directory on disk, or the same layout in memory. */
interface SnapshotSource {
  readonly filesRead: number;
  exists(rel: string): Promise<boolean>;
  listDirs(rel: string): Promise<string[]>;
  listJsonNames(rel: string): Promise<string[]>;
  required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>>;
  optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null>;
}

/** The snapshot layout as in-memory JSON values keyed by relative path. */
class MemorySnapshotFiles implements SnapshotSource {
  filesRead = 0;

  constructor(private readonly files: ReadonlyMap<string, unknown>) {}

  async exists(rel: string): Promise<boolean> {
    for (const key of this.files.keys()) if (key === rel || key.startsWith(`${rel}/`)) return true;
    return false;
  }

  async listDirs(rel: string): Promise<string[]> {
    const names = new Set<string>();
    for (const key of this.files.keys()) {
      if (!key.startsWith(`${rel}/`)) continue;
      const rest = key.slice(rel.length + 1).split("/");
      if (rest.length > 1) names.add(rest[0]);
    }
    return [...names];
  }

  async listJsonNames(rel: string): Promise<string[]> {
    const names: string[] = [];
    for (const key of this.files.keys()) {
      if (!key.startsWith(`${rel}/`)) continue;
      const rest = key.slice(rel.length + 1);
      if (!rest.includes("/") && rest.endsWith(".json")) names.push(rest.slice(0, -".json".length));
    }
    return names;
  }

  async required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>> {
    const value = await this.optional(rel, schema);
    if (value === null) throw new SnapshotError(rel, "", "required file is missing");
    return value;
  }

  async optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null> {
    if (!this.files.has(rel)) return null;
    this.filesRead++;
    const result = schema.safeParse(this.files.get(rel));
    if (!result.success) throw snapshotErrorFromZod(rel, "$", result.error);
    return result.data;
  }
}

/** Bounded-concurrency JSON file access relative to the snapshot root. */
class SnapshotFiles implements SnapshotSource {
  filesRead = 0;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly root: string,
    private readonly concurrency: number,
  ) {}

  private async limit<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  async exists(rel: string): Promise<boolean> {
    return this.limit(() =>
      stat(path.join(this.root, rel)).then(
        () => true,
        (error: NodeJS.ErrnoException) => {
          if (error.code === "ENOENT") return false;
          throw error;
        },
      ),
    );
  }

  /** Sub-directory names; none when the directory is absent. */
  async listDirs(rel: string): Promise<string[]> {
    return (await this.list(rel)).filter((e) => e.isDirectory()).map((e) => e.name);
  }

  /** `<name>` for each `<name>.json` file; none when the directory is absent. */
  async listJsonNames(rel: string): Promise<string[]> {
    return (await this.list(rel)).filter((e) => e.isFile() && e.name.endsWith(".json")).map((e) => e.name.slice(0, -".json".length));
  }

  private async list(rel: string) {
    return this.limit(() =>
      readdir(path.join(this.root, rel), { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return [];
        throw error;
      }),
    );
  }

  /** Read and validate a file that must exist. */
  async required<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S>> {
    const value = await this.optional(rel, schema);
    if (value === null) throw new SnapshotError(rel, "", "required file is missing");
    return value;
  }

  /** Read and validate a file; null when it does not exist. */
  async optional<S extends z.ZodType>(rel: string, schema: S): Promise<z.output<S> | null> {
    const text = await this.limit(() =>
      readFile(path.join(this.root, rel), "utf8").catch((error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") return null;
        throw error;
      }),
    );
    if (text === null) return null;
    this.filesRead++;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SnapshotError(rel, "$", describeJsonSyntaxError(error, text));
    }
    const result = schema.safeParse(json);
    if (!result.success) throw snapshotErrorFromZod(rel, "$", result.error);
    return result.data;
  }
}

// ---------------------------------------------------------------------------------------------
// Organization

async function readOrganization(reader: SnapshotSource, gaps: CoverageGap[]): Promise<Organization> {
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
        const { Parents } = await reader.required(file, listParentsSchema);
        // Every account and OU has exactly one parent (an OU or the root).
        if (Parents.length !== 1) throw new SnapshotError(file, "$.Parents", `expected exactly one parent, found ${Parents.length}`);
        parents[childId] = Parents[0].Id;
      }),
    ),
    Promise.all(
      targetIds.sort().map(async (targetId) => {
        const { Policies } = await reader.required(`${dir}/list-policies-for-target/${targetId}.json`, listPoliciesForTargetSchema);
        scpTargets[targetId] = Policies.filter((p) => isServiceControlPolicy(p.Type)).map((p) => p.Id);
      }),
    ),
    Promise.all(
      policyIds.sort().map(async (policyId): Promise<ServiceControlPolicy | null> => {
        const file = `${dir}/describe-policy/${policyId}.json`;
        const { Policy } = await reader.required(file, describePolicySchema);
        const summary = Policy.PolicySummary;
        if (!isServiceControlPolicy(summary.Type)) return null;
        return {
          id: summary.Id,
          arn: summary.Arn,
          name: summary.Name,
          awsManaged: summary.AwsManaged ?? false,
          document: parsePolicyDocument(Policy.Content, { file, path: "$.Policy.Content" }),
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
    rootIds: roots.Roots.map((r) => r.Id),
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

async function readAccount(reader: SnapshotSource, accountId: string, name: string | null, gaps: CoverageGap[]): Promise<Account> {
  const base = `accounts/${accountId}`;
  const [iam, lastAccessed, regionNames] = await Promise.all([
    readIam(reader, accountId, gaps),
    readLastAccessed(reader, `${base}/iam/service-last-accessed`),
    reader.listDirs(`${base}/regions`).then((names) => notCollectedWithGapLeftOut(reader, gaps, names, (region) => [`${base}/regions/${region}/lambda/list-functions.json`, accountId, region, ["lambda:ListFunctions"]])),
  ]);
  regionNames.sort();
  const rolesByArn = new Map(iam.roles.map((r) => [r.arn, r]));
  const regions = await Promise.all(regionNames.map((region) => readRegion(reader, accountId, region, rolesByArn, gaps)));
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
  const inline = (list: { PolicyName: string; PolicyDocument: unknown }[], ...segments: (string | number)[]): InlinePolicy[] =>
    list.map((p, i) => ({ name: p.PolicyName, document: parsePolicyDocument(p.PolicyDocument, at(...segments, i, "PolicyDocument")) }));

  const roles: Role[] = details.RoleDetailList.map((r, i) => ({
    arn: r.Arn,
    name: r.RoleName,
    path: r.Path,
    roleId: r.RoleId,
    createDate: toIsoString(r.CreateDate),
    assumeRolePolicy: parsePolicyDocument(r.AssumeRolePolicyDocument, at("RoleDetailList", i, "AssumeRolePolicyDocument")),
    inlinePolicies: inline(r.RolePolicyList, "RoleDetailList", i, "RolePolicyList"),
    attachedPolicyArns: r.AttachedManagedPolicies.map((p) => p.PolicyArn),
    permissionsBoundaryArn: r.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
    lastUsed: toIsoString(r.RoleLastUsed?.LastUsedDate),
  }));
  const users: User[] = details.UserDetailList.map((u, i) => ({
    arn: u.Arn,
    name: u.UserName,
    inlinePolicies: inline(u.UserPolicyList, "UserDetailList", i, "UserPolicyList"),
    attachedPolicyArns: u.AttachedManagedPolicies.map((p) => p.PolicyArn),
    groupNames: u.GroupList,
    permissionsBoundaryArn: u.PermissionsBoundary?.PermissionsBoundaryArn ?? null,
  }));
  const groups: Group[] = details.GroupDetailList.map((g, i) => ({
    arn: g.Arn,
    name: g.GroupName,
    inlinePolicies: inline(g.GroupPolicyList, "GroupDetailList", i, "GroupPolicyList"),
    attachedPolicyArns: g.AttachedManagedPolicies.map((p) => p.PolicyArn),
  }));

  const listed = new Map<string, ManagedPolicy>();
  details.Policies.forEach((p, i) => {
    const versionIndex = p.PolicyVersionList.findIndex((v) => v.IsDefaultVersion);
    if (versionIndex < 0) throw new SnapshotError(file, formatJsonPath("$", ["Policies", i, "PolicyVersionList"]), "no version has IsDefaultVersion: true");
    const version = p.PolicyVersionList[versionIndex];
    if (version.Document === undefined)
      throw new SnapshotError(file, formatJsonPath("$", ["Policies", i, "PolicyVersionList", versionIndex, "Document"]), "expected the default version's policy document, but it is missing");
    listed.set(p.Arn, {
      arn: p.Arn,
      name: p.PolicyName,
      awsManaged: isAwsManagedPolicyArn(p.Arn),
      defaultVersionId: version.VersionId ?? p.DefaultVersionId ?? null,
      document: parsePolicyDocument(version.Document, at("Policies", i, "PolicyVersionList", versionIndex, "Document")),
      otherVersions: p.PolicyVersionList.flatMap((v, j) =>
        j === versionIndex || v.Document === undefined
          ? []
          : [{ versionId: v.VersionId ?? null, document: parsePolicyDocument(v.Document, at("Policies", i, "PolicyVersionList", j, "Document")) }],
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
      gaps.push({ accountId, region: null, api: "managed-policy", file, message: `customer-managed policy ${arn} is attached but missing from Policies` });
      continue;
    }
    const resolved = await resolveAwsManagedPolicy(arn);
    if (isResolved(resolved)) managedPolicies.push(resolved);
    else gaps.push({ accountId, region: null, api: "managed-policy", file, message: resolved.reason });
  }

  return { roles, users, groups, managedPolicies };
}

async function readLastAccessed(reader: SnapshotSource, dir: string): Promise<Record<string, ServiceLastAccessed[]>> {
  const roleNames = (await reader.listJsonNames(dir)).sort();
  const entries = await Promise.all(
    roleNames.map(async (roleName) => {
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

async function readRegion(reader: SnapshotSource, accountId: string, region: string, rolesByArn: Map<string, Role>, gaps: CoverageGap[]) {
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

  const functions = await Promise.all(
    listed.Functions.map(async (fn, i): Promise<LambdaFunction> => {
      if (!rolesByArn.has(fn.Role))
        throw new SnapshotError(functionsFile, formatJsonPath("$", ["Functions", i, "Role"]), `execution role ${fn.Role} is not in accounts/${accountId}/iam/get-account-authorization-details.json`);
      const [resourcePolicy, urls] = await Promise.all([
        policyNames.has(fn.FunctionName) ? readFunctionPolicy(reader, `${dir}/get-policy/${fn.FunctionName}.json`) : null,
        urlNames.has(fn.FunctionName) ? readFunctionUrls(reader, `${dir}/list-function-url-configs/${fn.FunctionName}.json`) : [],
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

  const eventSourceMappings: EventSourceMapping[] = mappings.EventSourceMappings.map((m) => ({
    uuid: m.UUID,
    accountId,
    region,
    functionArn: m.FunctionArn,
    eventSourceArn: m.EventSourceArn ?? null,
    state: m.State ?? null,
    batchSize: m.BatchSize ?? null,
    selfManagedEventSource: m.SelfManagedEventSource ?? null,
  }));

  return { functions, eventSourceMappings };
}

async function readFunctionPolicy(reader: SnapshotSource, file: string) {
  const { Policy } = await reader.required(file, getFunctionPolicySchema);
  return parsePolicyDocument(Policy, { file, path: "$.Policy" });
}

async function readFunctionUrls(reader: SnapshotSource, file: string): Promise<FunctionUrl[]> {
  const { FunctionUrlConfigs } = await reader.required(file, listFunctionUrlConfigsSchema);
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
