/**
 * The rows a scan writes, built from the snapshot and its analysis: pure (no database), so the
 * analysis worker can serialize its results off the thread that writes them.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import { findingFingerprint } from "@/lib/analysis/fingerprint";
import type { BlastRadius, Edge, FunctionAnalysis, Severity } from "@/lib/analysis/types";
import type { Account, Snapshot } from "@/lib/snapshot/types";

/** One row as JSON text (snake_case column names) and the columns it sets. */
export interface SerializedRow {
  json: string;
  columns: string[];
}

/** A function's analysed rows, ready to insert, and what a scan summary needs from them. */
export interface StoredFunctionResult {
  functionArn: string;
  riskScore: number;
  severity: Severity;
  findingSeverities: Severity[];
  functionRow: SerializedRow;
  findingRows: SerializedRow[];
  /** The function's permission set row, on the first function holding that set. */
  permissionSetRow: SerializedRow | null;
  /** Its role's whole reach, on the first analysed function of each role. */
  roleReachRow: SerializedRow | null;
  /** Its role's recommended policy, on the first function of that role. */
  roleRecommendationRow: SerializedRow | null;
}

/** A function's stored blast radius: the permission-set part lives in `permission_sets`. */
export type StoredBlastRadius = Omit<BlastRadius, "services" | "dataStores">;
type PermissionSetPart = Pick<BlastRadius, "services" | "dataStores">;

/** The whole blast radius again, from a function's stored part and its permission set (older scans kept it whole). */
export function joinBlastRadius(stored: unknown, permissionSet: { services: unknown; dataStores: unknown } | null | undefined): BlastRadius | null {
  if (!stored) return null;
  const radius = stored as StoredBlastRadius & Partial<PermissionSetPart>;
  if (radius.services) return radius as BlastRadius;
  return {
    ...radius,
    services: (permissionSet?.services as BlastRadius["services"] | undefined) ?? [],
    dataStores: (permissionSet?.dataStores as BlastRadius["dataStores"] | undefined) ?? { read: [], write: [], delete: [] },
  };
}

export function permissionSetRow(scanId: number, result: FunctionAnalysis): Prisma.PermissionSetCreateManyInput {
  return { scanId, permissionsKey: result.permissionsKey, services: json(result.blastRadius.services), dataStores: json(result.blastRadius.dataStores) };
}

const snakeNames = new Map<string, string>();
const snake = (key: string): string => {
  let name = snakeNames.get(key);
  if (name === undefined) snakeNames.set(key, (name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)));
  return name;
};

/** A row keyed by column name (Prisma's @map names are the snake_case field names), as JSON. */
export function serializeRow(row: object): SerializedRow {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (value !== undefined) out[snake(key)] = value;
  return { json: JSON.stringify(out), columns: Object.keys(out) };
}

/**
 * The role's recommended policy, stored once per role: the analysis computes it for the role
 * (every function of the role carries the same one), so the first function of the role brings it.
 */
export function roleRecommendationRow(scanId: number, result: FunctionAnalysis, functionCount: number): Prisma.RoleRecommendationCreateManyInput {
  return { scanId, roleArn: result.roleArn, functionCount, policy: json(result.recommendedPolicy) };
}

/**
 * A function's base row (from the snapshot) completed with its analysis, serialized, with its
 * permission set's row when `firstOfPermissionSet` and its role's recommendation when
 * `firstOfRole` (the number of functions of the role).
 */
export function storedFunctionResult(
  scanId: number,
  base: Prisma.LambdaFunctionCreateManyInput,
  result: FunctionAnalysis,
  firstOfPermissionSet: boolean,
  firstOfRole: { functionCount: number } | null,
): StoredFunctionResult {
  return {
    functionArn: result.functionArn,
    riskScore: result.risk.score,
    severity: result.risk.severity,
    findingSeverities: result.findings.map((f) => f.severity),
    functionRow: serializeRow(withAnalysis(base, result)),
    findingRows: findingRows(scanId, result).map(serializeRow),
    permissionSetRow: firstOfPermissionSet ? serializeRow(permissionSetRow(scanId, result)) : null,
    roleReachRow: result.roleReach ? serializeRow(roleReachRow(scanId, result.roleArn, result.roleReach)) : null,
    roleRecommendationRow: firstOfRole ? serializeRow(roleRecommendationRow(scanId, result, firstOfRole.functionCount)) : null,
  };
}

