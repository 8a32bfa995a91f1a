/**
 * Test-only builders for policy-evaluation fixtures: one org (root → OU → account), roles with
 * inline / managed policies and boundaries, SCPs per level, and functions executing as the roles.
 */
import { testFunction } from "@/lib/snapshot/test-functions";
import type { LambdaFunction, ManagedPolicy, PolicyDocument, PolicyStatement, Role, ServiceControlPolicy, Snapshot } from "@/lib/snapshot/types";
import { indexSnapshot, type SnapshotIndex } from "@/lib/analysis/snapshot-index";

export const ACCOUNT_ID = "111111111111";
export const MANAGEMENT_ID = "999999999999";
export const ORG_ID = "o-abc123";
export const ROOT_ID = "r-root";
export const OU_ID = "ou-root-apps";
export const FN_REGION = "us-east-1";

export function doc(...statements: PolicyStatement[]): PolicyDocument {
  return { Version: "2012-10-17", Statement: statements };
}

export function managed(name: string, document: PolicyDocument, account: string | "aws" = ACCOUNT_ID, otherVersions: ManagedPolicy["otherVersions"] = []): ManagedPolicy {
  const awsManaged = account === "aws";
  return {
    arn: awsManaged ? `arn:aws:iam::aws:policy/${name}` : `arn:aws:iam::${account}:policy/${name}`,
    name,
    awsManaged,
    defaultVersionId: otherVersions.length ? `v${otherVersions.length + 1}` : "v1",
    document,
    otherVersions,
  };
}

export function scp(name: string, document: PolicyDocument): ServiceControlPolicy {
  const id = `p-${name.toLowerCase().replace(/[^a-z0-9]/g, "")}`;
  return { id, arn: `arn:aws:organizations::${MANAGEMENT_ID}:policy/${ORG_ID}/service_control_policy/${id}`, name, awsManaged: false, document };
}

export const FULL_AWS_ACCESS: ServiceControlPolicy = {
  id: "p-FullAWSAccess",
  arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
  name: "FullAWSAccess",
  awsManaged: true,
  document: doc({ Effect: "Allow", Action: "*", Resource: "*" }),
};

export interface RoleSpec {
  name: string;
  inline?: PolicyDocument[];
  managed?: ManagedPolicy[];
  /** ARNs attached but absent from the snapshot. */
  missing?: string[];
  boundary?: ManagedPolicy;
  account?: string;
  /** Trust policy (default: lambda.amazonaws.com). */
  trust?: PolicyDocument;
  /** The role's tags (collected). */
  tags?: Record<string, string>;
  /** Names of instance profiles holding the role (collected). */
  instanceProfiles?: string[];
}

export interface FixtureSpec {
  roles: RoleSpec[];
  /** SCPs per level; omitted ⇒ no organization. FullAWSAccess is not added implicitly. */
  scps?: { root: ServiceControlPolicy[]; ou: ServiceControlPolicy[]; account: ServiceControlPolicy[] };
  /** Resource policies of functions, by function name. */
  resourcePolicies?: Record<string, PolicyDocument>;
  /** IAM users and groups of the main account (escalation targets). */
  users?: { name: string; inline?: PolicyDocument[]; managed?: ManagedPolicy[]; groups?: string[]; boundary?: ManagedPolicy }[];
  groups?: { name: string; inline?: PolicyDocument[]; managed?: ManagedPolicy[] }[];
}

export function userArnOf(name: string, account = ACCOUNT_ID): string {
  return `arn:aws:iam::${account}:user/${name}`;
}

export function groupArnOf(name: string, account = ACCOUNT_ID): string {
  return `arn:aws:iam::${account}:group/${name}`;
}

export function roleArnOf(name: string, account = ACCOUNT_ID): string {
  return `arn:aws:iam::${account}:role/${name}`;
}

export function functionArnOf(name: string, account = ACCOUNT_ID): string {
  return `arn:aws:lambda:${FN_REGION}:${account}:function:${name}`;
}

/** One function per role, named `fn-<role>`. */
export function fixtureIndex(spec: FixtureSpec): SnapshotIndex {
  return indexSnapshot(fixtureSnapshot(spec));
}

