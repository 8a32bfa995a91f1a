/**
 * Test support (like test-fixtures.ts): a small valid snapshot holding one file of every kind in
 * the layout, and a generator of malformed variants of it — each case changes one thing and says
 * which file the reader must name (in an error, or in a coverage gap). Used by the in-process
 * fuzz test and by the CLI test that stores scans.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { authorizationDetails, functionConfiguration, functionPolicyOutput, managedPolicyDetail, roleDetail, writeSnapshotFixture, type SnapshotFixtureSpec } from "@/lib/snapshot/test-fixtures";

export const MGMT = "111111111111";
export const MEMBER = "222222222222";
export const ROOT = "r-ab12";
export const OU = "ou-ab12-workload";
const REGION = "us-east-1";
const OTHER_REGION = "eu-west-1";
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/orders-fn-role`;
const CUSTOMER_POLICY_ARN = `arn:aws:iam::${MEMBER}:policy/orders-table-access`;
const FN_ARN = `arn:aws:lambda:${REGION}:${MEMBER}:function:orders`;
const DENY_CLOUDTRAIL = { Id: "p-denytrail", Arn: `arn:aws:organizations::${MGMT}:policy/o-exampleorgid/service_control_policy/p-denytrail`, Name: "DenyCloudTrailStop", Description: "", Type: "SERVICE_CONTROL_POLICY", AwsManaged: false };
const FULL_ACCESS = { Id: "p-FullAWSAccess", Arn: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess", Name: "FullAWSAccess", Description: "", Type: "SERVICE_CONTROL_POLICY", AwsManaged: true };

/** The valid base: one member account under an OU under the root, whose root SCP denies stopping CloudTrail. */
export function baseSnapshotSpec(): SnapshotFixtureSpec {
  return {
    organization: {
      describeOrganization: { Organization: { Id: "o-exampleorgid", Arn: `arn:aws:organizations::${MGMT}:organization/o-exampleorgid`, MasterAccountId: MGMT } },
      listAccounts: {
        Accounts: [
          { Id: MGMT, Name: "management", Status: "ACTIVE" },
          { Id: MEMBER, Name: "prod", Status: "ACTIVE" },
        ],
      },
      listRoots: { Roots: [{ Id: ROOT, Name: "Root" }] },
      listParents: { [MGMT]: { Parents: [{ Id: ROOT, Type: "ROOT" }] }, [MEMBER]: { Parents: [{ Id: OU, Type: "ORGANIZATIONAL_UNIT" }] }, [OU]: { Parents: [{ Id: ROOT, Type: "ROOT" }] } },
      listPoliciesForTarget: { [ROOT]: { Policies: [FULL_ACCESS, DENY_CLOUDTRAIL] }, [OU]: { Policies: [FULL_ACCESS] }, [MEMBER]: { Policies: [FULL_ACCESS] } },
      describePolicy: {
        [FULL_ACCESS.Id]: { Policy: { PolicySummary: FULL_ACCESS, Content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) } },
        [DENY_CLOUDTRAIL.Id]: { Policy: { PolicySummary: DENY_CLOUDTRAIL, Content: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "NoStop", Effect: "Deny", Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], Resource: "*" }] }) } },
      },
    },
    accounts: {
      [MEMBER]: {
        authorizationDetails: authorizationDetails({
          roles: [
            roleDetail({
              accountId: MEMBER,
              name: "orders-fn-role",
              attached: [CUSTOMER_POLICY_ARN],
              inline: { "admin-ish": { Version: "2012-10-17", Statement: [{ Sid: "Ops", Effect: "Allow", Action: ["cloudtrail:*", "dynamodb:GetItem"], Resource: "*" }] } },
            }),
          ],
          users: [{ UserName: "deployer", Arn: `arn:aws:iam::${MEMBER}:user/deployer`, UserPolicyList: [], GroupList: ["deployers"], AttachedManagedPolicies: [] }],
          groups: [{ GroupName: "deployers", Arn: `arn:aws:iam::${MEMBER}:group/deployers`, GroupPolicyList: [], AttachedManagedPolicies: [] }],
          policies: [managedPolicyDetail({ arn: CUSTOMER_POLICY_ARN, document: { Version: "2012-10-17", Statement: [{ Sid: "Orders", Effect: "Allow", Action: "dynamodb:PutItem", Resource: `arn:aws:dynamodb:${REGION}:${MEMBER}:table/orders` }] } })],
        }),
        serviceLastAccessed: {
          "orders-fn-role": { JobStatus: "COMPLETED", ServicesLastAccessed: [{ ServiceNamespace: "dynamodb", ServiceName: "Amazon DynamoDB", LastAuthenticated: "2024-06-01T00:00:00Z", TrackedActionsLastAccessed: [{ ActionName: "GetItem", LastAccessedTime: "2024-06-01T00:00:00Z" }] }] },
        },
        regions: {
          [REGION]: {
            listFunctions: {
              Functions: [
                functionConfiguration({ accountId: MEMBER, region: REGION, name: "orders", roleArn: ROLE_ARN, env: { TABLE_NAME: "orders", LOG_LEVEL: "info" } }),
                functionConfiguration({ accountId: MEMBER, region: REGION, name: "reports", roleArn: ROLE_ARN }),
              ],
            },
            listEventSourceMappings: {
              EventSourceMappings: [
                { UUID: "0f0e0d0c-0000-4000-8000-000000000001", BatchSize: 10, EventSourceArn: `arn:aws:sqs:${REGION}:${MEMBER}:orders-queue`, FunctionArn: FN_ARN, State: "Enabled" },
                { UUID: "0f0e0d0c-0000-4000-8000-000000000002", BatchSize: 100, FunctionArn: FN_ARN, State: "Enabled", SelfManagedEventSource: { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: ["b-1.kafka.internal:9092"] } } },
              ],
            },
            getPolicy: {
              orders: functionPolicyOutput({ Version: "2012-10-17", Id: "default", Statement: [{ Sid: "public-invoke", Effect: "Allow", Principal: "*", Action: "lambda:InvokeFunction", Resource: FN_ARN }] }),
            },
            listFunctionUrlConfigs: {
              orders: { FunctionUrlConfigs: [{ FunctionUrl: "https://abc123.lambda-url.us-east-1.on.aws/", FunctionArn: FN_ARN, AuthType: "NONE", Cors: { AllowOrigins: ["*"], AllowMethods: ["GET"] } }] },
            },
          },
          [OTHER_REGION]: {
            listFunctions: { Functions: [functionConfiguration({ accountId: MEMBER, region: OTHER_REGION, name: "rates", roleArn: ROLE_ARN })] },
            listEventSourceMappings: { EventSourceMappings: [] },
          },
        },
      },
    },
    files: {
      "saltzer-coverage-gaps.json": { Gaps: [{ accountId: MEMBER, region: OTHER_REGION, api: "lambda:GetPolicy", file: null, message: "AccessDenied: not authorized to perform lambda:GetPolicy" }] },
    },
  };
}

