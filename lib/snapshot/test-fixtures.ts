import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

/**
 * Test helpers that write snapshot directories in the AWS CLI v2 layout readSnapshotDir reads.
 * File contents are given verbatim as CLI output objects; a string is written as-is (for
 * truncated or otherwise broken JSON); `undefined` leaves the file out.
 */

/** File contents: an object (JSON-encoded) or raw text. */
export type FixtureFile = object | string | undefined;

export interface RegionFixture {
  /** aws lambda list-functions */
  listFunctions?: FixtureFile;
  /** aws lambda list-event-source-mappings */
  listEventSourceMappings?: FixtureFile;
  /** function name → aws lambda get-policy output */
  getPolicy?: Record<string, FixtureFile>;
  /** function name → aws lambda list-function-url-configs output */
  listFunctionUrlConfigs?: Record<string, FixtureFile>;
}

export interface AccountFixture {
  /** aws iam get-account-authorization-details */
  authorizationDetails?: FixtureFile;
  /** role name → aws iam get-service-last-accessed-details output */
  serviceLastAccessed?: Record<string, FixtureFile>;
  regions?: Record<string, RegionFixture>;
}

export interface OrganizationFixture {
  describeOrganization?: FixtureFile;
  listAccounts?: FixtureFile;
  listRoots?: FixtureFile;
  /** child id → aws organizations list-parents output */
  listParents?: Record<string, FixtureFile>;
  /** target id → aws organizations list-policies-for-target output */
  listPoliciesForTarget?: Record<string, FixtureFile>;
  /** policy id → aws organizations describe-policy output */
  describePolicy?: Record<string, FixtureFile>;
}

export interface SnapshotFixtureSpec {
  organization?: OrganizationFixture;
  accounts?: Record<string, AccountFixture>;
  /** Any other file, by path relative to the snapshot root. */
  files?: Record<string, FixtureFile>;
}

/** Write `spec` under `dir` (created if needed). Returns `dir`. */
export async function writeSnapshotFixture(dir: string, spec: SnapshotFixtureSpec): Promise<string> {
  const files: Record<string, FixtureFile> = {};
  const org = spec.organization;
  if (org) {
    files["organizations/describe-organization.json"] = org.describeOrganization;
    files["organizations/list-accounts.json"] = org.listAccounts;
    files["organizations/list-roots.json"] = org.listRoots;
    for (const [id, body] of Object.entries(org.listParents ?? {})) files[`organizations/list-parents/${id}.json`] = body;
    for (const [id, body] of Object.entries(org.listPoliciesForTarget ?? {})) files[`organizations/list-policies-for-target/${id}.json`] = body;
    for (const [id, body] of Object.entries(org.describePolicy ?? {})) files[`organizations/describe-policy/${id}.json`] = body;
  }
  for (const [accountId, account] of Object.entries(spec.accounts ?? {})) {
    const base = `accounts/${accountId}`;
    await mkdir(path.join(dir, base), { recursive: true });
    files[`${base}/iam/get-account-authorization-details.json`] = account.authorizationDetails;
    for (const [role, body] of Object.entries(account.serviceLastAccessed ?? {})) files[`${base}/iam/service-last-accessed/${role}.json`] = body;
    for (const [region, r] of Object.entries(account.regions ?? {})) {
      const lambda = `${base}/regions/${region}/lambda`;
      await mkdir(path.join(dir, lambda), { recursive: true });
      files[`${lambda}/list-functions.json`] = r.listFunctions;
      files[`${lambda}/list-event-source-mappings.json`] = r.listEventSourceMappings;
      for (const [fn, body] of Object.entries(r.getPolicy ?? {})) files[`${lambda}/get-policy/${fn}.json`] = body;
      for (const [fn, body] of Object.entries(r.listFunctionUrlConfigs ?? {})) files[`${lambda}/list-function-url-configs/${fn}.json`] = body;
    }
  }
  Object.assign(files, spec.files ?? {});

  await mkdir(dir, { recursive: true });
  await Promise.all(
    Object.entries(files).map(async ([rel, body]) => {
      if (body === undefined) return;
      const file = path.join(dir, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, typeof body === "string" ? body : JSON.stringify(body, null, 2));
    }),
  );
  return dir;
}

// ---------------------------------------------------------------------------------------------
// Builders for CLI-shaped records (as `aws ... --output json` prints them)