export function roleReachRow(scanId: number, roleArn: string, functions: NonNullable<FunctionAnalysis["roleReach"]>): Prisma.RoleReachCreateManyInput {
  return { scanId, roleArn, functions: json(functions) };
}

/** A function row with its analysis columns filled in. */
export function withAnalysis(row: Prisma.LambdaFunctionCreateManyInput, result: FunctionAnalysis): Prisma.LambdaFunctionCreateManyInput {
  return {
    ...row,
    riskScore: result.risk.score,
    severity: result.risk.severity,
    findingCount: result.findings.length,
    isPublic: result.isPublic,
    incomplete: json(result.incomplete),
    permissionsKey: result.permissionsKey,
    risk: json(result.risk),
    blastRadius: json(storedBlastRadius(result.blastRadius)),
    // Stored once per role (role_recommendations); this column holds only older scans' per-function ones.
  };
}

function storedBlastRadius({ services: _services, dataStores: _dataStores, ...rest }: BlastRadius): StoredBlastRadius {
  return rest;
}

export function findingRows(scanId: number, result: FunctionAnalysis): Prisma.FindingCreateManyInput[] {
  return result.findings.map((finding) => ({
    scanId,
    functionArn: result.functionArn,
    ruleId: finding.ruleId,
    category: finding.category,
    severity: finding.severity,
    title: finding.title,
    reason: finding.reason,
    details: json({ statements: finding.statements, actions: finding.actions, resources: finding.resources, escalation: finding.escalation ?? null }),
    fingerprint: findingFingerprint(finding),
  }));
}

/** Edges are the most numerous rows: produced lazily, one batch at a time. */
export function edgeRows(scanId: number, edgeList: Edge[]): Iterable<Prisma.EdgeCreateManyInput> & { length: number } {
  return {
    length: edgeList.length,
    *[Symbol.iterator]() {
      for (const e of edgeList) {
        yield { scanId, fromNode: e.from, toNode: e.to, kind: e.kind, via: e.via ?? null, reason: e.reason, shortReason: e.shortReason, conditional: e.conditional };
      }
    },
  };
}

function json(value: unknown): Prisma.InputJsonValue {
  return value as Prisma.InputJsonValue;
}

