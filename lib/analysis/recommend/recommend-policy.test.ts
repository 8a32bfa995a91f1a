import { describe, expect, test } from "vitest";
import fc from "fast-check";
import type { EnvironmentVariable, LambdaFunction, PolicyStatement, ServiceLastAccessed } from "@/lib/snapshot/types";
import type { EffectivePermissions, Grant } from "@/lib/analysis/types";
import { decide } from "@/lib/analysis/policy/permission-queries";
import { ACCOUNT, grant, lambdaFunction, mapping, perms, role, snapshotIndex, statementRef } from "@/test/builders/analysis-builders";
import { recommendRolePolicy, usageClassifier } from "./recommend-policy";
import { serviceActionNames } from "./action-catalog";

const LOGS = ["logs:createloggroup", "logs:createlogstream", "logs:putlogevents"];
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-queue`;

/** A variable as the reader leaves it: the resources its value named, never the value. */
function envVar(name: string, referencedArns: string[]): EnvironmentVariable {
  return { name, looksSecret: false, secretReason: null, referencedArns };
}
const BUCKET_ARN = "arn:aws:s3:::orders-bucket";
const TABLE_ARN = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`;

function ordersFunction(patch: Partial<LambdaFunction> = {}): LambdaFunction {
  return { ...lambdaFunction("orders", "orders-role"), ...patch };
}

