/**
 * Builders that turn a small, hand-written model of an AWS organization into the exact
 * JSON the AWS CLI v2 prints for each snapshot file (see STYLE.md and the snapshot layout
 * in samples/acme/README.md). Used by scripts/build-sample.ts and scripts/gen-org.ts.
 *
 * Everything is deterministic: ids (RoleId, PolicyId, RevisionId, CodeSha256, UUIDs,
 * function URL ids) are derived from a hash of the thing's ARN, never from a clock or
 * Math.random, so the same model always renders byte-identical files.
 */
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PolicyStatement } from "@/lib/snapshot/types";

/** A policy document as written in IAM (statements as authored). */
export interface Doc {
  Version: "2012-10-17";
  Id?: string;
  Statement: PolicyStatement[];
}

export function doc(...statements: PolicyStatement[]): Doc {
  return { Version: "2012-10-17", Statement: statements };
}

// ───────────────────────────── model ─────────────────────────────

/** The whole snapshot. `organization: null` ⇒ a single-account snapshot (no organizations/ folder). */
export interface SnapshotModel {
  organization: OrganizationModel | null;
  accounts: AccountModel[];
}

export interface OrganizationModel {
  /** `o-` + 10 lowercase letters/digits. */
  id: string;
  managementAccountId: string;
  managementEmail: string;
  /** `r-` + 4 lowercase letters/digits. */
  rootId: string;
  ous: { id: string; name: string; parentId: string }[];
  /** Every account including the management account. */
  members: {
    id: string;
    name: string;
    email: string;
    parentId: string;
    joinedMethod: "CREATED" | "INVITED";
    /** ISO date-time, UTC. */
    joined: string;
    status?: "ACTIVE" | "SUSPENDED";
  }[];
  /** Custom SCPs. FullAWSAccess is added by the renderer to the root, every OU and every account, as AWS does when SCPs are enabled. */
  scps: { id: string; name: string; description: string; document: Doc; targets: string[] }[];
}

export interface RoleModel {
  name: string;
  /** Defaults to `/`. Must start and end with `/`. */
  path?: string;
  description?: string;
  /** ISO date-time, UTC. */
  created: string;
  trust: Doc;
  inline: { name: string; document: Doc }[];
  /** ARNs of attached managed policies (AWS-managed or customer-managed). */
  managed: string[];
  boundaryArn?: string;
  lastUsed?: { date: string; region: string } | null;
  tags?: Record<string, string>;
}

export interface UserModel {
  name: string;
  path?: string;
  created: string;
  inline: { name: string; document: Doc }[];
  managed: string[];
  groups: string[];
  boundaryArn?: string;
}

export interface GroupModel {
  name: string;
  path?: string;
  created: string;
  inline: { name: string; document: Doc }[];
  managed: string[];
}

export interface ManagedPolicyModel {
  name: string;
  path?: string;
  description?: string;
  created: string;
  /** Oldest first. The last one is the default version unless `defaultVersion` says otherwise. */
  versions: { document: Doc; created: string }[];
  /** 1-based index into `versions` (`v<n>`). */
  defaultVersion?: number;
}

/** An AWS-managed policy to embed in the account's `Policies` list (the CLI does this unless filtered). */
export interface AwsManagedPolicyModel {
  arn: string;
  name: string;
  path: string;
  versionId: string;
  created: string;
  updated: string;
  document: Doc;
}

export interface AccountModel {
  accountId: string;
  roles: RoleModel[];
  users: UserModel[];
  groups: GroupModel[];
  customerPolicies: ManagedPolicyModel[];
  awsManagedPoliciesListed: AwsManagedPolicyModel[];
  regions: RegionModel[];
  /** Role name → services (ACTION_LEVEL job output). */
  lastAccessed: { roleName: string; jobCreated: string; services: ServiceUsageModel[] }[];
}