/** Every file kind of the layout, as it appears in the base snapshot. */
export const FILES = {
  describeOrganization: "organizations/describe-organization.json",
  listAccounts: "organizations/list-accounts.json",
  listRoots: "organizations/list-roots.json",
  listParentsAccount: `organizations/list-parents/${MEMBER}.json`,
  listParentsOu: `organizations/list-parents/${OU}.json`,
  listPoliciesForTarget: `organizations/list-policies-for-target/${ROOT}.json`,
  describePolicy: `organizations/describe-policy/${DENY_CLOUDTRAIL.Id}.json`,
  authorizationDetails: `accounts/${MEMBER}/iam/get-account-authorization-details.json`,
  serviceLastAccessed: `accounts/${MEMBER}/iam/service-last-accessed/orders-fn-role.json`,
  listFunctions: `accounts/${MEMBER}/regions/${REGION}/lambda/list-functions.json`,
  listEventSourceMappings: `accounts/${MEMBER}/regions/${REGION}/lambda/list-event-source-mappings.json`,
  getPolicy: `accounts/${MEMBER}/regions/${REGION}/lambda/get-policy/orders.json`,
  listFunctionUrlConfigs: `accounts/${MEMBER}/regions/${REGION}/lambda/list-function-url-configs/orders.json`,
  coverageGaps: "saltzer-coverage-gaps.json",
} as const;

/** Files the reader cannot do without (the others are optional by nature). */
const REQUIRED: (keyof typeof FILES)[] = ["describeOrganization", "listAccounts", "listRoots", "listParentsAccount", "listParentsOu", "authorizationDetails", "listFunctions", "listEventSourceMappings"];