function recommend(
  fn: LambdaFunction,
  grants: Grant[],
  opts: { lastAccessed?: ServiceLastAccessed[] | null; mappings?: ReturnType<typeof mapping>[] } = {},
) {
  const index = snapshotIndex({ roles: [role("orders-role")], functions: [fn], mappings: opts.mappings ?? [] });
  return recommendRolePolicy({ index, roleArn: fn.roleArn, functions: [{ fn, mappings: opts.mappings ?? [] }], perms: perms(fn.roleArn, grants), lastAccessed: opts.lastAccessed ?? null });
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Every (action, resource) pair the Allow statements grant, actions lower-cased. */
function allowedPairs(statements: PolicyStatement[]): { action: string; resource: string; statement: PolicyStatement }[] {
  return statements
    .filter((s) => s.Effect === "Allow")
    .flatMap((s) => list(s.Action).flatMap((a) => list(s.Resource).map((r) => ({ action: a.toLowerCase(), resource: r, statement: s }))));
}

function used(service: string, trackedActions: ServiceLastAccessed["trackedActions"] = null): ServiceLastAccessed {
  return { serviceNamespace: service, serviceName: null, lastAuthenticated: "2025-05-01T00:00:00Z", trackedActions };
}

function neverUsed(service: string): ServiceLastAccessed {
  return { serviceNamespace: service, serviceName: null, lastAuthenticated: null, trackedActions: null };
}

describe("recommendPolicy", () => {
  test("scopes an S3 full-access grant to the bucket its environment names", () => {
    // Given a function with s3:* on * and BUCKET_NAME=orders-bucket
    const fn = ordersFunction({ environment: [envVar("BUCKET_NAME", [BUCKET_ARN])] });

    // When the policy is recommended
    const result = recommend(fn, [grant(serviceActionNames("s3")), grant(LOGS, ["arn:aws:logs:*:*:*"])]);

    // Then every S3 statement is on that bucket or its objects, reads and writes included
    const s3 = allowedPairs(result.document.Statement).filter((p) => p.action.startsWith("s3:"));
    expect(new Set(s3.map((p) => p.resource))).toEqual(new Set(["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"]));
    expect(s3).toContainEqual(expect.objectContaining({ action: "s3:getobject", resource: "arn:aws:s3:::orders-bucket/*" }));
    expect(s3).toContainEqual(expect.objectContaining({ action: "s3:listbucket", resource: "arn:aws:s3:::orders-bucket" }));
  });

  test("keeps exactly the SQS poller actions on the mapped queue", () => {
    // Given an SQS-mapped function whose role holds sqs:* on * and no usage data
    const fn = ordersFunction();
    const mappings = [mapping(fn.arn, QUEUE)];

    // When the policy is recommended
    const result = recommend(fn, [grant(serviceActionNames("sqs")), grant(LOGS)], { mappings });

    // Then the only SQS statement is the poller's three actions on that queue
    const sqs = result.document.Statement.filter((s) => list(s.Action).some((a) => a.startsWith("sqs:")));
    expect(sqs).toEqual([
      { Sid: "PollOrdersQueue", Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"], Resource: QUEUE },
    ]);
  });

  test("drops the actions of services the usage data shows were never used", () => {
    // Given grants on S3 and DynamoDB, and usage data where only S3 was used
    const fn = ordersFunction();
    const grants = [grant(serviceActionNames("s3")), grant(serviceActionNames("dynamodb")), grant(LOGS)];

    // When the policy is recommended
    const result = recommend(fn, grants, { lastAccessed: [used("s3"), neverUsed("dynamodb"), used("logs")] });

    // Then no DynamoDB action remains, and a note says why
    expect(allowedPairs(result.document.Statement).some((p) => p.action.startsWith("dynamodb:"))).toBe(false);
    expect(result.removedActions).toContain("dynamodb:GetItem");
    expect(result.notes.some((n) => /^Dropped [\d,]+ actions of 1 service never used in the tracking period \(dynamodb\)/.test(n))).toBe(true);
    expect(result.confidence).toBe("usage-data");
  });

  test("keeps untracked S3 object actions of a used service and drops tracked ones never used", () => {
    // Given S3 used, with action-level data tracking CreateBucket (never used) but not the object actions
    const fn = ordersFunction({ environment: [envVar("BUCKET_NAME", [BUCKET_ARN])] });
    const lastAccessed = [used("s3", [{ actionName: "CreateBucket", lastAccessedTime: null }])];

    // When the policy is recommended
    const result = recommend(fn, [grant(["s3:getobject", "s3:putobject", "s3:createbucket"])], { lastAccessed });

    // Then GetObject and PutObject stay, scoped to the bucket's objects, and CreateBucket goes
    const pairs = allowedPairs(result.document.Statement).filter((p) => p.action.startsWith("s3:"));
    expect(pairs.map((p) => [p.action, p.resource])).toEqual([
      ["s3:getobject", "arn:aws:s3:::orders-bucket/*"],
      ["s3:putobject", "arn:aws:s3:::orders-bucket/*"],
    ]);
    expect(result.removedActions).toEqual(["s3:CreateBucket"]);
  });

  test("does not add logging the role lacks, and says so", () => {
    // Given a role with S3 access and no CloudWatch Logs permission
    const fn = ordersFunction();

    // When the policy is recommended
    const result = recommend(fn, [grant(["s3:getobject"])], { lastAccessed: [used("s3")] });

    // Then no logs action is granted, and a note tells what to add
    expect(allowedPairs(result.document.Statement).some((p) => p.action.startsWith("logs:"))).toBe(false);
    expect(result.notes.some((n) => n.startsWith("The role cannot write its own log group today; add logs:CreateLogStream, logs:PutLogEvents on"))).toBe(true);
  });

  test("scopes the role's logging to the function's own log group", () => {
    // Given a role allowed to write any log group
    const fn = ordersFunction();

    // When the policy is recommended
    const result = recommend(fn, [grant(LOGS, ["arn:aws:logs:*:*:*"])]);

    // Then logging is scoped as AWSLambdaBasicExecutionRole, to the function's own group
    expect(result.document.Statement.slice(0, 2)).toEqual([
      { Sid: "CreateOwnLogGroup", Effect: "Allow", Action: "logs:CreateLogGroup", Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:*` },
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/orders:*`,
      },
    ]);
  });

  test("adds X-Ray, VPC, KMS and dead-letter permissions the configuration requires", () => {
    // Given a traced, VPC-attached function with a KMS key and an SQS DLQ, and a role allowing everything needed
    const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234`;
    const dlq = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq`;
    const fn = ordersFunction({
      tracingMode: "Active",
      vpc: { subnetIds: ["subnet-1"], securityGroupIds: ["sg-1"], vpcId: "vpc-1" },
      kmsKeyArn: key,
      deadLetterTargetArn: dlq,
    });
    const grants = [
      grant(["xray:puttracesegments", "xray:puttelemetryrecords", "kms:decrypt", "sqs:sendmessage"]),
      grant(["ec2:createnetworkinterface", "ec2:describenetworkinterfaces", "ec2:describesubnets", "ec2:deletenetworkinterface", "ec2:assignprivateipaddresses", "ec2:unassignprivateipaddresses"]),
    ];

    // When the policy is recommended
    const result = recommend(fn, grants);

    // Then each requirement is its own statement, on the configured resource
    const bySid = Object.fromEntries(result.document.Statement.map((s) => [s.Sid, s]));
    expect(bySid.WriteXRayTraces).toMatchObject({ Action: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"], Resource: "*" });
    expect(bySid.DecryptEnvironment).toMatchObject({ Action: "kms:Decrypt", Resource: key });
    expect(bySid.SendToDeadLetterQueue).toMatchObject({ Action: "sqs:SendMessage", Resource: dlq });
    expect(list(bySid.ManageVpcNetworkInterfaces.Action)).toHaveLength(6);
  });

  test("keeps a conditional grant conditional", () => {
    // Given a used DynamoDB grant allowed only from a VPC endpoint
    const fn = ordersFunction({ environment: [envVar("TABLE_NAME", [TABLE_ARN])] });
    const conditions = { StringEquals: { "aws:SourceVpce": "vpce-1" } };

    // When the policy is recommended
    const result = recommend(fn, [grant(["dynamodb:getitem"], ["*"], { conditions })], { lastAccessed: [used("dynamodb")] });

    // Then the statement scoped to the table carries the same condition
    expect(result.document.Statement).toContainEqual({
      Sid: "ReadOrdersTable",
      Effect: "Allow",
      Action: "dynamodb:GetItem",
      Resource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
      Condition: conditions,
    });
  });

  test("carries an explicit deny of the role's own policies that narrows a kept grant", () => {
    // Given s3:GetObject on * except a deny on the bucket's secret prefix
    const fn = ordersFunction({ environment: [envVar("BUCKET_NAME", [BUCKET_ARN])] });
    const deny = statementRef("app", 1, "NoSecrets");
    const g = grant(["s3:getobject"], ["*"], {
      limits: [{ by: deny, kind: "deny-resources", actions: null, resources: ["arn:aws:s3:::orders-bucket/secret/*"], conditions: null }],
    });

    // When the policy is recommended
    const result = recommend(fn, [g], { lastAccessed: [used("s3")] });

    // Then the deny travels with the narrowed grant
    expect(result.document.Statement).toContainEqual({
      Sid: "KeepDenyNoSecrets",
      Effect: "Deny",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::orders-bucket/secret/*",
    });
  });

  test("keeps a used action on its current resource when nothing narrows it", () => {
    // Given a used DynamoDB grant on * and no table named anywhere
    const fn = ordersFunction();

    // When the policy is recommended
    const result = recommend(fn, [grant(["dynamodb:getitem"])], { lastAccessed: [used("dynamodb")] });

    // Then it stays on *, without an invented resource
    expect(result.document.Statement).toContainEqual({ Sid: "ReadDynamodb", Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" });
  });

  test("without usage data, drops what the configuration neither requires nor references", () => {
    // Given a role with DynamoDB access and a function naming no table
    const fn = ordersFunction();

    // When the policy is recommended without last-accessed data
    const result = recommend(fn, [grant(["dynamodb:getitem"]), grant(LOGS)]);

    // Then DynamoDB is dropped and the confidence says configuration only
    expect(result.removedActions).toEqual(["dynamodb:GetItem"]);
    expect(result.confidence).toBe("configuration-only");
  });

  test("gives the same output for the same input, whatever the grant order", () => {
    // Given the same grants in two orders
    const fn = ordersFunction({ environment: [envVar("BUCKET_NAME", [BUCKET_ARN]), envVar("TABLE_NAME", [TABLE_ARN])] });
    const grants = [grant(serviceActionNames("s3")), grant(["dynamodb:getitem", "dynamodb:query"]), grant(LOGS)];
    const lastAccessed = [used("s3"), used("dynamodb"), used("logs")];

    // When each is recommended
    const a = recommend(fn, grants, { lastAccessed });
    const b = recommend(fn, [...grants].reverse(), { lastAccessed });

    // Then the documents, notes and removed actions are identical
    expect(JSON.stringify(b.document)).toBe(JSON.stringify(a.document));
    expect(b.notes).toEqual(a.notes);
    expect(b.removedActions).toEqual(a.removedActions);
  });

  test("diffs the role's combined current policy against the recommendation", () => {
    // Given a role whose inline policy allows s3:* on *
    const fn = ordersFunction({ environment: [envVar("BUCKET_NAME", [BUCKET_ARN])] });
    const r = role("orders-role");
    r.inlinePolicies = [{ name: "app", document: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] } }];
    const index = snapshotIndex({ roles: [r], functions: [fn] });

    // When the policy is recommended
    const result = recommendRolePolicy({ index, roleArn: fn.roleArn, functions: [{ fn, mappings: [] }], perms: perms(fn.roleArn, [grant(["s3:getobject"])]), lastAccessed: [used("s3")] });

    // Then the diff removes the wildcard and adds the scoped statement
    expect(result.diff).toContain("--- current (role orders-role: 1 policy)\n+++ recommended\n");
    expect(result.diff).toContain('-      "Action": "s3:*",');
    expect(result.diff).toContain('+      "Resource": "arn:aws:s3:::orders-bucket/*"');
  });
});

describe("usageClassifier", () => {
  test("counts an untracked action of a used service as possibly used", () => {
    // Given S3 used, with action-level data that does not track GetObject
    const classify = usageClassifier([used("s3", [{ actionName: "CreateBucket", lastAccessedTime: null }])]);

    // When GetObject is classified
    // Then it is used as far as the service goes (AWS does not track it)
    expect(classify("s3:getobject")).toBe("service-used");
  });

  test("reads a service absent from the data as unknown", () => {
    // Given data about S3 only
    const classify = usageClassifier([used("s3")]);

    // When a DynamoDB action is classified
    // Then nothing is known about it
    expect(classify("dynamodb:getitem")).toBe("unknown");
  });
});

// ------------------------------------------------------------------ the never-more property

const RESOURCE_POOL = [
  "*",
  "arn:aws:s3:::orders-bucket",
  "arn:aws:s3:::orders-bucket/*",
  "arn:aws:s3:::orders-*",
  "arn:aws:s3:::other-bucket/*",
  `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`,
  `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/*`,
  QUEUE,
  `arn:aws:sqs:us-east-1:${ACCOUNT}:*`,
  `arn:aws:logs:us-east-1:${ACCOUNT}:*`,
  `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/orders:*`,
  `arn:aws:kms:us-east-1:${ACCOUNT}:key/*`,
];
const ACTION_POOL = [
  "s3:getobject",
  "s3:putobject",
  "s3:listbucket",
  "s3:createbucket",
  "s3:listallmybuckets",
  "dynamodb:getitem",
  "dynamodb:query",
  "sqs:receivemessage",
  "sqs:deletemessage",
  "sqs:getqueueattributes",
  "sqs:sendmessage",
  "kms:decrypt",
  "xray:puttracesegments",
  ...LOGS,
];

const grantArb: fc.Arbitrary<Grant> = fc
  .record({
    actions: fc.subarray(ACTION_POOL, { minLength: 1 }),
    resources: fc.subarray(RESOURCE_POOL, { minLength: 1 }),
    notResource: fc.boolean(),
    conditional: fc.boolean(),
    denied: fc.option(fc.constantFrom(...RESOURCE_POOL.filter((r) => r !== "*")), { nil: null }),
    boundary: fc.option(fc.constantFrom(...RESOURCE_POOL.filter((r) => r !== "*")), { nil: null }),
  })
  .map(({ actions, resources, notResource, conditional, denied, boundary }) =>
    grant(actions, resources, {
      notResources: notResource ? resources.slice(0, 1).filter((r) => r !== "*") : undefined,
      conditions: conditional ? { Bool: { "aws:SecureTransport": "true" } } : undefined,
      limits: [
        ...(denied ? [{ by: statementRef("app", 9, "Deny"), kind: "deny-resources" as const, actions: null, resources: [denied], conditions: null }] : []),
        ...(boundary
          ? [{ by: { ...statementRef("boundary", 0), kind: "boundary" as const }, kind: "boundary-resources" as const, actions: null, resources: [boundary], conditions: null }]
          : []),
      ],
    }),
  );

const usageArb: fc.Arbitrary<ServiceLastAccessed[] | null> = fc.option(
  fc.subarray(["s3", "dynamodb", "sqs", "logs", "kms", "xray"]).chain((services) =>
    fc.tuple(...services.map((s) => fc.tuple(fc.constant(s), fc.boolean(), fc.boolean()))).map((rows) =>
      rows.map(([s, wasUsed, tracked]) => ({
        serviceNamespace: s,
        serviceName: null,
        lastAuthenticated: wasUsed ? "2025-05-01T00:00:00Z" : null,
        trackedActions: tracked ? [{ actionName: "CreateBucket", lastAccessedTime: null }, { actionName: "ListBucket", lastAccessedTime: "2025-05-01T00:00:00Z" }] : null,
      })),
    ),
  ),
  { nil: null },
);

const functionArb: fc.Arbitrary<{ fn: LambdaFunction; queue: boolean }> = fc
  .record({
    bucket: fc.boolean(),
    table: fc.boolean(),
    kms: fc.boolean(),
    dlq: fc.boolean(),
    tracing: fc.boolean(),
    vpc: fc.boolean(),
    queue: fc.boolean(),
  })
  .map((c) => ({
    queue: c.queue,
    fn: ordersFunction({
      environment: [
        ...(c.bucket ? [envVar("BUCKET_NAME", [BUCKET_ARN])] : []),
        ...(c.table ? [envVar("TABLE_NAME", [TABLE_ARN])] : []),
      ],
      kmsKeyArn: c.kms ? `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234` : null,
      deadLetterTargetArn: c.dlq ? `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-dlq` : null,
      tracingMode: c.tracing ? "Active" : null,
      vpc: c.vpc ? { subnetIds: ["subnet-1"], securityGroupIds: [], vpcId: "vpc-1" } : null,
    }),
  }));

/** A concrete resource a pattern stands for. */
function instanceOf(pattern: string): string {
  return pattern === "*" ? `arn:aws:s3:::some-bucket/x` : pattern.replace(/\*/g, "x").replace(/\?/g, "x");
}

function isAllowedToday(p: EffectivePermissions, action: string, resource: string, denies: PolicyStatement[]): boolean {
  // A carried Deny statement removes the resources it names, as it does today.
  const deniedByCarried = denies.some((d) => list(d.Action).some((a) => a.toLowerCase() === action) && list(d.Resource).some((r) => r === resource || (r.includes("*") && new RegExp(`^${r.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(resource))));
  return deniedByCarried || decide(p, action, resource).decision === "allowed";
}

describe("recommendPolicy never grants more than the role allows today", () => {
  test("every (action, resource) it allows is allowed by the current permissions", () => {
    fc.assert(
      fc.property(fc.array(grantArb, { minLength: 1, maxLength: 5 }), usageArb, functionArb, (grants, lastAccessed, { fn, queue }) => {
        // Given random grants, usage data and configuration
        const p = perms(fn.roleArn, grants);
        const mappings = queue ? [mapping(fn.arn, QUEUE)] : [];
        const index = snapshotIndex({ roles: [role("orders-role")], functions: [fn], mappings });

        // When the policy is recommended
        const result = recommendRolePolicy({ index, roleArn: fn.roleArn, functions: [{ fn, mappings }], perms: p, lastAccessed });

        // Then each allowed pair, pattern and concrete instance alike, is allowed today, and a pair allowed
        // only conditionally today is conditional in the recommendation
        const denies = result.document.Statement.filter((s) => s.Effect === "Deny");
        for (const { action, resource, statement } of allowedPairs(result.document.Statement)) {
          expect(decide(p, action, resource).decision, `${action} on ${resource}`).toBe("allowed");
          expect(isAllowedToday(p, action, instanceOf(resource), denies), `${action} on ${instanceOf(resource)}`).toBe(true);
          if (decide(p, action, resource).conditional && statement.Condition === undefined) {
            // Conditional only through a boundary limit? The boundary stays in force; otherwise it must carry a condition.
            const unconditionalGrant = p.grants.some((g) => g.conditions === null && g.actions.includes(action));
            expect(unconditionalGrant, `${action} on ${resource} lost its condition`).toBe(true);
          }
        }
        for (const s of result.document.Statement.filter((st) => st.Effect === "Allow" && st.NotResource !== undefined)) {
          for (const action of list(s.Action)) {
            expect(decide(p, action, "arn:aws:s3:::some-bucket/x").decision === "allowed" || list(s.NotResource).some((r) => instanceOf(r) === "arn:aws:s3:::some-bucket/x")).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
