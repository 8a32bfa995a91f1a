/**
 * The normalized snapshot: plain records that both inputs (an offline directory of
 * AWS CLI output, or a live crawl) produce, so everything downstream has one input.
 * No class instances, no Dates (ISO strings), JSON-serializable throughout.
 */

/** An IAM policy document, normalized: `Statement` is always an array. */
export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
}

/** Condition block as IAM writes it: operator → key → value(s). */
export type ConditionBlock = Record<string, Record<string, string | string[] | boolean | number | (string | boolean | number)[]>>;

/** Principal element as IAM writes it. */
export type PrincipalElement = "*" | Record<string, string | string[]>;

/** One statement, exactly as written (single strings are kept as strings). */
export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: PrincipalElement;
  NotPrincipal?: PrincipalElement;
  Condition?: ConditionBlock;
}

/** Where a thing was read from and what could not be read. */
export interface CoverageGap {
  accountId: string | null;
  region: string | null;
  /** The AWS API (e.g. `lambda:GetPolicy`) or the resolution step (e.g. `managed-policy`). */
  api: string;
  /** Snapshot file, when read from a directory. */
  file: string | null;
  message: string;
  /**
   * ARNs the failed read was about (functions, roles, managed policies), when it was about some
   * and not its whole account/region: the functions it leaves incomplete are those it names, those
   * executing as a role it names, and those whose role has a policy it names.
   */
  resources?: string[];
}

export interface Snapshot {
  /** Where the snapshot came from: a directory path or `aws`. */
  source: { kind: "directory" | "aws"; location: string };
  organization: Organization | null;
  accounts: Account[];
  gaps: CoverageGap[];
}

export interface Organization {
  id: string;
  arn: string | null;
  managementAccountId: string;
  /** Root ids (normally one). */
  rootIds: string[];
  members: OrgAccount[];
  /** child id (account or OU) → parent id (OU or root). */
  parents: Record<string, string>;
  /** SCPs by policy id. */
  scps: ServiceControlPolicy[];
  /** target id (root, OU or account) → ids of SCPs attached directly to it. */
  scpTargets: Record<string, string[]>;
}

export interface OrgAccount {
  id: string;
  name: string | null;
  email: string | null;
  status: string | null;
}

export interface ServiceControlPolicy {
  id: string;
  arn: string;
  name: string;
  awsManaged: boolean;
  document: PolicyDocument;
}

export interface Account {
  accountId: string;
  name: string | null;
  /** Regions that were read for this account. */
  regions: string[];
  roles: Role[];
  users: User[];
  groups: Group[];
  /** Every managed policy referenced, customer-managed and AWS-managed (resolved), default version. */
  managedPolicies: ManagedPolicy[];
  functions: LambdaFunction[];
  eventSourceMappings: EventSourceMapping[];
  /** Role name → service-last-accessed details (ACTION_LEVEL job), where collected. */
  lastAccessed: Record<string, ServiceLastAccessed[]>;
}

export interface InlinePolicy {
  name: string;
  document: PolicyDocument;
}

export interface Role {
  arn: string;
  name: string;
  path: string;
  roleId: string;
  createDate: string | null;
  assumeRolePolicy: PolicyDocument;
  inlinePolicies: InlinePolicy[];
  attachedPolicyArns: string[];
  permissionsBoundaryArn: string | null;
  /** RoleLastUsed.LastUsedDate, when known. */
  lastUsed: string | null;
  /** The role's tags (its `aws:PrincipalTag/<k>` values); absent when not collected. */
  tags?: Record<string, string>;
  /** ARNs of the instance profiles holding the role (EC2 can run with it); absent when not collected. */
  instanceProfileArns?: string[];
}

export interface User {
  arn: string;
  name: string;
  inlinePolicies: InlinePolicy[];
  attachedPolicyArns: string[];
  groupNames: string[];
  permissionsBoundaryArn: string | null;
}

export interface Group {
  arn: string;
  name: string;
  inlinePolicies: InlinePolicy[];
  attachedPolicyArns: string[];
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  /** `arn:aws:iam::aws:policy/...` */
  awsManaged: boolean;
  defaultVersionId: string | null;
  /** The default version's document. */
  document: PolicyDocument;
  /** The stored non-default versions (what iam:SetDefaultPolicyVersion can switch to). */
  otherVersions: PolicyVersion[];
}

export interface PolicyVersion {
  versionId: string | null;
  document: PolicyDocument;
}

/**
 * An environment variable, reduced to its name: values are never kept, whatever the variable is
 * called (lib/snapshot/environment-references.ts says which resources may stand in for one).
 */
export interface EnvironmentVariable {
  name: string;
  looksSecret: boolean;
  /** Why it looks like a secret (name pattern or value shape), never the value. */
  secretReason: string | null;
  /**
   * The resources the value is an identifier of (an ARN, a queue URL or S3 URI as the queue or
   * bucket ARN) or names among the snapshot's own resources in the function's account; never the value.
   */
  referencedArns: string[];
}

export interface FunctionUrl {
  url: string;
  authType: "NONE" | "AWS_IAM";
  qualifier: string | null;
  cors: unknown | null;
}

export interface LambdaFunction {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  runtime: string | null;
  roleArn: string;
  handler: string | null;
  packageType: "Zip" | "Image";
  memorySize: number | null;
  timeout: number | null;
  lastModified: string | null;
  architectures: string[];
  environment: EnvironmentVariable[];
  layers: string[];
  vpc: { subnetIds: string[]; securityGroupIds: string[]; vpcId: string | null } | null;
  deadLetterTargetArn: string | null;
  kmsKeyArn: string | null;
  tracingMode: "Active" | "PassThrough" | null;
  /** Log group the function writes to (LoggingConfig.LogGroup or `/aws/lambda/<name>`). */
  logGroup: string;
  /** Resource-based policy (lambda get-policy), null when none. */
  resourcePolicy: PolicyDocument | null;
  urls: FunctionUrl[];
}

export interface EventSourceMapping {
  uuid: string;
  accountId: string;
  region: string;
  functionArn: string;
  eventSourceArn: string | null;
  state: string | null;
  batchSize: number | null;
  /** Kafka / MQ sources may carry these instead of an ARN. */
  selfManagedEventSource: unknown | null;
}

/** One service from GetServiceLastAccessedDetails. */
export interface ServiceLastAccessed {
  serviceNamespace: string;
  serviceName: string | null;
  lastAuthenticated: string | null;
  /** ACTION_LEVEL: only the actions AWS tracks for that service. */
  trackedActions: { actionName: string; lastAccessedTime: string | null }[] | null;
}