export const LAMBDA_TRUST_POLICY = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

export const BASIC_EXECUTION_ROLE_ARN = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole";

/** One RoleDetailList entry. */
export function roleDetail(opts: {
  accountId: string;
  name: string;
  path?: string;
  inline?: Record<string, object | string>;
  attached?: string[];
  boundary?: string;
  trust?: object | string;
}) {
  const rolePath = opts.path ?? "/";
  return {
    Path: rolePath,
    RoleName: opts.name,
    RoleId: `AROA${opts.name.toUpperCase().replace(/[^A-Z0-9]/g, "").padEnd(17, "X").slice(0, 17)}`,
    Arn: `arn:aws:iam::${opts.accountId}:role${rolePath}${opts.name}`,
    CreateDate: "2024-01-15T10:00:00+00:00",
    AssumeRolePolicyDocument: opts.trust ?? LAMBDA_TRUST_POLICY,
    InstanceProfileList: [],
    RolePolicyList: Object.entries(opts.inline ?? {}).map(([PolicyName, PolicyDocument]) => ({ PolicyName, PolicyDocument })),
    AttachedManagedPolicies: (opts.attached ?? []).map((arn) => ({ PolicyName: arn.slice(arn.lastIndexOf("/") + 1), PolicyArn: arn })),
    ...(opts.boundary ? { PermissionsBoundary: { PermissionsBoundaryType: "Policy", PermissionsBoundaryArn: opts.boundary } } : {}),
    Tags: [],
    RoleLastUsed: { LastUsedDate: "2024-06-01T08:30:00+00:00", Region: "us-east-1" },
  };
}

/** One Policies entry (a managed policy with its default version). */
export function managedPolicyDetail(opts: { arn: string; document: object | string; versionId?: string }) {
  const versionId = opts.versionId ?? "v1";
  return {
    PolicyName: opts.arn.slice(opts.arn.lastIndexOf("/") + 1),
    PolicyId: "ANPA" + "X".repeat(17),
    Arn: opts.arn,
    Path: "/",
    DefaultVersionId: versionId,
    AttachmentCount: 1,
    PermissionsBoundaryUsageCount: 0,
    IsAttachable: true,
    CreateDate: "2024-01-15T10:00:00+00:00",
    UpdateDate: "2024-01-15T10:00:00+00:00",
    PolicyVersionList: [{ Document: opts.document, VersionId: versionId, IsDefaultVersion: true, CreateDate: "2024-01-15T10:00:00+00:00" }],
  };
}

/** A full get-account-authorization-details output. */
export function authorizationDetails(opts: { roles?: object[]; users?: object[]; groups?: object[]; policies?: object[] }) {
  return { UserDetailList: opts.users ?? [], GroupDetailList: opts.groups ?? [], RoleDetailList: opts.roles ?? [], Policies: opts.policies ?? [] };
}

/** One list-functions entry; `overrides` replace fields verbatim. */
export function functionConfiguration(opts: {
  accountId: string;
  region: string;
  name: string;
  roleArn: string;
  env?: Record<string, string>;
  overrides?: Record<string, unknown>;
}) {
  return {
    FunctionName: opts.name,
    FunctionArn: `arn:aws:lambda:${opts.region}:${opts.accountId}:function:${opts.name}`,
    Runtime: "nodejs20.x",
    Role: opts.roleArn,
    Handler: "index.handler",
    CodeSize: 1024,
    Description: "",
    Timeout: 30,
    MemorySize: 256,
    LastModified: "2024-05-01T12:00:00.000+0000",
    CodeSha256: "abc=",
    Version: "$LATEST",
    ...(opts.env ? { Environment: { Variables: opts.env } } : {}),
    TracingConfig: { Mode: "PassThrough" },
    RevisionId: "00000000-0000-0000-0000-000000000000",
    PackageType: "Zip",
    Architectures: ["arm64"],
    EphemeralStorage: { Size: 512 },
    LoggingConfig: { LogFormat: "Text", LogGroup: `/aws/lambda/${opts.name}` },
    ...opts.overrides,
  };
}

/** A get-policy output whose Policy is the JSON string of `document`. */
export function functionPolicyOutput(document: object) {
  return { Policy: JSON.stringify(document), RevisionId: "11111111-1111-1111-1111-111111111111" };
}
