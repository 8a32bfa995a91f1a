/**
 * Small builders of plain analysis data for tests: grants, effective permissions, and a
 * snapshot with roles, functions and event source mappings. Test-only; nothing here reads AWS.
 */
import { testFunction } from "@/lib/snapshot/test-functions";
import { indexSnapshot, type SnapshotIndex } from "@/lib/analysis/snapshot-index";
import type { ConditionBlock, EventSourceMapping, LambdaFunction, PolicyDocument, Role, Snapshot } from "@/lib/snapshot/types";
import type { EffectivePermissions, EscalationPath, Finding, Grant, GrantLimit, StatementRef } from "@/lib/analysis/types";

export const ACCOUNT = "111111111111";
export const REGION = "us-east-1";

export function statementRef(policyName = "app", statementIndex = 0, sid: string | null = null): StatementRef {
  return { kind: "inline", policyName, policyArn: null, statementIndex, sid };
}

/** A grant of lower-cased concrete actions on resources, unconditional unless `conditions` is given. */
export function grant(
  actions: string[],
  resources: string[] = ["*"],
  opts: { conditions?: ConditionBlock; source?: StatementRef; notResources?: string[]; limits?: GrantLimit[] } = {},
): Grant {
  return {
    actions: actions.map((a) => a.toLowerCase()),
    resources: opts.notResources ? [] : resources,
    notResources: opts.notResources ?? null,
    conditions: opts.conditions ?? null,
    source: opts.source ?? statementRef(),
    writtenActions: actions.map((a) => a.toLowerCase()),
    notAction: false,
    limits: opts.limits ?? [],
  };
}

/** Effective permissions from grants; the key defaults to a digest of the grants. */
export function perms(principalArn: string, grants: Grant[], key?: string): EffectivePermissions {
  return {
    principalArn,
    key: key ?? `${principalArn}#${JSON.stringify(grants.map((g) => [g.actions, g.resources, g.notResources, g.conditions]))}`,
    grants,
    removed: [],
    unresolvedPolicies: [],
  };
}

export function roleArn(name: string, account = ACCOUNT): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

export function functionArn(name: string, account = ACCOUNT, region = REGION): string {
  return `arn:aws:lambda:${region}:${account}:function:${name}`;
}

export const LAMBDA_TRUST: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

/** A role; `policy` becomes its inline policy named `app`. */
export function role(name: string, opts: { account?: string; trust?: PolicyDocument; policy?: PolicyDocument } = {}): Role {
  const account = opts.account ?? ACCOUNT;
  return {
    arn: roleArn(name, account),
    name,
    path: "/",
    roleId: `AROA${name.toUpperCase()}`,
    createDate: null,
    assumeRolePolicy: opts.trust ?? LAMBDA_TRUST,
    inlinePolicies: opts.policy ? [{ name: "app", document: opts.policy }] : [],
    attachedPolicyArns: [],
    permissionsBoundaryArn: null,
    lastUsed: null,
  };
}

export function lambdaFunction(
  name: string,
  role: string,
  opts: { account?: string; resourcePolicy?: PolicyDocument | null; urls?: LambdaFunction["urls"] } = {},
): LambdaFunction {
  const account = opts.account ?? ACCOUNT;
  return testFunction({
    name,
    accountId: account,
    region: REGION,
    roleArn: role.startsWith("arn:") ? role : roleArn(role, account),
    resourcePolicy: opts.resourcePolicy ?? null,
    urls: opts.urls ?? [],
  });
}

export function mapping(fnArn: string, eventSourceArn: string, account = ACCOUNT): EventSourceMapping {
  return {
    uuid: `${eventSourceArn}->${fnArn}`,
    accountId: account,
    region: REGION,
    functionArn: fnArn,
    eventSourceArn,
    state: "Enabled",
    batchSize: 10,
    selfManagedEventSource: null,
  };
}

/** A one-account snapshot (more accounts via `extraAccounts`), indexed. */
export function snapshotIndex(input: {
  roles?: Role[];
  functions?: LambdaFunction[];
  mappings?: EventSourceMapping[];
}): SnapshotIndex {
  const byAccount = new Map<string, { roles: Role[]; functions: LambdaFunction[]; mappings: EventSourceMapping[] }>();
  const bucket = (id: string) => {
    let b = byAccount.get(id);
    if (!b) byAccount.set(id, (b = { roles: [], functions: [], mappings: [] }));
    return b;
  };
  bucket(ACCOUNT);
  for (const r of input.roles ?? []) bucket(r.arn.split(":")[4]).roles.push(r);
  for (const f of input.functions ?? []) bucket(f.accountId).functions.push(f);
  for (const m of input.mappings ?? []) bucket(m.accountId).mappings.push(m);
  const snapshot: Snapshot = {
    source: { kind: "directory", location: "test" },
    organization: null,
    accounts: [...byAccount].map(([accountId, b]) => ({
      accountId,
      name: null,
      regions: [REGION],
      roles: b.roles,
      users: [],
      groups: [],
      managedPolicies: [],
      functions: b.functions,
      eventSourceMappings: b.mappings,
      lastAccessed: {},
    })),
    gaps: [],
  };
  return indexSnapshot(snapshot);
}

export function escalationPath(method = "passrole-lambda-create-invoke", target: string | null = null): EscalationPath {
  return {
    method,
    title: "Pass a role to a new Lambda function and invoke it",
    steps: [{ action: "iam:passrole", resource: "*", grantedBy: statementRef() }],
    target,
    targetReason: null,
    conditional: false,
  };
}

export function finding(functionArn: string, overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: "test-rule",
    category: "data-exfiltration",
    severity: "high",
    functionArn,
    title: "Test finding",
    reason: "test",
    statements: [statementRef()],
    actions: [],
    resources: [],
    ...overrides,
  };
}