/** An account with nothing in it yet, in the given regions. */
export function emptyAccountModel(accountId: string, regions: string[]): AccountModel {
  return {
    accountId,
    roles: [],
    users: [],
    groups: [],
    customerPolicies: [],
    awsManagedPoliciesListed: [],
    regions: regions.map((region) => ({ region, functions: [], eventSourceMappings: [] })),
    lastAccessed: [],
  };
}

export interface RegionModel {
  region: string;
  functions: FunctionModel[];
  eventSourceMappings: EventSourceMappingModel[];
}

export interface FunctionModel {
  name: string;
  /** null for container-image functions. */
  runtime: string | null;
  handler: string | null;
  /** Role name in the same account (the renderer builds the ARN with the role's path). */
  roleName: string;
  description: string;
  memorySize: number;
  timeout: number;
  codeSize: number;
  /** ISO date-time, UTC. */
  lastModified: string;
  environment?: Record<string, string>;
  tracing?: "Active" | "PassThrough";
  architecture?: "x86_64" | "arm64";
  layers?: { arn: string; codeSize: number }[];
  vpc?: { subnetIds: string[]; securityGroupIds: string[]; vpcId: string };
  deadLetterTargetArn?: string;
  kmsKeyArn?: string;
  ephemeralStorage?: number;
  logFormat?: "Text" | "JSON";
  /** Statements of the function's resource policy; `Resource` is filled with the function ARN. */
  resourcePolicy?: PolicyStatement[];
  url?: { authType: "NONE" | "AWS_IAM"; created: string; cors?: Record<string, unknown>; invokeMode?: "BUFFERED" | "RESPONSE_STREAM" };
}

export interface EventSourceMappingModel {
  kind: "sqs" | "dynamodb" | "kinesis";
  functionName: string;
  sourceArn: string;
  batchSize?: number;
  state?: "Enabled" | "Disabled";
  lastModified: string;
}

export interface ServiceUsageModel {
  namespace: string;
  name: string;
  /** null/undefined ⇒ never used in the tracking period. */
  lastAuthenticated?: string | null;
  region?: string;
  /** Only for services AWS tracks at action level (s3, iam, lambda, ec2 …). */
  actions?: { name: string; time?: string | null }[];
}

// ───────────────────────────── ids & dates ─────────────────────────────

function digest(key: string): Buffer {
  return createHash("sha256").update(key).digest();
}

const UPPER_ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";

function hashChars(key: string, alphabet: string, length: number): string {
  const bytes = Buffer.concat([digest(key), digest(`${key}#2`)]);
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[bytes[i] % alphabet.length];
  return out;
}

/** IAM unique id: prefix (AROA, ANPA, AIDA, AGPA) + 17 characters. */
export function iamUniqueId(prefix: string, key: string): string {
  return prefix + hashChars(key, UPPER_ALNUM, 17);
}

export function uuidFrom(key: string): string {
  const h = digest(key).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${"89ab"[parseInt(h[16], 16) % 4]}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** CLI v2 rendering of an IAM timestamp: `2023-04-12T09:30:00+00:00`. */
export function iamDate(iso: string): string {
  return new Date(iso).toISOString().replace(/\.\d{3}Z$/, "+00:00");
}

/** CLI v2 rendering of a timestamp with sub-second precision: `2023-04-12T09:30:00.123000+00:00`. */
export function cliTimestamp(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, ".$1000+00:00");
}

/** Lambda's own string format for LastModified: `2023-04-12T09:30:00.123+0000`. */
export function lambdaDate(iso: string): string {
  return new Date(iso).toISOString().replace(/Z$/, "+0000");
}

// ───────────────────────────── ARNs ─────────────────────────────

export function roleArn(accountId: string, name: string, path = "/"): string {
  return `arn:aws:iam::${accountId}:role${path}${name}`;
}
export function policyArn(accountId: string, name: string, path = "/"): string {
  return `arn:aws:iam::${accountId}:policy${path}${name}`;
}
export function awsManagedArn(name: string, path = "/"): string {
  return `arn:aws:iam::aws:policy${path}${name}`;
}
export function functionArn(region: string, accountId: string, name: string): string {
  return `arn:aws:lambda:${region}:${accountId}:function:${name}`;
}

