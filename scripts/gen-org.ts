/**
 * Synthetic organization generator: writes a snapshot directory in the AWS CLI layout
 * (same shapes as samples/acme) with a realistic mix of clean and over-privileged functions.
 *
 *   npm run gen -- --functions 10000 --accounts 30 --seed 42 --out /tmp/org [--force]
 *
 * Deterministic: the same arguments produce byte-identical files (seeded PRNG, no clock).
 */
import { existsSync, readdirSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import type { PolicyStatement } from "@/lib/snapshot/types";
import {
  type AccountModel,
  type FunctionModel,
  type ManagedPolicyModel,
  type OrganizationModel,
  type RoleModel,
  type ServiceUsageModel,
  type SnapshotModel,
  awsManagedArn,
  clearDir,
  doc,
  invokePermission,
  lambdaTrust,
  policyArn,
  renderSnapshot,
  writeSnapshotFiles,
  emptyAccountModel,
} from "./lib/cli-shapes";

export interface GenOptions {
  functions: number;
  accounts: number;
  seed: string;
}

// ───────────────────────────── PRNG ─────────────────────────────

/** Seeded PRNG (mulberry32 over a 32-bit FNV-1a hash of the seed string). */
export class Rng {
  private state: number;
  constructor(seed: string) {
    let h = 0x811c9dc5;
    for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
    this.state = h >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
  weighted<T extends string>(weights: Record<T, number>): T {
    const entries = Object.entries(weights) as [T, number][];
    let r = this.next() * entries.reduce((n, [, w]) => n + w, 0);
    for (const [k, w] of entries) if ((r -= w) < 0) return k;
    return entries[entries.length - 1][0];
  }
  chars(alphabet: string, n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += alphabet[this.int(alphabet.length)];
    return s;
  }
}

const LOWER = "abcdefghijklmnopqrstuvwxyz0123456789";
const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

// ───────────────────────────── vocabulary ─────────────────────────────

const COMPANIES = ["globex", "initech", "umbrella", "hooli", "stark", "wayne", "tyrell", "cyberdyne", "soylent", "wonka"];
const DOMAINS = ["orders", "payments", "invoices", "users", "catalog", "inventory", "shipping", "search", "reports", "notifications", "billing", "auth", "media", "analytics", "audit", "cart", "pricing", "reviews", "loyalty", "support", "sessions", "exports", "imports", "ledger", "fraud", "emails", "webhooks", "recommendations", "geo", "tax"];
const ACTIONS = ["api", "worker", "processor", "sync", "handler", "indexer", "exporter", "importer", "resizer", "notifier", "validator", "scheduler", "cleanup", "aggregator", "consumer", "publisher", "enricher", "router", "reconciler", "archiver"];
const REGIONS = ["us-east-1", "eu-west-1", "us-west-2", "eu-central-1", "ap-southeast-2"];
const RUNTIMES: Record<string, number> = {
  "nodejs20.x": 25, "nodejs22.x": 15, "python3.12": 20, "python3.13": 10, "python3.11": 8, "java21": 4, "nodejs18.x": 5,
  "provided.al2023": 4, "dotnet8": 3, "python3.8": 1.5, "nodejs16.x": 1.5, "python3.7": 1, "nodejs14.x": 1, image: 1,
};
const HANDLERS: Record<string, string> = { node: "index.handler", pyth: "app.lambda_handler", java: "com.example.Handler::handleRequest", prov: "bootstrap", dotn: "App::App.Function::FunctionHandler" };

/** AWS-managed FullAccess policies that over-broad roles attach, with the namespace last-accessed reports. */
const FULL_ACCESS: { name: string; namespace: string; service: string }[] = [
  { name: "AmazonS3FullAccess", namespace: "s3", service: "Amazon S3" },
  { name: "AmazonDynamoDBFullAccess", namespace: "dynamodb", service: "Amazon DynamoDB" },
  { name: "AmazonSQSFullAccess", namespace: "sqs", service: "Amazon SQS" },
  { name: "AmazonSNSFullAccess", namespace: "sns", service: "Amazon SNS" },
  { name: "AmazonESFullAccess", namespace: "es", service: "Amazon OpenSearch Service" },
  { name: "AmazonRekognitionFullAccess", namespace: "rekognition", service: "Amazon Rekognition" },
  { name: "CloudWatchLogsFullAccess", namespace: "logs", service: "Amazon CloudWatch Logs" },
  { name: "AmazonKinesisFullAccess", namespace: "kinesis", service: "Amazon Kinesis" },
  { name: "SecretsManagerReadWrite", namespace: "secretsmanager", service: "AWS Secrets Manager" },
  { name: "AmazonSESFullAccess", namespace: "ses", service: "Amazon SES" },
];
const SERVICE_NAMES: Record<string, string> = Object.fromEntries([
  ...FULL_ACCESS.map((f) => [f.namespace, f.service]),
  ["lambda", "AWS Lambda"], ["iam", "AWS Identity and Access Management"], ["xray", "AWS X-Ray"], ["kms", "AWS Key Management Service"],
  ["ssm", "AWS Systems Manager"], ["cloudtrail", "AWS CloudTrail"], ["ec2", "Amazon EC2"],
]);

type Archetype =
  | "scopedTable" | "scopedBucket" | "sqsConsumer" | "streamConsumer" | "basicOnly" | "managedFullAccess" | "wildcardInline"
  | "adminWithBoundary" | "admin" | "passRoleEscalation" | "missingLogs" | "scpDenied" | "updateCode" | "queueSender";
const ARCHETYPES: Record<Archetype, number> = {
  scopedTable: 22, scopedBucket: 15, sqsConsumer: 10, streamConsumer: 6, basicOnly: 10, managedFullAccess: 10, wildcardInline: 6,
  adminWithBoundary: 3, admin: 1, passRoleEscalation: 2, missingLogs: 4, scpDenied: 3, updateCode: 2, queueSender: 4,
};

const BASE_TIME = Date.parse("2025-06-01T00:00:00.000Z");
const DAY = 86_400_000;

// ───────────────────────────── generation ─────────────────────────────

/** Split `total` into `weights.length` integer parts proportional to the weights (largest remainder). */
function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const parts = raw.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k][1]]++;
  return parts;
}