export interface MalformedCase {
  name: string;
  /** The file (relative to the snapshot root) the error or gap must name; a directory prefix for directory cases. */
  file: string;
  /** "error": the read fails with a SnapshotError naming `file`; "gap": it succeeds with a new gap naming `file`. */
  expect: "error" | "gap";
  /** The error must also carry a JSON path. */
  jsonPath: boolean;
  mutate(dir: string): Promise<void>;
}

type Segment = string | number;

/** Fields the reader keeps, per file: changing any of them must not pass unnoticed. */
const READ_FIELDS: [keyof typeof FILES, Segment[], "string" | "number" | "policy-string" | "secret"][] = [
  ["describeOrganization", ["Organization", "Id"], "string"],
  ["describeOrganization", ["Organization", "MasterAccountId"], "string"],
  ["listAccounts", ["Accounts", 1, "Id"], "string"],
  ["listAccounts", ["Accounts", 1, "Name"], "string"],
  ["listRoots", ["Roots", 0, "Id"], "string"],
  ["listParentsAccount", ["Parents", 0, "Id"], "string"],
  ["listParentsOu", ["Parents", 0, "Id"], "string"],
  ["listPoliciesForTarget", ["Policies", 1, "Id"], "string"],
  ["listPoliciesForTarget", ["Policies", 1, "Name"], "string"],
  ["describePolicy", ["Policy", "PolicySummary", "Name"], "string"],
  ["describePolicy", ["Policy", "Content"], "policy-string"],
  ["authorizationDetails", ["RoleDetailList", 0, "RoleName"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "Arn"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "Path"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "RolePolicyList", 0, "PolicyName"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "RolePolicyList", 0, "PolicyDocument", "Statement", 0, "Sid"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "RolePolicyList", 0, "PolicyDocument", "Statement", 0, "Resource"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "AssumeRolePolicyDocument", "Statement", 0, "Principal", "Service"], "string"],
  ["authorizationDetails", ["RoleDetailList", 0, "AttachedManagedPolicies", 0, "PolicyArn"], "string"],
  ["authorizationDetails", ["Policies", 0, "PolicyVersionList", 0, "Document", "Statement", 0, "Action"], "string"],
  ["authorizationDetails", ["UserDetailList", 0, "UserName"], "string"],
  ["authorizationDetails", ["GroupDetailList", 0, "GroupName"], "string"],
  ["serviceLastAccessed", ["ServicesLastAccessed", 0, "ServiceNamespace"], "string"],
  ["serviceLastAccessed", ["ServicesLastAccessed", 0, "TrackedActionsLastAccessed", 0, "ActionName"], "string"],
  ["listFunctions", ["Functions", 0, "FunctionName"], "string"],
  ["listFunctions", ["Functions", 0, "FunctionArn"], "string"],
  ["listFunctions", ["Functions", 0, "Role"], "string"],
  ["listFunctions", ["Functions", 0, "Handler"], "string"],
  ["listFunctions", ["Functions", 0, "MemorySize"], "number"],
  ["listFunctions", ["Functions", 0, "Timeout"], "number"],
  ["listFunctions", ["Functions", 0, "Environment", "Variables", "TABLE_NAME"], "secret"],
  ["listEventSourceMappings", ["EventSourceMappings", 0, "UUID"], "string"],
  ["listEventSourceMappings", ["EventSourceMappings", 0, "FunctionArn"], "string"],
  ["listEventSourceMappings", ["EventSourceMappings", 0, "EventSourceArn"], "string"],
  ["listEventSourceMappings", ["EventSourceMappings", 0, "BatchSize"], "number"],
  ["listEventSourceMappings", ["EventSourceMappings", 1, "SelfManagedEventSource", "Endpoints", "KAFKA_BOOTSTRAP_SERVERS", 0], "string"],
  ["getPolicy", ["Policy"], "policy-string"],
  ["listFunctionUrlConfigs", ["FunctionUrlConfigs", 0, "FunctionUrl"], "string"],
  ["listFunctionUrlConfigs", ["FunctionUrlConfigs", 0, "AuthType"], "string"],
  ["listFunctionUrlConfigs", ["FunctionUrlConfigs", 0, "Cors", "AllowOrigins", 0], "string"],
  ["coverageGaps", ["Gaps", 0, "api"], "string"],
  ["coverageGaps", ["Gaps", 0, "message"], "string"],
];

const DEEP = 10_000;
const HUGE = "x".repeat(100_000);