// ───────────────────────────── statement helpers ─────────────────────────────

/** Trust policy letting Lambda assume the role. */
export function lambdaTrust(): Doc {
  return doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });
}

/** The AWS-documented logging permissions for a function's own log group. */
export function ownLogGroupStatements(region: string, accountId: string, functionName: string): PolicyStatement[] {
  return [
    { Effect: "Allow", Action: "logs:CreateLogGroup", Resource: `arn:aws:logs:${region}:${accountId}:*` },
    {
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: [`arn:aws:logs:${region}:${accountId}:log-group:/aws/lambda/${functionName}:*`],
    },
  ];
}

/** A statement of a Lambda resource policy, in the shape `aws lambda add-permission` writes. */
export function invokePermission(opts: {
  sid: string;
  principal: "*" | { Service: string } | { AWS: string };
  action?: string;
  sourceArn?: string;
  sourceAccount?: string;
  extraCondition?: Record<string, Record<string, string>>;
}): PolicyStatement {
  const condition: Record<string, Record<string, string>> = { ...(opts.extraCondition ?? {}) };
  if (opts.sourceAccount) condition.StringEquals = { ...(condition.StringEquals ?? {}), "AWS:SourceAccount": opts.sourceAccount };
  if (opts.sourceArn) condition.ArnLike = { "AWS:SourceArn": opts.sourceArn };
  const statement: PolicyStatement = {
    Sid: opts.sid,
    Effect: "Allow",
    Principal: opts.principal,
    Action: opts.action ?? "lambda:InvokeFunction",
  };
  if (Object.keys(condition).length > 0) statement.Condition = condition;
  return statement;
}

// ───────────────────────────── rendering ─────────────────────────────

/** Relative path → the object the CLI prints. */
export type SnapshotFiles = Map<string, unknown>;

const FULL_AWS_ACCESS = {
  id: "p-FullAWSAccess",
  arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
  name: "FullAWSAccess",
  description: "Allows access to every operation",
  document: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
};

function orgSummaries(org: OrganizationModel) {
  const custom = org.scps.map((p) => ({
    Id: p.id,
    Arn: `arn:aws:organizations::${org.managementAccountId}:policy/${org.id}/service_control_policy/${p.id}`,
    Name: p.name,
    Description: p.description,
    Type: "SERVICE_CONTROL_POLICY",
    AwsManaged: false,
  }));
  const full = {
    Id: FULL_AWS_ACCESS.id,
    Arn: FULL_AWS_ACCESS.arn,
    Name: FULL_AWS_ACCESS.name,
    Description: FULL_AWS_ACCESS.description,
    Type: "SERVICE_CONTROL_POLICY",
    AwsManaged: true,
  };
  return { custom, full };
}

