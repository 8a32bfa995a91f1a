/**
 * Builders for rule and escalation tests: effective permissions are plain data, so tests write
 * them directly instead of running the policy evaluator.
 */
import { indexSnapshot, type SnapshotIndex } from "@/lib/analysis/snapshot-index";
import type { EffectivePermissions, Grant, GrantLimit, RemovedActions, StatementRef } from "@/lib/analysis/types";
import type { Account, LambdaFunction, PolicyDocument, Role, Snapshot } from "@/lib/snapshot/types";
import type { RuleContext } from "@/lib/rules/types";

export const ACCOUNT = "111111111111";
export const REGION = "us-east-1";

export function ref(partial: Partial<StatementRef> = {}): StatementRef {
  return { kind: "inline", policyName: "app", policyArn: null, statementIndex: 0, sid: null, ...partial };
}

export function grant(g: {
  actions: string[];
  resources?: string[];
  notResources?: string[] | null;
  conditions?: Grant["conditions"];
  source?: Partial<StatementRef>;
  writtenActions?: string[];
  notAction?: boolean;
  limits?: GrantLimit[];
}): Grant {
  const actions = g.actions.map((a) => a.toLowerCase());
  return {
    actions,
    resources: g.resources ?? ["*"],
    notResources: g.notResources ?? null,
    conditions: g.conditions ?? null,
    source: ref(g.source),
    writtenActions: g.writtenActions ?? actions,
    notAction: g.notAction ?? false,
    limits: g.limits ?? [],
  };
}

export function perms(principalArn: string, grants: Grant[], removed: RemovedActions[] = []): EffectivePermissions {
  return { principalArn, key: principalArn, grants, removed, unresolvedPolicies: [] };
}

export function roleArn(name: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

export function functionArn(name: string, account = ACCOUNT): string {
  return `arn:aws:lambda:${REGION}:${account}:function:${name}`;
}

export const LAMBDA_TRUST: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

export function trustFor(principal: Record<string, string | string[]>): PolicyDocument {
  return { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] };
}

export function role(name: string, partial: Partial<Role> = {}): Role {
  return {
    arn: roleArn(name),
    name,
    path: "/",
    roleId: `AROA${name.toUpperCase()}`,
    createDate: "2024-01-01T00:00:00Z",
    assumeRolePolicy: LAMBDA_TRUST,
    inlinePolicies: [],
    attachedPolicyArns: [],
    permissionsBoundaryArn: null,
    lastUsed: null,
    ...partial,
  };
}

export function lambdaFunction(name: string, partial: Partial<LambdaFunction> = {}): LambdaFunction {
  return {
    arn: functionArn(name),
    name,
    accountId: ACCOUNT,
    region: REGION,
    runtime: "nodejs22.x",
    roleArn: roleArn(`${name}-role`),
    handler: "index.handler",
    packageType: "Zip",
    memorySize: 128,
    timeout: 3,
    lastModified: null,
    architectures: ["arm64"],
    environment: [],
    layers: [],
    vpc: null,
    deadLetterTargetArn: null,
    kmsKeyArn: null,
    tracingMode: null,
    logGroup: `/aws/lambda/${name}`,
    resourcePolicy: null,
    urls: [],
    ...partial,
  };
}

export function account(partial: Partial<Account> = {}): Account {
  return {
    accountId: ACCOUNT,
    name: "test",
    regions: [REGION],
    roles: [],
    users: [],
    groups: [],
    managedPolicies: [],
    functions: [],
    eventSourceMappings: [],
    lastAccessed: {},
    ...partial,
  };
}

export function snapshotOf(accounts: Account[], organization: Snapshot["organization"] = null): Snapshot {
  return { source: { kind: "directory", location: "test" }, organization, accounts, gaps: [] };
}

/**
 * A rule context for one function. The function and its role are added to the account when
 * missing; `perms` default to no grants.
 */
export function context(
  fn: LambdaFunction,
  opts: {
    perms?: EffectivePermissions;
    role?: Role | null;
    account?: Account;
    index?: SnapshotIndex;
    sharedWith?: string[];
    lastAccessed?: RuleContext["lastAccessed"];
    escalationPaths?: RuleContext["escalationPaths"];
    now?: string;
  } = {},
): RuleContext {
  const theRole = opts.role === undefined ? role(fn.roleArn.split("/").pop()!, { arn: fn.roleArn }) : opts.role;
  const acct = opts.account ?? account();
  if (!acct.functions.some((f) => f.arn === fn.arn)) acct.functions = [...acct.functions, fn];
  if (theRole && !acct.roles.some((r) => r.arn === theRole.arn)) acct.roles = [...acct.roles, theRole];
  const index = opts.index ?? indexSnapshot(snapshotOf([acct]));
  return {
    fn,
    role: theRole,
    account: acct,
    index,
    perms: opts.perms ?? perms(fn.roleArn, []),
    sharedWith: opts.sharedWith ?? [],
    lastAccessed: opts.lastAccessed ?? null,
    escalationPaths: opts.escalationPaths ?? [],
    now: opts.now ?? "2026-01-15T00:00:00Z",
  };
}
