/**
 * What a function's configuration requires of its execution role, as AWS documents it.
 * Reviewed data: each entry cites the page that lists the actions. Resources are filled from
 * the function's configuration; `*` only where the action accepts no narrower resource
 * (or AWS's own managed policy uses `*`, as for VPC network interfaces).
 */
import type { EventSourceMapping, LambdaFunction } from "@/lib/snapshot/types";
import { parseArn } from "@/lib/analysis/policy/arn-match";

/** Where a required action's resource comes from. */
type ResourceFrom =
  /** The configured ARN itself (queue, stream, key, DLQ target …). */
  | "source"
  /** Any resource: the action accepts no narrower one, or AWS's managed policy grants it on `*`. */
  | "*"
  /** A template over the function: `{partition}`, `{region}`, `{account}`, `{logGroup}`, `{source}`. */
  | { template: string };

/** One reviewed table entry. */
export interface RequirementRule {
  /** Sid stem: `{Name}` is replaced by the source resource's name in PascalCase. */
  sid: string;
  /** Why the statement is there, in the user's words; `{source}` is the configured ARN. */
  reason: string;
  /** What to tell the user when the current role lacks some of it. */
  whenMissing: string;
  /** lower-case `service:action` → where its resource comes from. */
  actions: Record<string, ResourceFrom>;
  /** The AWS documentation page listing these permissions. */
  doc: string;
}

const ENI_ACTIONS_FOR_POLLERS: Record<string, ResourceFrom> = {
  "ec2:createnetworkinterface": "*",
  "ec2:describenetworkinterfaces": "*",
  "ec2:describevpcs": "*",
  "ec2:deletenetworkinterface": "*",
  "ec2:describesubnets": "*",
  "ec2:describesecuritygroups": "*",
};