export function renderOrganization(org: OrganizationModel, files: SnapshotFiles): void {
  const base = "organizations";
  const mgmtArn = `arn:aws:organizations::${org.managementAccountId}`;
  files.set(`${base}/describe-organization.json`, {
    Organization: {
      Id: org.id,
      Arn: `${mgmtArn}:organization/${org.id}`,
      FeatureSet: "ALL",
      MasterAccountArn: `${mgmtArn}:account/${org.id}/${org.managementAccountId}`,
      MasterAccountId: org.managementAccountId,
      MasterAccountEmail: org.managementEmail,
      AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
    },
  });
  files.set(`${base}/list-accounts.json`, {
    Accounts: org.members.map((m) => ({
      Id: m.id,
      Arn: `${mgmtArn}:account/${org.id}/${m.id}`,
      Email: m.email,
      Name: m.name,
      Status: m.status ?? "ACTIVE",
      State: m.status ?? "ACTIVE",
      JoinedMethod: m.joinedMethod,
      JoinedTimestamp: cliTimestamp(m.joined),
    })),
  });
  files.set(`${base}/list-roots.json`, {
    Roots: [
      {
        Id: org.rootId,
        Arn: `${mgmtArn}:root/${org.id}/${org.rootId}`,
        Name: "Root",
        PolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
      },
    ],
  });
  const parentType = (id: string) => (id.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT");
  for (const ou of org.ous) files.set(`${base}/list-parents/${ou.id}.json`, { Parents: [{ Id: ou.parentId, Type: parentType(ou.parentId) }] });
  for (const m of org.members) files.set(`${base}/list-parents/${m.id}.json`, { Parents: [{ Id: m.parentId, Type: parentType(m.parentId) }] });

  const { custom, full } = orgSummaries(org);
  const targets = [org.rootId, ...org.ous.map((o) => o.id), ...org.members.map((m) => m.id)];
  for (const target of targets) {
    const attached = [full, ...custom.filter((_, i) => org.scps[i].targets.includes(target))];
    files.set(`${base}/list-policies-for-target/${target}.json`, { Policies: attached });
  }
  files.set(`${base}/describe-policy/${full.Id}.json`, {
    Policy: { PolicySummary: full, Content: JSON.stringify(FULL_AWS_ACCESS.document, null, 2) },
  });
  org.scps.forEach((p, i) => {
    files.set(`${base}/describe-policy/${p.id}.json`, {
      Policy: { PolicySummary: custom[i], Content: JSON.stringify(p.document, null, 2) },
    });
  });
}

function tagList(tags: Record<string, string> | undefined) {
  return Object.entries(tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
}

function attachedList(arns: string[]) {
  return arns.map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn }));
}

function boundary(arn: string | undefined) {
  return arn ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: arn } } : {};
}