export function snapshotRows(scanId: number, snapshot: Snapshot, analysis: { functions: Map<string, FunctionAnalysis>; edges: Edge[] } | null) {
  const accounts: Prisma.AccountCreateManyInput[] = [];
  const roles: Prisma.RoleCreateManyInput[] = [];
  const policies: Prisma.ManagedPolicyCreateManyInput[] = [];
  const functions: Prisma.LambdaFunctionCreateManyInput[] = [];
  const mappings: Prisma.EventSourceMappingCreateManyInput[] = [];
  const findings: Prisma.FindingCreateManyInput[] = [];
  const permissionSets = new Map<string, Prisma.PermissionSetCreateManyInput>();
  const roleReach = new Map<string, Prisma.RoleReachCreateManyInput>();
  const roleRecommendations = new Map<string, Prisma.RoleRecommendationCreateManyInput>();

  for (const account of snapshot.accounts) {
    const functionsPerRole = countFunctionsPerRole(account);
    accounts.push({
      scanId,
      accountId: account.accountId,
      name: account.name,
      regions: json(account.regions),
      users: json(account.users),
      groups: json(account.groups),
      lastAccessed: json(account.lastAccessed),
    });
    for (const role of account.roles) {
      roles.push({
        scanId,
        arn: role.arn,
        name: role.name,
        accountId: account.accountId,
        path: role.path,
        roleId: role.roleId,
        createDate: role.createDate,
        assumeRolePolicy: json(role.assumeRolePolicy),
        inlinePolicies: json(role.inlinePolicies),
        attachedPolicyArns: json(role.attachedPolicyArns),
        permissionsBoundaryArn: role.permissionsBoundaryArn,
        lastUsed: role.lastUsed,
      });
    }
    for (const policy of account.managedPolicies) {
      policies.push({
        scanId,
        accountId: account.accountId,
        arn: policy.arn,
        name: policy.name,
        awsManaged: policy.awsManaged,
        defaultVersionId: policy.defaultVersionId,
        document: json(policy.document),
        otherVersions: json(policy.otherVersions),
      });
    }
    for (const row of functionRows(scanId, account)) {
      const result = analysis?.functions.get(row.arn);
      functions.push(result ? withAnalysis(row, result) : row);
      if (result) findings.push(...findingRows(scanId, result));
      if (result && !permissionSets.has(result.permissionsKey)) permissionSets.set(result.permissionsKey, permissionSetRow(scanId, result));
      if (result?.roleReach && !roleReach.has(result.roleArn)) roleReach.set(result.roleArn, roleReachRow(scanId, result.roleArn, result.roleReach));
      if (result && !roleRecommendations.has(result.roleArn)) roleRecommendations.set(result.roleArn, roleRecommendationRow(scanId, result, functionsPerRole.get(result.roleArn) ?? 1));
    }
    for (const mapping of account.eventSourceMappings) {
      mappings.push({
        scanId,
        uuid: mapping.uuid,
        accountId: mapping.accountId,
        region: mapping.region,
        functionArn: mapping.functionArn,
        eventSourceArn: mapping.eventSourceArn,
        state: mapping.state,
        batchSize: mapping.batchSize,
        selfManagedEventSource: mapping.selfManagedEventSource ? json(mapping.selfManagedEventSource) : undefined,
      });
    }
  }
  const edges = edgeRows(scanId, analysis?.edges ?? []);
  return { accounts, roles, policies, functions, mappings, findings, permissionSets: [...permissionSets.values()], roleReach: [...roleReach.values()], roleRecommendations: [...roleRecommendations.values()], edges };
}

/** Role ARN → how many of the account's functions execute as it. */
export function countFunctionsPerRole(account: Account): Map<string, number> {
  const counts = new Map<string, number>();
  for (const fn of account.functions) counts.set(fn.roleArn, (counts.get(fn.roleArn) ?? 0) + 1);
  return counts;
}

/** A scan's function rows for one account, before analysis. */
export function functionRows(scanId: number, account: Account): Prisma.LambdaFunctionCreateManyInput[] {
  const rolesByArn = new Map(account.roles.map((r) => [r.arn, r]));
  const functionsPerRole = countFunctionsPerRole(account);
  return account.functions.map((fn): Prisma.LambdaFunctionCreateManyInput => {
    const role = rolesByArn.get(fn.roleArn);
    return {
      scanId,
      arn: fn.arn,
      name: fn.name,
      accountId: fn.accountId,
      region: fn.region,
      runtime: fn.runtime,
      roleArn: fn.roleArn,
      handler: fn.handler,
      packageType: fn.packageType,
      memorySize: fn.memorySize,
      timeout: fn.timeout,
      lastModified: fn.lastModified,
      architectures: json(fn.architectures),
      environment: json(fn.environment),
      layers: json(fn.layers),
      vpc: fn.vpc ? json(fn.vpc) : undefined,
      deadLetterTargetArn: fn.deadLetterTargetArn,
      kmsKeyArn: fn.kmsKeyArn,
      tracingMode: fn.tracingMode,
      logGroup: fn.logGroup,
      resourcePolicy: fn.resourcePolicy ? json(fn.resourcePolicy) : undefined,
      urls: json(fn.urls),
      policyCount: role ? role.inlinePolicies.length + role.attachedPolicyArns.length : 0,
      // Decided by the analysis (withAnalysis): a public-invoke finding.
      isPublic: false,
      hasSecrets: fn.environment.some((v) => v.looksSecret),
      hasSharedRole: (functionsPerRole.get(fn.roleArn) ?? 0) > 1,
    };
  });
}