interface AccountPlan {
  id: string;
  name: string;
  ouKind: "management" | "prod" | "staging" | "dev" | "sandbox" | "security";
}

export function generateOrganization(opts: GenOptions): SnapshotModel {
  const rng = new Rng(opts.seed);
  const company = rng.pick(COMPANIES);
  const when = (maxDaysAgo: number) => new Date(BASE_TIME - rng.int(maxDaysAgo * DAY)).toISOString();
  const regions = REGIONS.slice(0, 2 + rng.int(2));
  const externalAccount = "9999" + rng.chars("0123456789", 8);

  // Accounts: the first is the management account.
  const ids = new Set<string>();
  const plans: AccountPlan[] = [];
  const kinds: AccountPlan["ouKind"][] = ["prod", "prod", "staging", "dev", "dev", "sandbox"];
  for (let i = 0; i < opts.accounts; i++) {
    let id: string;
    do id = String(100_000_000_000 + rng.int(899_999_999_999)); while (ids.has(id) || id.startsWith("9999"));
    ids.add(id);
    const ouKind = i === 0 ? "management" : i === 1 && opts.accounts > 2 ? "security" : rng.pick(kinds);
    plans.push({ id, name: i === 0 ? `${company}-management` : `${company}-${ouKind}-${i}`, ouKind });
  }

  // Functions per account: the management and security accounts run few.
  const weights = plans.map((p) => (p.ouKind === "management" || p.ouKind === "security" ? 0.05 : 0.4 + rng.next()));
  const perAccount = apportion(opts.functions, weights);

  const accounts = plans.map((plan, i) => generateAccount(rng, plan, perAccount[i], regions, plans, externalAccount, when));
  const organization = opts.accounts > 1 ? generateOrgTree(rng, company, plans, regions, when) : null;
  return { organization, accounts };
}