export function renderAuthorizationDetails(account: AccountModel) {
  const id = account.accountId;
  const attachmentCount = new Map<string, number>();
  const boundaryCount = new Map<string, number>();
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (const e of [...account.roles, ...account.users, ...account.groups]) {
    for (const arn of e.managed) bump(attachmentCount, arn);
    const boundaryArn = (e as { boundaryArn?: string }).boundaryArn;
    if (boundaryArn) bump(boundaryCount, boundaryArn);
  }

  const UserDetailList = account.users.map((u) => {
    const path = u.path ?? "/";
    const arn = `arn:aws:iam::${id}:user${path}${u.name}`;
    return {
      Path: path,
      UserName: u.name,
      UserId: iamUniqueId("AIDA", arn),
      Arn: arn,
      CreateDate: iamDate(u.created),
      ...(u.inline.length ? { UserPolicyList: u.inline.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })) } : {}),
      GroupList: u.groups,
      AttachedManagedPolicies: attachedList(u.managed),
      ...boundary(u.boundaryArn),
      Tags: [],
    };
  });
  const GroupDetailList = account.groups.map((g) => {
    const path = g.path ?? "/";
    const arn = `arn:aws:iam::${id}:group${path}${g.name}`;
    return {
      Path: path,
      GroupName: g.name,
      GroupId: iamUniqueId("AGPA", arn),
      Arn: arn,
      CreateDate: iamDate(g.created),
      GroupPolicyList: g.inline.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })),
      AttachedManagedPolicies: attachedList(g.managed),
    };
  });
  const RoleDetailList = account.roles.map((r) => {
    const path = r.path ?? "/";
    const arn = roleArn(id, r.name, path);
    return {
      Path: path,
      RoleName: r.name,
      RoleId: iamUniqueId("AROA", arn),
      Arn: arn,
      CreateDate: iamDate(r.created),
      AssumeRolePolicyDocument: r.trust,
      ...(r.description ? { Description: r.description } : {}),
      InstanceProfileList: [],
      RolePolicyList: r.inline.map((p) => ({ PolicyName: p.name, PolicyDocument: p.document })),
      AttachedManagedPolicies: attachedList(r.managed),
      ...boundary(r.boundaryArn),
      Tags: tagList(r.tags),
      RoleLastUsed: r.lastUsed ? { LastUsedDate: iamDate(r.lastUsed.date), Region: r.lastUsed.region } : {},
    };
  });
  const customer = account.customerPolicies.map((p) => {
    const path = p.path ?? "/";
    const arn = policyArn(id, p.name, path);
    const def = p.defaultVersion ?? p.versions.length;
    return {
      PolicyName: p.name,
      PolicyId: iamUniqueId("ANPA", arn),
      Arn: arn,
      Path: path,
      DefaultVersionId: `v${def}`,
      AttachmentCount: attachmentCount.get(arn) ?? 0,
      PermissionsBoundaryUsageCount: boundaryCount.get(arn) ?? 0,
      IsAttachable: true,
      ...(p.description ? { Description: p.description } : {}),
      CreateDate: iamDate(p.created),
      UpdateDate: iamDate(p.versions[p.versions.length - 1].created),
      // The CLI lists versions newest first.
      PolicyVersionList: p.versions
        .map((v, i) => ({ Document: v.document, VersionId: `v${i + 1}`, IsDefaultVersion: i + 1 === def, CreateDate: iamDate(v.created) }))
        .reverse(),
    };
  });
  const awsManaged = account.awsManagedPoliciesListed.map((p) => ({
    PolicyName: p.name,
    PolicyId: iamUniqueId("ANPA", p.arn),
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.versionId,
    AttachmentCount: attachmentCount.get(p.arn) ?? 0,
    PermissionsBoundaryUsageCount: boundaryCount.get(p.arn) ?? 0,
    IsAttachable: true,
    CreateDate: iamDate(p.created),
    UpdateDate: iamDate(p.updated),
    PolicyVersionList: [{ Document: p.document, VersionId: p.versionId, IsDefaultVersion: true, CreateDate: iamDate(p.updated) }],
  }));
  return { UserDetailList, GroupDetailList, RoleDetailList, Policies: [...customer, ...awsManaged] };
}

function urlId(arn: string): string {
  return hashChars(`url:${arn}`, LOWER_ALNUM, 32);
}

/** `roles` maps role name → role, for the function's account. */
export function renderFunction(accountId: string, region: string, fn: FunctionModel, roles: Map<string, RoleModel>): Record<string, unknown> {
  const role = roles.get(fn.roleName);
  if (!role) throw new Error(`function ${fn.name} in ${accountId}/${region}: role ${fn.roleName} is not in the model`);
  const arn = functionArn(region, accountId, fn.name);
  const isImage = fn.runtime === null;
  const out: Record<string, unknown> = { FunctionName: fn.name, FunctionArn: arn };
  if (!isImage) out.Runtime = fn.runtime;
  out.Role = roleArn(accountId, role.name, role.path ?? "/");
  if (!isImage) out.Handler = fn.handler;
  out.CodeSize = isImage ? 0 : fn.codeSize;
  out.Description = fn.description;
  out.Timeout = fn.timeout;
  out.MemorySize = fn.memorySize;
  out.LastModified = lambdaDate(fn.lastModified);
  out.CodeSha256 = digest(`code:${arn}:${fn.lastModified}`).toString("base64");
  out.Version = "$LATEST";
  if (fn.vpc) {
    out.VpcConfig = { SubnetIds: fn.vpc.subnetIds, SecurityGroupIds: fn.vpc.securityGroupIds, VpcId: fn.vpc.vpcId, Ipv6AllowedForDualStack: false };
  }
  if (fn.deadLetterTargetArn) out.DeadLetterConfig = { TargetArn: fn.deadLetterTargetArn };
  if (fn.environment && Object.keys(fn.environment).length > 0) out.Environment = { Variables: fn.environment };
  if (fn.kmsKeyArn) out.KMSKeyArn = fn.kmsKeyArn;
  out.TracingConfig = { Mode: fn.tracing ?? "PassThrough" };
  out.RevisionId = uuidFrom(`revision:${arn}:${fn.lastModified}`);
  if (fn.layers?.length) out.Layers = fn.layers.map((l) => ({ Arn: l.arn, CodeSize: l.codeSize }));
  out.PackageType = isImage ? "Image" : "Zip";
  out.Architectures = [fn.architecture ?? "x86_64"];
  out.EphemeralStorage = { Size: fn.ephemeralStorage ?? 512 };
  out.SnapStart = { ApplyOn: "None", OptimizationStatus: "Off" };
  out.LoggingConfig = { LogFormat: fn.logFormat ?? "Text", LogGroup: `/aws/lambda/${fn.name}` };
  return out;
}