/** The reviewed table, by configuration feature. */
export const REQUIREMENT_RULES = {
  logGroup: {
    sid: "CreateOwnLogGroup",
    reason: "Lambda creates the function's log group {logGroup} on first run when it does not exist (AWSLambdaBasicExecutionRole, scoped).",
    whenMissing: "the role cannot create its own log group today",
    actions: {
      "logs:createloggroup": { template: "arn:{partition}:logs:{region}:{account}:*" },
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs",
  },
  logs: {
    sid: "WriteOwnLogs",
    reason: "Lambda writes the function's logs to its own log group {logGroup} (AWSLambdaBasicExecutionRole, scoped).",
    whenMissing: "the role cannot write its own log group today",
    actions: {
      "logs:createlogstream": { template: "arn:{partition}:logs:{region}:{account}:log-group:{logGroup}:*" },
      "logs:putlogevents": { template: "arn:{partition}:logs:{region}:{account}:log-group:{logGroup}:*" },
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs",
  },
  sqs: {
    sid: "Poll{Name}Queue",
    reason: "An event source mapping polls the SQS queue {source}.",
    whenMissing: "the role cannot poll its mapped SQS queue today",
    actions: {
      "sqs:receivemessage": "source",
      "sqs:deletemessage": "source",
      "sqs:getqueueattributes": "source",
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#events-sqs-permissions",
  },
  kinesis: {
    sid: "Read{Name}Stream",
    reason: "An event source mapping reads the Kinesis stream {source}.",
    whenMissing: "the role cannot read its mapped Kinesis stream today",
    actions: {
      "kinesis:describestream": "source",
      "kinesis:describestreamsummary": "source",
      "kinesis:getrecords": "source",
      "kinesis:getsharditerator": "source",
      "kinesis:listshards": "source",
      // ListStreams accepts no resource; SubscribeToShard is scoped to the stream's consumers.
      "kinesis:liststreams": "*",
      "kinesis:subscribetoshard": { template: "{source}/consumer/*" },
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-create.html#events-kinesis-permissions",
  },
  dynamodb: {
    sid: "Read{Name}Stream",
    reason: "An event source mapping reads the DynamoDB stream {source}.",
    whenMissing: "the role cannot read its mapped DynamoDB stream today",
    actions: {
      "dynamodb:describestream": "source",
      "dynamodb:getrecords": "source",
      "dynamodb:getsharditerator": "source",
      // ListStreams accepts no resource type in the service authorization reference.
      "dynamodb:liststreams": "*",
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html#events-dynamodb-permissions",
  },
  kafka: {
    sid: "Read{Name}Cluster",
    reason: "An event source mapping reads the Amazon MSK cluster {source} (through network interfaces in its VPC).",
    whenMissing: "the role cannot read its mapped MSK cluster today",
    actions: {
      "kafka:describecluster": "source",
      "kafka:describeclusterv2": "source",
      "kafka:getbootstrapbrokers": "*",
      ...ENI_ACTIONS_FOR_POLLERS,
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/with-msk-permissions.html",
  },
  mq: {
    sid: "Read{Name}Broker",
    reason: "An event source mapping reads the Amazon MQ broker {source} (through network interfaces in its VPC).",
    whenMissing: "the role cannot read its mapped Amazon MQ broker today",
    actions: {
      "mq:describebroker": "source",
      ...ENI_ACTIONS_FOR_POLLERS,
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/with-mq.html#events-mq-permissions",
  },
  dlqSqs: {
    sid: "SendToDeadLetterQueue",
    reason: "Failed asynchronous invocations go to the dead-letter queue {source}.",
    whenMissing: "the role cannot send to its dead-letter queue today",
    actions: { "sqs:sendmessage": "source" },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq",
  },
  dlqSns: {
    sid: "PublishToDeadLetterTopic",
    reason: "Failed asynchronous invocations go to the dead-letter topic {source}.",
    whenMissing: "the role cannot publish to its dead-letter topic today",
    actions: { "sns:publish": "source" },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html#invocation-dlq",
  },
  kms: {
    sid: "DecryptEnvironment",
    reason: "The function's environment variables are encrypted with the customer managed key {source}.",
    whenMissing: "the role cannot decrypt its environment variables today",
    actions: { "kms:decrypt": "source" },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-encryption.html",
  },
  vpc: {
    sid: "ManageVpcNetworkInterfaces",
    reason: "The function is attached to a VPC; Lambda manages its network interfaces (AWSLambdaVPCAccessExecutionRole).",
    whenMissing: "the role cannot manage the network interfaces of its VPC attachment today",
    actions: {
      "ec2:createnetworkinterface": "*",
      "ec2:describenetworkinterfaces": "*",
      "ec2:describesubnets": "*",
      "ec2:deletenetworkinterface": "*",
      "ec2:assignprivateipaddresses": "*",
      "ec2:unassignprivateipaddresses": "*",
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html#configuration-vpc-permissions",
  },
  xray: {
    sid: "WriteXRayTraces",
    reason: "Active tracing sends trace segments to X-Ray (AWSXRayDaemonWriteAccess).",
    whenMissing: "the role cannot send its X-Ray traces today",
    actions: {
      "xray:puttracesegments": "*",
      "xray:puttelemetryrecords": "*",
    },
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/services-xray.html#services-xray-permissions",
  },
} satisfies Record<string, RequirementRule>;

/** One requirement, resolved for a function: concrete (action, resource) pairs. */
export interface Requirement {
  sid: string;
  reason: string;
  whenMissing: string;
  doc: string;
  /** lower-case action → resource (ARN or pattern). */
  entries: { action: string; resource: string }[];
}

/** Event sources this table does not cover, explained in a note. */
export interface UncoveredSource {
  mappingUuid: string;
  description: string;
}

/** What the function's configuration requires of its role, resolved to concrete resources. */
export function requiredByConfiguration(
  fn: LambdaFunction,
  mappings: EventSourceMapping[],
): { requirements: Requirement[]; uncovered: UncoveredSource[] } {
  const partition = parseArn(fn.arn)?.partition ?? "aws";
  const requirements: Requirement[] = [];
  const uncovered: UncoveredSource[] = [];

  const add = (rule: RequirementRule, source: string | null) => {
    const vars: Record<string, string> = {
      partition,
      region: fn.region,
      account: fn.accountId,
      logGroup: fn.logGroup,
      source: source ?? "",
    };
    const fill = (t: string) => t.replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
    const entries = Object.entries(rule.actions).map(([action, from]) => ({
      action,
      resource: from === "source" ? (source ?? "*") : from === "*" ? "*" : fill(from.template),
    }));
    requirements.push({
      // `orders-queue` in `Poll{Name}Queue` reads `PollOrdersQueue`, not `PollOrdersQueueQueue`.
      sid: rule.sid.replace("{Name}", source ? pascalName(source) : "").replace(/(Queue|Stream|Cluster|Broker)\1$/, "$1"),
      reason: fill(rule.reason),
      whenMissing: rule.whenMissing,
      doc: rule.doc,
      entries,
    });
  };

  add(REQUIREMENT_RULES.logGroup, null);
  add(REQUIREMENT_RULES.logs, null);

  for (const mapping of [...mappings].sort((a, b) => a.uuid.localeCompare(b.uuid))) {
    const arn = mapping.eventSourceArn;
    const service = arn ? parseArn(arn)?.service : null;
    if (arn && service === "sqs") add(REQUIREMENT_RULES.sqs, arn);
    else if (arn && service === "kinesis") add(REQUIREMENT_RULES.kinesis, streamArnOf(arn));
    else if (arn && service === "dynamodb") add(REQUIREMENT_RULES.dynamodb, arn);
    else if (arn && service === "kafka") add(REQUIREMENT_RULES.kafka, arn);
    else if (arn && service === "mq") add(REQUIREMENT_RULES.mq, arn);
    else {
      uncovered.push({
        mappingUuid: mapping.uuid,
        description: arn ?? "a self-managed event source",
      });
    }
  }

  if (fn.deadLetterTargetArn) {
    const service = parseArn(fn.deadLetterTargetArn)?.service;
    if (service === "sqs") add(REQUIREMENT_RULES.dlqSqs, fn.deadLetterTargetArn);
    else if (service === "sns") add(REQUIREMENT_RULES.dlqSns, fn.deadLetterTargetArn);
  }
  if (fn.kmsKeyArn) add(REQUIREMENT_RULES.kms, fn.kmsKeyArn);
  if (fn.vpc && fn.vpc.subnetIds.length > 0) add(REQUIREMENT_RULES.vpc, null);
  if (fn.tracingMode === "Active") add(REQUIREMENT_RULES.xray, null);

  return { requirements, uncovered };
}

/** An enhanced fan-out mapping names the consumer; the stream actions need the stream itself. */
function streamArnOf(arn: string): string {
  const i = arn.indexOf("/consumer/");
  return i >= 0 ? arn.slice(0, i) : arn;
}

/** `arn:aws:sqs:…:orders-queue` → `OrdersQueue`; used in Sids (IAM allows only [A-Za-z0-9]). */
export function pascalName(arn: string): string {
  const parsed = parseArn(arn);
  let name = parsed ? parsed.resource : arn;
  if (parsed?.service === "dynamodb") name = name.replace(/^table\//, "").replace(/\/stream\/.*$/, "");
  else if (parsed?.service === "kinesis") name = name.replace(/^stream\//, "");
  else if (parsed?.service === "kafka" || parsed?.service === "mq") name = name.split(/[/:]/)[1] ?? name;
  else name = name.split(/[/:]/).filter((p) => p && p !== "*").slice(-1)[0] ?? name;
  const words = name.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join("");
  return pascal.slice(0, 60);
}