/** The snapshot `fixtureIndex` indexes: one function per role, named `fn-<role>`. */
export function fixtureSnapshot(spec: FixtureSpec): Snapshot {
  const accounts = new Map<string, { roles: Role[]; policies: Map<string, ManagedPolicy>; functions: LambdaFunction[] }>();
  const accountOf = (id: string) => {
    let a = accounts.get(id);
    if (!a) accounts.set(id, (a = { roles: [], policies: new Map(), functions: [] }));
    return a;
  };
  for (const r of spec.roles) {
    const accountId = r.account ?? ACCOUNT_ID;
    const acc = accountOf(accountId);
    const inline = (r.inline ?? []).map((document, i) => ({ name: `${r.name}-inline-${i}`, document }));
    for (const p of r.managed ?? []) acc.policies.set(p.arn, p);
    for (const p of [...(spec.users ?? []).flatMap((u) => (u.boundary ? [u.boundary] : [])), ...[...(spec.users ?? []), ...(spec.groups ?? [])].flatMap((x) => x.managed ?? [])]) if (accountId === ACCOUNT_ID) acc.policies.set(p.arn, p);
    if (r.boundary) acc.policies.set(r.boundary.arn, r.boundary);
    const arn = roleArnOf(r.name, accountId);
    acc.roles.push({
      arn,
      name: r.name,
      path: "/",
      roleId: `AROA${r.name.toUpperCase()}`,
      createDate: null,
      assumeRolePolicy: r.trust ?? doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
      inlinePolicies: inline,
      attachedPolicyArns: [...(r.managed ?? []).map((p) => p.arn), ...(r.missing ?? [])],
      permissionsBoundaryArn: r.boundary?.arn ?? null,
      lastUsed: null,
      ...(r.tags ? { tags: r.tags } : {}),
      ...(r.instanceProfiles ? { instanceProfileArns: r.instanceProfiles.map((n) => `arn:aws:iam::${accountId}:instance-profile/${n}`) } : {}),
    });
    const fnName = `fn-${r.name}`;
    acc.functions.push(
      testFunction({ name: fnName, accountId, region: FN_REGION, roleArn: arn, resourcePolicy: spec.resourcePolicies?.[fnName] ?? null }),
    );
  }
  const snapshot: Snapshot = {
    source: { kind: "directory", location: "fixture" },
    organization: spec.scps
      ? {
          id: ORG_ID,
          arn: null,
          managementAccountId: MANAGEMENT_ID,
          rootIds: [ROOT_ID],
          members: [...accounts.keys(), MANAGEMENT_ID].map((id) => ({ id, name: id, email: null, status: "ACTIVE" })),
          parents: Object.fromEntries([[OU_ID, ROOT_ID], [MANAGEMENT_ID, ROOT_ID], ...[...accounts.keys()].map((id) => [id, OU_ID])]),
          scps: [...spec.scps.root, ...spec.scps.ou, ...spec.scps.account],
          scpTargets: {
            [ROOT_ID]: spec.scps.root.map((p) => p.id),
            [OU_ID]: spec.scps.ou.map((p) => p.id),
            ...Object.fromEntries([...accounts.keys()].map((id) => [id, spec.scps!.account.map((p) => p.id)])),
          },
        }
      : null,
    accounts: [...accounts.entries()].map(([accountId, a]) => ({
      accountId,
      name: accountId,
      regions: [FN_REGION],
      roles: a.roles,
      users: accountId === ACCOUNT_ID ? (spec.users ?? []).map((u) => ({
        arn: userArnOf(u.name),
        name: u.name,
        inlinePolicies: (u.inline ?? []).map((document, i) => ({ name: `${u.name}-inline-${i}`, document })),
        attachedPolicyArns: (u.managed ?? []).map((p) => p.arn),
        groupNames: u.groups ?? [],
        permissionsBoundaryArn: u.boundary?.arn ?? null,
      })) : [],
      groups: accountId === ACCOUNT_ID ? (spec.groups ?? []).map((g) => ({
        arn: groupArnOf(g.name),
        name: g.name,
        inlinePolicies: (g.inline ?? []).map((document, i) => ({ name: `${g.name}-inline-${i}`, document })),
        attachedPolicyArns: (g.managed ?? []).map((p) => p.arn),
      })) : [],
      managedPolicies: [...a.policies.values()],
      functions: a.functions,
      eventSourceMappings: [],
      lastAccessed: {},
    })),
    gaps: [],
  };
  return snapshot;
}

/** Policies most evaluation tests start from. */
export const ADMIN = managed("AdministratorAccess", doc({ Effect: "Allow", Action: "*", Resource: "*" }), "aws");
export const S3_FULL = managed("AmazonS3FullAccess", doc({ Effect: "Allow", Action: ["s3:*", "s3-object-lambda:*"], Resource: "*" }), "aws");
/** FullAWSAccess at every SCP level, as AWS attaches it by default. */
export const FULL_CHAIN = { root: [FULL_AWS_ACCESS], ou: [FULL_AWS_ACCESS], account: [FULL_AWS_ACCESS] };