export function renderEventSourceMapping(accountId: string, region: string, m: EventSourceMappingModel): Record<string, unknown> {
  const fnArn = functionArn(region, accountId, m.functionName);
  const uuid = uuidFrom(`esm:${fnArn}:${m.sourceArn}`);
  const common = {
    UUID: uuid,
    BatchSize: m.batchSize ?? (m.kind === "sqs" ? 10 : 100),
    MaximumBatchingWindowInSeconds: 0,
  };
  const tail = {
    EventSourceArn: m.sourceArn,
    FunctionArn: fnArn,
    LastModified: cliTimestamp(m.lastModified),
    State: m.state ?? "Enabled",
    StateTransitionReason: m.kind === "sqs" ? "USER_INITIATED" : "User action",
    FunctionResponseTypes: [],
    EventSourceMappingArn: `arn:aws:lambda:${region}:${accountId}:event-source-mapping:${uuid}`,
  };
  if (m.kind === "sqs") return { ...common, ...tail };
  return {
    ...common,
    ParallelizationFactor: 1,
    ...tail,
    StartingPosition: m.kind === "kinesis" ? "TRIM_HORIZON" : "LATEST",
    LastProcessingResult: "OK",
    DestinationConfig: { OnFailure: {} },
    MaximumRecordAgeInSeconds: -1,
    BisectBatchOnFunctionError: false,
    MaximumRetryAttempts: -1,
    TumblingWindowInSeconds: 0,
  };
}

export function renderServiceLastAccessed(account: AccountModel, entry: AccountModel["lastAccessed"][number]) {
  const role = account.roles.find((r) => r.name === entry.roleName);
  if (!role) throw new Error(`last-accessed for unknown role ${entry.roleName} in ${account.accountId}`);
  const arn = roleArn(account.accountId, role.name, role.path ?? "/");
  const completed = new Date(new Date(entry.jobCreated).getTime() + 4000).toISOString();
  return {
    JobStatus: "COMPLETED",
    JobType: "ACTION_LEVEL",
    JobCreationDate: cliTimestamp(entry.jobCreated),
    ServicesLastAccessed: entry.services.map((s) => {
      const used = !!s.lastAuthenticated;
      const out: Record<string, unknown> = { ServiceName: s.name };
      if (used) out.LastAuthenticated = iamDate(s.lastAuthenticated!);
      out.ServiceNamespace = s.namespace;
      if (used) {
        out.LastAuthenticatedEntity = arn;
        out.LastAuthenticatedRegion = s.region ?? "us-east-1";
      }
      out.TotalAuthenticatedEntities = used ? 1 : 0;
      if (s.actions) {
        out.TrackedActionsLastAccessed = s.actions.map((a) =>
          a.time
            ? { ActionName: a.name, LastAccessedEntity: arn, LastAccessedTime: iamDate(a.time), LastAccessedRegion: s.region ?? "us-east-1" }
            : { ActionName: a.name },
        );
      }
      return out;
    }),
    JobCompletionDate: cliTimestamp(completed),
    IsTruncated: false,
  };
}