function generateOrgTree(rng: Rng, company: string, plans: AccountPlan[], regions: string[], when: (d: number) => string): OrganizationModel {
  const rootSuffix = rng.chars(LOWER, 4);
  const rootId = `r-${rootSuffix}`;
  const ou = (name: string, parentId: string) => ({ id: `ou-${rootSuffix}-${rng.chars(LOWER, 8)}`, name, parentId });
  const workloads = ou("Workloads", rootId);
  const ous = {
    workloads,
    prod: ou("Prod", workloads.id),
    staging: ou("Staging", workloads.id),
    dev: ou("Dev", workloads.id),
    sandbox: ou("Sandbox", rootId),
    security: ou("Security", rootId),
  };
  const parentOf = (p: AccountPlan) => (p.ouKind === "management" ? rootId : ous[p.ouKind].id);
  const scpId = () => `p-${rng.chars(LOWER, 8)}`;
  return {
    id: `o-${rng.chars(LOWER, 10)}`,
    managementAccountId: plans[0].id,
    managementEmail: `aws-root@${company}.example`,
    rootId,
    ous: Object.values(ous),
    members: plans.map((p, i) => ({
      id: p.id,
      name: p.name,
      email: `aws+${p.name}@${company}.example`,
      parentId: parentOf(p),
      joinedMethod: i === 0 ? ("INVITED" as const) : ("CREATED" as const),
      joined: when(2500),
    })),
    scps: [
      {
        id: scpId(),
        name: "DenyLeaveOrgAndAuditTampering",
        description: "Deny leaving the organization and disabling CloudTrail",
        targets: [rootId],
        document: doc(
          { Sid: "DenyLeave", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" },
          { Sid: "ProtectAudit", Effect: "Deny", Action: ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail", "ec2:DeleteFlowLogs"], Resource: "*" },
        ),
      },
      {
        id: scpId(),
        name: "RestrictRegions",
        description: `Deny actions outside ${regions.join(", ")}`,
        targets: [workloads.id, ous.sandbox.id],
        document: doc({
          Sid: "DenyOutsideApprovedRegions",
          Effect: "Deny",
          NotAction: ["iam:*", "organizations:*", "route53:*", "cloudfront:*", "sts:*", "support:*", "budgets:*", "ce:*", "waf:*", "kms:*", "health:*"],
          Resource: "*",
          Condition: { StringNotEquals: { "aws:RequestedRegion": regions } },
        }),
      },
      {
        id: scpId(),
        name: "DenyIamUserCreation",
        description: "No IAM users or access keys outside prod",
        targets: [ous.dev.id, ous.sandbox.id],
        document: doc({ Sid: "DenyIamUsers", Effect: "Deny", Action: ["iam:CreateUser", "iam:CreateAccessKey"], Resource: "*" }),
      },
    ],
  };
}

function generateAccount(
  rng: Rng,
  plan: AccountPlan,
  functionCount: number,
  regions: string[],
  plans: AccountPlan[],
  externalAccount: string,
  when: (d: number) => string,
): AccountModel {
  const acct = plan.id;
  const env = plan.ouKind;
  const account = emptyAccountModel(acct, regions);
  if (plan.ouKind !== "management") {
    account.roles.push({
      name: "OrganizationAccountAccessRole",
      created: when(2500),
      trust: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${plans[0].id}:root` }, Action: "sts:AssumeRole" }),
      inline: [],
      managed: [awsManagedArn("AdministratorAccess")],
      lastUsed: { date: when(30), region: regions[0] },
    });
  }
  if (rng.chance(0.5)) {
    account.users.push({ name: "ci-deployer", path: "/automation/", created: when(1500), inline: [], managed: [awsManagedArn("AWSLambda_FullAccess")], groups: [] });
  }

  // Customer-managed policies shared across roles.
  const primary = regions[0];
  const shared: ManagedPolicyModel[] = [
    { name: "shared-xray-write", created: when(1500), versions: [{ created: when(1500), document: doc({ Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" }) }] },
    { name: "shared-config-read", created: when(1500), versions: [
      { created: when(1500), document: doc({ Effect: "Allow", Action: "ssm:*", Resource: "*" }) },
      { created: when(700), document: doc({ Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParametersByPath"], Resource: `arn:aws:ssm:*:${acct}:parameter/${env}/*` }) },
    ] },
    { name: "shared-secrets-read", created: when(1500), versions: [{ created: when(1500), document: doc({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:*:${acct}:secret:${env}/*` }) }] },
    { name: "shared-kms-decrypt", created: when(1500), versions: [{ created: when(1500), document: doc({ Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: `arn:aws:kms:${primary}:${acct}:key/${uuidish(rng)}` }) }] },
  ];
  const boundary: ManagedPolicyModel = {
    name: "lambda-permissions-boundary",
    path: "/boundaries/",
    created: when(1500),
    versions: [{ created: when(1500), document: doc(
      { Sid: "AppData", Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "s3:GetObject", "s3:PutObject", "sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: "*" },
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
    ) }],
  };
  account.customerPolicies.push(...shared, boundary);
  const boundaryArn = policyArn(acct, boundary.name, "/boundaries/");

  const names = new Set<string>();
  const regionCounts = apportion(functionCount, regions.map((_, i) => (i === 0 ? 3 : 1)));
  let roleSeq = 0;

  account.regions.forEach((regionModel, regionIndex) => {
    const region = regionModel.region;
    const queues = Array.from({ length: 3 }, (_, i) => `arn:aws:sqs:${region}:${acct}:${rng.pick(DOMAINS)}-events-${i}`);
    const tables = Array.from({ length: 4 }, () => `arn:aws:dynamodb:${region}:${acct}:table/${rng.pick(DOMAINS)}-${env}`);
    const bucket = () => `${plan.name}-${rng.pick(DOMAINS)}-${region}`;
    let remaining = regionCounts[regionIndex];

    while (remaining > 0) {
      const size = Math.min(remaining, 1 + rng.int(5));
      remaining -= size;
      const archetype = rng.weighted(ARCHETYPES);
      const roleName = `${archetype.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}-role-${(roleSeq++).toString(36)}`;
      const fnNames: string[] = [];
      for (let k = 0; k < size; k++) {
        let name = `${rng.pick(DOMAINS)}-${rng.pick(ACTIONS)}`;
        for (let n = 2; names.has(name); n++) name = `${name.replace(/-\d+$/, "")}-${n}`;
        names.add(name);
        fnNames.push(name);
      }
      const logGroups = fnNames.map((n) => `arn:aws:logs:${region}:${acct}:log-group:/aws/lambda/${n}:*`);
      const logs: PolicyStatement[] = [
        { Effect: "Allow", Action: "logs:CreateLogGroup", Resource: `arn:aws:logs:${region}:${acct}:*` },
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: logGroups },
      ];
      const basic = awsManagedArn("AWSLambdaBasicExecutionRole", "/service-role/");
      const role: RoleModel = { name: roleName, created: when(1200), trust: lambdaTrust(), inline: [], managed: [], lastUsed: rng.chance(0.9) ? { date: when(20), region } : null };
      const inline = (statements: PolicyStatement[]) => role.inline.push({ name: `${roleName}-policy`, document: doc(...statements) });
      const envFor: Record<string, string> = { LOG_LEVEL: rng.pick(["info", "debug", "warn", "INFO"]) };
      const table = rng.pick(tables);
      const queue = rng.pick(queues);

      switch (archetype) {
        case "scopedTable":
          inline([{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"], Resource: [table, `${table}/index/*`] }, ...logs]);
          envFor.TABLE_NAME = table.split("/")[1];
          break;
        case "scopedBucket": {
          const b = bucket();
          inline([{ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"], Resource: [`arn:aws:s3:::${b}`, `arn:aws:s3:::${b}/*`] }, ...logs]);
          envFor.BUCKET_NAME = b;
          break;
        }
        case "sqsConsumer":
          role.managed.push(awsManagedArn("AWSLambdaSQSQueueExecutionRole", "/service-role/"));
          if (rng.chance(0.5)) inline([{ Effect: "Allow", Action: "dynamodb:PutItem", Resource: table }]);
          envFor.QUEUE_URL = `https://sqs.${region}.amazonaws.com/${acct}/${queue.split(":")[5]}`;
          for (const fn of fnNames.slice(0, 1)) regionModel.eventSourceMappings.push({ kind: "sqs", functionName: fn, sourceArn: queue, lastModified: when(600) });
          break;
        case "streamConsumer": {
          const kinesis = rng.chance(0.4);
          const source = kinesis ? `arn:aws:kinesis:${region}:${acct}:stream/${rng.pick(DOMAINS)}-stream` : `${table}/stream/${new Date(BASE_TIME - 400 * DAY).toISOString().slice(0, 23)}`;
          if (kinesis) inline([{ Effect: "Allow", Action: ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:ListShards"], Resource: source }, ...logs]);
          else role.managed.push(awsManagedArn("AWSLambdaDynamoDBExecutionRole", "/service-role/"));
          for (const fn of fnNames) regionModel.eventSourceMappings.push({ kind: kinesis ? "kinesis" : "dynamodb", functionName: fn, sourceArn: source, lastModified: when(600) });
          break;
        }
        case "basicOnly":
          role.managed.push(basic);
          break;
        case "managedFullAccess": {
          const count = 2 + rng.int(3);
          const picked = new Set<string>();
          while (picked.size < count) picked.add(rng.pick(FULL_ACCESS).name);
          role.managed.push(...[...picked].map((n) => awsManagedArn(n)));
          if (!picked.has("CloudWatchLogsFullAccess")) role.managed.push(basic);
          break;
        }
        case "wildcardInline": {
          const service = rng.pick(["dynamodb", "s3", "sqs", "sns", "lambda", "kinesis"]);
          inline([{ Sid: "Scoped", Effect: "Allow", Action: "dynamodb:GetItem", Resource: table }, { Sid: "LegacyWildcard", Effect: "Allow", Action: `${service}:*`, Resource: "*" }, ...logs]);
          break;
        }
        case "adminWithBoundary":
          role.managed.push(awsManagedArn("AdministratorAccess"));
          role.boundaryArn = boundaryArn;
          break;
        case "admin":
          role.managed.push(awsManagedArn("AdministratorAccess"));
          break;
        case "passRoleEscalation": {
          const targetName = `${roleName}-target`;
          account.roles.push({ name: targetName, created: when(1200), trust: lambdaTrust(), inline: [], managed: [awsManagedArn("AmazonDynamoDBFullAccess"), awsManagedArn("AmazonS3FullAccess")], lastUsed: null });
          const passPolicy = `${roleName}-passrole`;
          account.customerPolicies.push({ name: passPolicy, created: when(1200), versions: [{ created: when(1200), document: doc({ Sid: "PassTarget", Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${acct}:role/${targetName}` }) }] });
          inline([{ Sid: "CreateAndRun", Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: `arn:aws:lambda:${region}:${acct}:function:*` }, ...logs]);
          role.managed.push(policyArn(acct, passPolicy));
          break;
        }
        case "missingLogs":
          inline([{ Effect: "Allow", Action: ["dynamodb:Query", "dynamodb:GetItem"], Resource: table }]);
          envFor.TABLE_NAME = table.split("/")[1];
          break;
        case "scpDenied": {
          const outside = REGIONS.find((r) => !regions.includes(r))!;
          inline([
            rng.chance(0.5)
              ? { Effect: "Allow", Action: ["cloudtrail:StopLogging", "cloudtrail:StartLogging"], Resource: `arn:aws:cloudtrail:${region}:${acct}:trail/main` }
              : { Effect: "Allow", Action: "dynamodb:PutItem", Resource: `arn:aws:dynamodb:${outside}:${acct}:table/dr-${env}` },
            ...logs,
          ]);
          break;
        }
        case "updateCode": {
          const prefix = rng.pick(DOMAINS);
          inline([{ Effect: "Allow", Action: ["lambda:UpdateFunctionCode", "lambda:PublishVersion", "lambda:UpdateAlias"], Resource: `arn:aws:lambda:${region}:${acct}:function:${prefix}-*` }, ...logs]);
          envFor.FUNCTION_PREFIX = `${prefix}-`;
          break;
        }
        case "queueSender":
          inline([{ Effect: "Allow", Action: "sqs:SendMessage", Resource: queue }, ...logs]);
          envFor.QUEUE_URL = `https://sqs.${region}.amazonaws.com/${acct}/${queue.split(":")[5]}`;
          break;
      }
      // Shared customer-managed policies on some roles.
      for (const p of shared) if (rng.chance(0.12)) role.managed.push(policyArn(acct, p.name));
      if (rng.chance(0.15)) {
        role.path = "/service-role/";
      }
      account.roles.push(role);

      if (rng.chance(0.3)) account.lastAccessed.push({ roleName, jobCreated: new Date(BASE_TIME).toISOString(), services: lastAccessedFor(rng, role, when) });

      for (const name of fnNames) {
        account.regions[regionIndex].functions.push(makeFunction(rng, name, roleName, region, acct, envFor, plans, externalAccount, when));
      }
    }
  });
  return account;
}

function uuidish(rng: Rng): string {
  const h = rng.chars("0123456789abcdef", 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function lastAccessedFor(rng: Rng, role: RoleModel, when: (d: number) => string): ServiceUsageModel[] {
  const namespaces = new Set<string>();
  for (const p of role.inline) for (const s of p.document.Statement) for (const a of [s.Action ?? []].flat()) namespaces.add(a.split(":")[0]);
  for (const arn of role.managed) {
    const full = FULL_ACCESS.find((f) => arn.endsWith(`/${f.name}`));
    if (full) namespaces.add(full.namespace);
    else if (arn.includes("AWSLambda")) namespaces.add("logs");
  }
  return [...namespaces].sort().map((namespace) => {
    const used = namespace === "logs" || rng.chance(0.6);
    const usage: ServiceUsageModel = { namespace, name: SERVICE_NAMES[namespace] ?? namespace, lastAuthenticated: used ? when(60) : null };
    if (namespace === "s3" || namespace === "lambda") {
      const actions = namespace === "s3" ? ["DeleteObject", "GetObject", "ListBucket", "PutObject"] : ["CreateFunction", "InvokeFunction", "UpdateFunctionCode"];
      usage.actions = actions.map((name) => ({ name, time: used && rng.chance(0.5) ? when(60) : null }));
    }
    return usage;
  });
}

function makeFunction(
  rng: Rng,
  name: string,
  roleName: string,
  region: string,
  acct: string,
  baseEnv: Record<string, string>,
  plans: AccountPlan[],
  externalAccount: string,
  when: (d: number) => string,
): FunctionModel {
  const runtimeKey = rng.weighted(RUNTIMES);
  const image = runtimeKey === "image";
  const environment: Record<string, string> = { ...baseEnv };
  if (rng.chance(0.04)) {
    const kind = rng.int(4);
    if (kind === 0) environment.DB_PASSWORD = `fake-${rng.chars(LOWER, 12)}`;
    else if (kind === 1) environment.STRIPE_SECRET_KEY = `fake-stripe-${rng.chars(LOWER, 16)}`;
    else if (kind === 2) environment.LEGACY_ACCESS_KEY_ID = `AKIAFAKE${rng.chars(UPPER, 12)}`;
    else environment.API_TOKEN = `fake-token-${rng.chars(LOWER, 20)}`;
  }
  const fn: FunctionModel = {
    name,
    runtime: image ? null : runtimeKey,
    handler: image ? null : HANDLERS[runtimeKey.slice(0, 4)],
    roleName,
    description: `${name.replace(/-/g, " ")}`,
    memorySize: rng.pick([128, 256, 512, 1024, 2048]),
    timeout: rng.pick([3, 10, 30, 60, 300, 900]),
    codeSize: image ? 0 : 2_000 + rng.int(20_000_000),
    lastModified: when(1500),
    environment,
  };
  if (rng.chance(0.1)) fn.tracing = "Active";
  if (rng.chance(0.2)) fn.architecture = "arm64";
  if (rng.chance(0.08)) fn.vpc = { subnetIds: [`subnet-0${rng.chars("0123456789abcdef", 16)}`, `subnet-0${rng.chars("0123456789abcdef", 16)}`], securityGroupIds: [`sg-0${rng.chars("0123456789abcdef", 16)}`], vpcId: `vpc-0${rng.chars("0123456789abcdef", 16)}` };
  if (rng.chance(0.05)) fn.deadLetterTargetArn = `arn:aws:sqs:${region}:${acct}:${name}-dlq`;
  if (rng.chance(0.05)) fn.kmsKeyArn = `arn:aws:kms:${region}:${acct}:key/${uuidish(rng)}`;

  const statements: PolicyStatement[] = [];
  const kind = rng.weighted({ none: 65, apigw: 15, s3: 6, s3Open: 1.5, sns: 4, snsOpen: 1.5, events: 5, public: 0.5, external: 1, inOrg: 0.5 });
  const sid = `${kind}-${rng.chars(LOWER, 6)}`;
  if (kind === "apigw") statements.push(invokePermission({ sid, principal: { Service: "apigateway.amazonaws.com" }, sourceArn: `arn:aws:execute-api:${region}:${acct}:${rng.chars(LOWER, 10)}/*/*/*` }));
  if (kind === "s3") statements.push(invokePermission({ sid, principal: { Service: "s3.amazonaws.com" }, sourceArn: `arn:aws:s3:::${name}-uploads`, sourceAccount: acct }));
  if (kind === "s3Open") statements.push(invokePermission({ sid, principal: { Service: "s3.amazonaws.com" } }));
  if (kind === "sns") statements.push(invokePermission({ sid, principal: { Service: "sns.amazonaws.com" }, sourceArn: `arn:aws:sns:${region}:${acct}:${name}-topic` }));
  if (kind === "snsOpen") statements.push(invokePermission({ sid, principal: { Service: "sns.amazonaws.com" } }));
  if (kind === "events") statements.push(invokePermission({ sid, principal: { Service: "events.amazonaws.com" }, sourceArn: `arn:aws:events:${region}:${acct}:rule/${name}-schedule` }));
  if (kind === "public") statements.push(invokePermission({ sid, principal: "*" }));
  if (kind === "external") statements.push(invokePermission({ sid, principal: { AWS: `arn:aws:iam::${externalAccount}:root` } }));
  if (kind === "inOrg") statements.push(invokePermission({ sid, principal: { AWS: `arn:aws:iam::${rng.pick(plans).id}:root` } }));
  if (rng.chance(0.04)) {
    const open = rng.chance(0.3);
    fn.url = { authType: open ? "NONE" : "AWS_IAM", created: when(700) };
    if (open) {
      statements.push(invokePermission({ sid: "FunctionURLAllowPublicAccess", principal: "*", action: "lambda:InvokeFunctionUrl", extraCondition: { StringEquals: { "lambda:FunctionUrlAuthType": "NONE" } } }));
    }
  }
  if (statements.length) fn.resourcePolicy = statements;
  return fn;
}

// ───────────────────────────── CLI ─────────────────────────────

const USAGE = `usage: npm run gen -- --functions N --accounts A --seed S --out DIR [--force]
  --functions N   number of Lambda functions in total (1 … 1000000)
  --accounts A    number of accounts incl. the management account (1 … 1000; 1 = single-account snapshot)
  --seed S        any string; the same arguments give byte-identical output (default: 1)
  --out DIR       directory to write; must be empty or absent unless --force (which deletes it first)`;

export interface GenArgs extends GenOptions {
  out: string;
  force: boolean;
}

/** Parse and validate CLI arguments; throws an Error whose message is fit for the user. */
export function parseGenArgs(argv: string[]): GenArgs {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        functions: { type: "string" },
        accounts: { type: "string", default: "3" },
        seed: { type: "string", default: "1" },
        out: { type: "string" },
        force: { type: "boolean", default: false },
        help: { type: "boolean", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${USAGE}`);
  }
  if (values.help) throw new Error(USAGE);
  const integer = (name: string, raw: unknown, min: number, max: number) => {
    if (typeof raw !== "string" || !/^\d+$/.test(raw)) throw new Error(`--${name} must be a whole number, got ${JSON.stringify(raw ?? null)}\n${USAGE}`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`--${name} must be between ${min} and ${max}, got ${n}\n${USAGE}`);
    return n;
  };
  const functions = integer("functions", values.functions, 1, 1_000_000);
  const accounts = integer("accounts", values.accounts, 1, 1000);
  if (typeof values.out !== "string" || values.out === "") throw new Error(`--out DIR is required\n${USAGE}`);
  return { functions, accounts, seed: String(values.seed), out: values.out, force: values.force === true };
}

/** Generate and write; returns the number of files written. */
export function writeGeneratedOrganization(args: GenArgs): number {
  const out = resolve(args.out);
  if (existsSync(out) && readdirSync(out).length > 0) {
    if (!args.force) throw new Error(`${out} is not empty; pass --force to replace it`);
    clearDir(out);
  }
  return writeSnapshotFiles(renderSnapshot(generateOrganization(args)), out);
}

function main(): void {
  let args: GenArgs;
  try {
    args = parseGenArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  const started = performance.now();
  try {
    const files = writeGeneratedOrganization(args);
    console.log(`wrote ${files} files (${args.functions} functions, ${args.accounts} accounts, seed ${args.seed}) to ${resolve(args.out)} in ${Math.round(performance.now() - started)} ms`);
  } catch (e) {
    console.error((e as Error).message);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();