/** Value mutations: a new value for the field, or null to skip that mutation for this field type. */
const VALUE_MUTATIONS: [string, (old: unknown, type: (typeof READ_FIELDS)[number][2]) => unknown][] = [
  ["wrong type", (_old, type) => (type === "number" ? "256" : 42)],
  ["null", () => null],
  ["NUL character", (old, type) => (type === "number" ? "\u0000" : `${String(old)}\u0000`)],
  ["lone surrogate", (old, type) => (type === "number" ? "\ud800" : `${String(old)}\ud800`)],
  ["100 KB string", () => HUGE],
  ["terminal escape", (old) => `${String(old)}\u001b[2K\r`],
  ["deep nesting", () => DEEP_MARKER],
  ["empty object", () => ({})],
];
const DEEP_MARKER = "__saltzer_deep_nesting__";

function setAt(root: unknown, segments: Segment[], value: unknown): void {
  let node = root as Record<Segment, unknown>;
  for (const segment of segments.slice(0, -1)) node = node[segment] as Record<Segment, unknown>;
  node[segments[segments.length - 1]] = value;
}
function getAt(root: unknown, segments: Segment[]): unknown {
  let node = root as Record<Segment, unknown>;
  for (const segment of segments) node = node[segment] as Record<Segment, unknown>;
  return node;
}

/** Rewrite one JSON file through `edit`; `DEEP_MARKER` strings become 10,000 nested arrays. */
async function editJson(dir: string, rel: string, edit: (json: unknown) => void): Promise<void> {
  const file = path.join(dir, rel);
  const json = JSON.parse(await readFile(file, "utf8"));
  edit(json);
  const text = JSON.stringify(json, null, 2).replace(JSON.stringify(DEEP_MARKER), `${"[".repeat(DEEP)}1${"]".repeat(DEEP)}`);
  await writeFile(file, text);
}

async function editText(dir: string, rel: string, edit: (text: string) => string | Uint8Array): Promise<void> {
  const file = path.join(dir, rel);
  await writeFile(file, edit(await readFile(file, "utf8")));
}