/** Lambda prints Resource between Action and Condition. */
function withResource(statement: PolicyStatement, arn: string): PolicyStatement {
  const { Condition, ...rest } = statement;
  return Condition ? { ...rest, Resource: arn, Condition } : { ...rest, Resource: arn };
}

/** Render every file of the snapshot. Keys are paths relative to the snapshot root. */
export function renderSnapshot(model: SnapshotModel): SnapshotFiles {
  const files: SnapshotFiles = new Map();
  if (model.organization) renderOrganization(model.organization, files);
  for (const account of model.accounts) {
    const base = `accounts/${account.accountId}`;
    const roles = new Map(account.roles.map((r) => [r.name, r]));
    if (roles.size !== account.roles.length) throw new Error(`duplicate role name in account ${account.accountId}`);
    files.set(`${base}/iam/get-account-authorization-details.json`, renderAuthorizationDetails(account));
    for (const entry of account.lastAccessed) {
      files.set(`${base}/iam/service-last-accessed/${entry.roleName}.json`, renderServiceLastAccessed(account, entry));
    }
    for (const region of account.regions) {
      const rbase = `${base}/regions/${region.region}/lambda`;
      const names = new Set<string>();
      for (const fn of region.functions) {
        if (names.has(fn.name)) throw new Error(`duplicate function ${fn.name} in ${account.accountId}/${region.region}`);
        names.add(fn.name);
      }
      files.set(`${rbase}/list-functions.json`, { Functions: region.functions.map((fn) => renderFunction(account.accountId, region.region, fn, roles)) });
      for (const m of region.eventSourceMappings) {
        if (!names.has(m.functionName)) throw new Error(`event source mapping for unknown function ${m.functionName} in ${account.accountId}/${region.region}`);
      }
      files.set(`${rbase}/list-event-source-mappings.json`, {
        EventSourceMappings: region.eventSourceMappings.map((m) => renderEventSourceMapping(account.accountId, region.region, m)),
      });
      for (const fn of region.functions) {
        const arn = functionArn(region.region, account.accountId, fn.name);
        if (fn.resourcePolicy?.length) {
          const policy = { Version: "2012-10-17", Id: "default", Statement: fn.resourcePolicy.map((s) => withResource(s, arn)) };
          files.set(`${rbase}/get-policy/${fn.name}.json`, { Policy: JSON.stringify(policy), RevisionId: uuidFrom(`revision:${arn}:${fn.lastModified}`) });
        }
        if (fn.url) {
          files.set(`${rbase}/list-function-url-configs/${fn.name}.json`, {
            FunctionUrlConfigs: [
              {
                FunctionUrl: `https://${urlId(arn)}.lambda-url.${region.region}.on.aws/`,
                FunctionArn: arn,
                CreationTime: new Date(fn.url.created).toISOString().replace(/Z$/, "000Z"),
                LastModifiedTime: new Date(fn.url.created).toISOString().replace(/Z$/, "000Z"),
                ...(fn.url.cors ? { Cors: fn.url.cors } : {}),
                AuthType: fn.url.authType,
                InvokeMode: fn.url.invokeMode ?? "BUFFERED",
              },
            ],
          });
        }
      }
    }
  }
  return files;
}

/** Write rendered files under `outDir` (which the caller has emptied), 4-space indented like the CLI, with a trailing newline. */
export function writeSnapshotFiles(files: SnapshotFiles, outDir: string): number {
  const made = new Set<string>();
  for (const path of [...files.keys()].sort()) {
    const full = join(outDir, path);
    const dir = dirname(full);
    if (!made.has(dir)) {
      mkdirSync(dir, { recursive: true });
      made.add(dir);
    }
    writeFileSync(full, JSON.stringify(files.get(path), null, 4) + "\n");
  }
  return files.size;
}

/** Remove a directory tree the script owns before rewriting it. */
export function clearDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