/** The malformed cases, each relative to a fresh copy of the base snapshot. */
export function malformedCases(outside: string): MalformedCase[] {
  const cases: MalformedCase[] = [];
  const error = (name: string, file: string, mutate: (dir: string) => Promise<void>, jsonPath = true) => cases.push({ name, file, expect: "error", jsonPath, mutate });
  const gap = (name: string, file: string, mutate: (dir: string) => Promise<void>) => cases.push({ name, file, expect: "gap", jsonPath: false, mutate });

  // 1. Every kept field of every file kind, under every value mutation.
  for (const [kind, segments, type] of READ_FIELDS) {
    const rel = FILES[kind];
    for (const [mutation, make] of VALUE_MUTATIONS) {
      // Environment values are never shown, so they may hold anything printable.
      if (type === "secret" && mutation === "terminal escape") continue;
      error(`${kind} ${segments.join(".")}: ${mutation}`, rel, (dir) =>
        editJson(dir, rel, (json) => {
          setAt(json, segments, make(getAt(json, segments), type));
        }),
      );
    }
  }

  // 2. Every file kind, broken as a whole.
  for (const [kind, rel] of Object.entries(FILES) as [keyof typeof FILES, string][]) {
    error(`${kind}: truncated JSON`, rel, (dir) => editText(dir, rel, (t) => t.slice(0, Math.floor(t.length / 2))));
    error(`${kind}: empty file`, rel, (dir) => editText(dir, rel, () => ""));
    error(`${kind}: not JSON`, rel, (dir) => editText(dir, rel, () => "Access Denied\n"));
    error(`${kind}: top level is an array`, rel, (dir) => editText(dir, rel, (t) => `[${t}]`));
    error(`${kind}: invalid UTF-8`, rel, (dir) => editText(dir, rel, (t) => { const at = t.indexOf('"') + 1; return Buffer.concat([Buffer.from(t.slice(0, at)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(t.slice(at))]); }), false);
    error(`${kind}: duplicate top-level key`, rel, (dir) => editText(dir, rel, (t) => { const key = /"([A-Za-z]+)"\s*:/.exec(t)![1]; return t.replace(/^\{/, `{"${key}": ${key === "Policy" ? '"{}"' : "[]"},`); }));
    error(`${kind}: 10,000-level nesting in an extra field`, rel, (dir) => editJson(dir, rel, (json) => { (json as Record<string, unknown>).Extra = DEEP_MARKER; }));
    error(`${kind}: NUL in an extra field's key`, rel, (dir) => editJson(dir, rel, (json) => { (json as Record<string, unknown>)["Ex\u0000tra"] = 1; }));
    error(`${kind}: a directory instead of the file`, rel, async (dir) => { await rm(path.join(dir, rel)); await mkdir(path.join(dir, rel)); }, false);
    error(`${kind}: a FIFO instead of the file`, rel, async (dir) => { await rm(path.join(dir, rel)); execFileSync("mkfifo", [path.join(dir, rel)]); }, false);
    error(`${kind}: a symbolic link to a copy outside the snapshot`, rel, async (dir) => {
      const copy = path.join(outside, `${kind}-${Math.random().toString(36).slice(2)}.json`);
      await cp(path.join(dir, rel), copy);
      await rm(path.join(dir, rel));
      await symlink(copy, path.join(dir, rel));
    }, false);
    error(`${kind}: a symbolic link to /etc/passwd`, rel, async (dir) => { await rm(path.join(dir, rel)); await symlink("/etc/passwd", path.join(dir, rel)); }, false);
    error(`${kind}: a dangling symbolic link`, rel, async (dir) => { await rm(path.join(dir, rel)); await symlink(path.join(dir, "nowhere.json"), path.join(dir, rel)); }, false);
    error(`${kind}: a symbolic link loop`, rel, async (dir) => { await rm(path.join(dir, rel)); await symlink(path.join(dir, rel), path.join(dir, rel)); }, false);
    if (REQUIRED.includes(kind)) error(`${kind}: missing`, rel, (dir) => rm(path.join(dir, rel)), false);
  }

  // 3. The classes issue 10 names, one by one.
  const fns = FILES.listFunctions;
  const fn0 = (dir: string, edit: (fn: Record<string, unknown>, json: { Functions: Record<string, unknown>[] }) => void) => editJson(dir, fns, (json) => edit((json as { Functions: Record<string, unknown>[] }).Functions[0], json as { Functions: Record<string, unknown>[] }));
  error("duplicate function ARN", fns, (dir) => fn0(dir, (fn, json) => json.Functions.push({ ...fn })));
  for (const [field, value] of [["MemorySize", 3.5], ["MemorySize", 1e10], ["MemorySize", 64], ["Timeout", -5], ["Timeout", 0], ["Timeout", 901], ["MemorySize", Number.MAX_SAFE_INTEGER + 2]] as const)
    error(`${field}: ${value}`, fns, (dir) => fn0(dir, (fn) => { fn[field] = value; }));
  error("FunctionArn is not an ARN", fns, (dir) => fn0(dir, (fn) => { fn.FunctionArn = "orders"; }));
  error("FunctionArn names another account", fns, (dir) => fn0(dir, (fn) => { fn.FunctionArn = `arn:aws:lambda:${REGION}:333333333333:function:orders`; }));
  error("FunctionArn names another region", fns, (dir) => fn0(dir, (fn) => { fn.FunctionArn = `arn:aws:lambda:eu-west-1:${MEMBER}:function:orders`; }));
  error("FunctionName differs from its ARN's", fns, (dir) => fn0(dir, (fn) => { fn.FunctionName = "orders-v2"; }));
  error("function name of 65 characters", fns, (dir) => fn0(dir, (fn) => { fn.FunctionName = "f".repeat(65); fn.FunctionArn = `arn:aws:lambda:${REGION}:${MEMBER}:function:${"f".repeat(65)}`; }));
  error("environment variable name with a NUL", fns, (dir) => fn0(dir, (fn) => { fn.Environment = { Variables: { "A\u0000B": "x" } }; }));
  error("environment variable name with a lone surrogate", fns, (dir) => fn0(dir, (fn) => { fn.Environment = { Variables: { "A\udc00": "x" } }; }));
  error("environment variables over 4 KB", fns, (dir) => fn0(dir, (fn) => { fn.Environment = { Variables: { BIG: "v".repeat(5000) } }; }));
  error("a second Functions key", fns, (dir) => editText(dir, fns, (t) => t.replace(/\n\}\s*$/, ',\n  "Functions": []\n}')));
  const auth = FILES.authorizationDetails;
  const details = (dir: string, edit: (json: Record<string, Record<string, unknown>[]>) => void) => editJson(dir, auth, (json) => edit(json as Record<string, Record<string, unknown>[]>));
  error("duplicate role", auth, (dir) => details(dir, (json) => json.RoleDetailList.push({ ...json.RoleDetailList[0] })));
  error("duplicate role name in another case", auth, (dir) => details(dir, (json) => json.RoleDetailList.push({ ...json.RoleDetailList[0], RoleName: "Orders-Fn-Role", Arn: `arn:aws:iam::${MEMBER}:role/Orders-Fn-Role` })));
  error("duplicate managed policy ARN", auth, (dir) => details(dir, (json) => json.Policies.push({ ...json.Policies[0] })));
  error("role ARN naming another account", auth, (dir) => details(dir, (json) => { json.RoleDetailList[0].Arn = "arn:aws:iam::333333333333:role/orders-fn-role"; }));
  error("role name of 65 characters", auth, (dir) => details(dir, (json) => { json.RoleDetailList[0].RoleName = "r".repeat(65); json.RoleDetailList[0].Arn = `arn:aws:iam::${MEMBER}:role/${"r".repeat(65)}`; }));
  error("customer-managed policy over 6,144 characters", auth, (dir) => details(dir, (json) => {
    const version = (json.Policies[0].PolicyVersionList as Record<string, Record<string, unknown>>[])[0];
    version.Document.Statement = Array.from({ length: 80 }, (_, i) => ({ Sid: `S${i}`, Effect: "Allow", Action: "dynamodb:GetItem", Resource: `arn:aws:dynamodb:${REGION}:${MEMBER}:table/orders-${i}` }));
  }));
  error("inline role policies over 10,240 characters together", auth, (dir) => details(dir, (json) => {
    json.RoleDetailList[0].RolePolicyList = Array.from({ length: 15 }, (_, p) => ({ PolicyName: `p${p}`, PolicyDocument: { Version: "2012-10-17", Statement: Array.from({ length: 10 }, (_, i) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: `arn:aws:s3:::bucket-${p}-${i}/*` })) } }));
  }));
  error("trust policy over 8,192 characters", auth, (dir) => details(dir, (json) => {
    json.RoleDetailList[0].AssumeRolePolicyDocument = { Version: "2012-10-17", Statement: Array.from({ length: 120 }, (_, i) => ({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${String(i).padStart(12, "4")}:root` }, Action: "sts:AssumeRole" })) };
  }));
  error("policy document 10,000 levels deep in a Condition", auth, (dir) => details(dir, (json) => {
    ((json.RoleDetailList[0].RolePolicyList as Record<string, Record<string, Record<string, unknown>[]>>[])[0].PolicyDocument.Statement[0]).Condition = { StringEquals: { "aws:x": DEEP_MARKER } };
  }));
  error("SCP over 5,120 characters", FILES.describePolicy, (dir) => editJson(dir, FILES.describePolicy, (json) => {
    (json as { Policy: { Content: string } }).Policy.Content = JSON.stringify({ Version: "2012-10-17", Statement: Array.from({ length: 80 }, (_, i) => ({ Sid: `Deny${i}`, Effect: "Deny", Action: `service${i}:DeleteEverything`, Resource: "*" })) });
  }));
  error("SCP content with duplicate keys", FILES.describePolicy, (dir) => editJson(dir, FILES.describePolicy, (json) => {
    (json as { Policy: { Content: string } }).Policy.Content = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"cloudtrail:StopLogging","Resource":"*"}],"Statement":[]}';
  }));
  error("describe-policy naming another policy than its file", FILES.describePolicy, (dir) => editJson(dir, FILES.describePolicy, (json) => { (json as { Policy: { PolicySummary: { Id: string } } }).Policy.PolicySummary.Id = "p-otherpolicy"; }));
  const esm = FILES.listEventSourceMappings;
  const mappings = (dir: string, edit: (list: Record<string, unknown>[]) => void) => editJson(dir, esm, (json) => edit((json as { EventSourceMappings: Record<string, unknown>[] }).EventSourceMappings));
  for (const value of [1e12, 0, 2.5]) error(`BatchSize: ${value}`, esm, (dir) => mappings(dir, (list) => { list[0].BatchSize = value; }));
  error("duplicate mapping UUID", esm, (dir) => mappings(dir, (list) => { list[1].UUID = list[0].UUID; }));
  error("10,000-level SelfManagedEventSource", esm, (dir) => mappings(dir, (list) => { list[1].SelfManagedEventSource = { Endpoints: { KAFKA_BOOTSTRAP_SERVERS: DEEP_MARKER } }; }));
  gap("mapping for a function that does not exist", esm, (dir) => mappings(dir, (list) => { list[0].FunctionArn = `arn:aws:lambda:${REGION}:${MEMBER}:function:deleted-last-week`; }));
  error("10,000-level Cors", FILES.listFunctionUrlConfigs, (dir) => editJson(dir, FILES.listFunctionUrlConfigs, (json) => { (json as { FunctionUrlConfigs: Record<string, unknown>[] }).FunctionUrlConfigs[0].Cors = { AllowOrigins: DEEP_MARKER }; }));
  error("function URL of another function", FILES.listFunctionUrlConfigs, (dir) => editJson(dir, FILES.listFunctionUrlConfigs, (json) => { (json as { FunctionUrlConfigs: Record<string, unknown>[] }).FunctionUrlConfigs[0].FunctionArn = `arn:aws:lambda:${REGION}:${MEMBER}:function:reports`; }));
  gap("get-policy for a function that is not listed", `accounts/${MEMBER}/regions/${REGION}/lambda/get-policy/ghost.json`, (dir) => cp(path.join(dir, FILES.getPolicy), path.join(dir, `accounts/${MEMBER}/regions/${REGION}/lambda/get-policy/ghost.json`)));

  // 4. Directories of the layout.
  const regions = `accounts/${MEMBER}/regions`;
  error("region directory named ..json", `${regions}/..json`, (dir) => mkdir(path.join(dir, regions, "..json")), false);
  error("region directory that is not a region name", `${regions}/not-a-region`, (dir) => mkdir(path.join(dir, regions, "not-a-region")), false);
  error("account directory that is not an account id", "accounts/12345", (dir) => mkdir(path.join(dir, "accounts", "12345")), false);
  error("a file where a region directory belongs", `${regions}/us-west-2`, (dir) => writeFile(path.join(dir, regions, "us-west-2"), "{}"), false);
  error("a region directory linked outside the snapshot", `${regions}/${REGION}`, async (dir) => {
    const copy = path.join(outside, `region-${Math.random().toString(36).slice(2)}`);
    await cp(path.join(dir, regions, REGION), copy, { recursive: true });
    await rm(path.join(dir, regions, REGION), { recursive: true });
    await symlink(copy, path.join(dir, regions, REGION));
  }, false);
  error("the accounts directory linked outside the snapshot", "accounts", async (dir) => {
    const copy = path.join(outside, `accounts-${Math.random().toString(36).slice(2)}`);
    await cp(path.join(dir, "accounts"), copy, { recursive: true });
    await rm(path.join(dir, "accounts"), { recursive: true });
    await symlink(copy, path.join(dir, "accounts"));
  }, false);
  error("a directory named like a get-policy file", `accounts/${MEMBER}/regions/${REGION}/lambda/get-policy/reports.json`, (dir) => mkdir(path.join(dir, `accounts/${MEMBER}/regions/${REGION}/lambda/get-policy/reports.json`)), false);

  // 5. The organization tree (issue 10 §5).
  const parents = (dir: string, child: string, parent: string) => writeFile(path.join(dir, `organizations/list-parents/${child}.json`), JSON.stringify({ Parents: [{ Id: parent, Type: parent.startsWith("r-") ? "ROOT" : "ORGANIZATIONAL_UNIT" }] }));
  error("OU that is its own parent", FILES.listParentsOu, (dir) => parents(dir, OU, OU));
  error("OU parent cycle", "organizations/list-parents/ou-ab12-", async (dir) => { await parents(dir, OU, "ou-ab12-security"); await parents(dir, "ou-ab12-security", OU); });
  error("a parent that no file describes", "organizations/list-parents/ou-ab12-vanished.json", (dir) => parents(dir, OU, "ou-ab12-vanished"), false);
  error("an account's parent that no file describes", "organizations/list-parents/ou-ab12-vanished.json", (dir) => parents(dir, MEMBER, "ou-ab12-vanished"), false);
  error("two parents", FILES.listParentsAccount, (dir) => writeFile(path.join(dir, FILES.listParentsAccount), JSON.stringify({ Parents: [{ Id: OU }, { Id: ROOT }] })));

  return cases;
}

/** A fresh copy of the base snapshot in `dir`. */
export async function writeBaseSnapshot(dir: string): Promise<void> {
  await writeSnapshotFixture(dir, baseSnapshotSpec());
}
