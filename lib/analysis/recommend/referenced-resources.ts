/**
 * The resources a function's configuration and environment point at: the ARNs a `*` grant can
 * be narrowed to. Only hints: a resource the code reaches without naming it in its configuration
 * is invisible here, which the recommendation's notes say.
 */
import type { EventSourceMapping, LambdaFunction } from "@/lib/snapshot/types";
import { parseArn } from "@/lib/analysis/arn-match";

/** An ARN (or ARN pattern) the function's configuration references, and where it was seen. */
export interface ReferencedResource {
  arn: string;
  /** e.g. `environment variable BUCKET_NAME`, `event source mapping`, `dead-letter target`. */
  origin: string;
  /** True when an environment variable names it (the code uses it), false for configuration ARNs. */
  fromEnvironment: boolean;
}

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}(\.fifo)?$/;
const TOPIC_NAME = /^[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
const QUEUE_URL = /^https:\/\/(?:sqs\.([a-z0-9-]+)|queue)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)\/?$/;

type NameKind = "bucket" | "table" | "queue" | "topic" | "secret" | "parameter";

/** Which kinds a variable's name suggests (`ORDERS_TABLE` ⇒ table); null when it says nothing. */
function kindsHintedBy(variableName: string): NameKind[] | null {
  const n = variableName.toUpperCase();
  const kinds: NameKind[] = [];
  if (/BUCKET/.test(n)) kinds.push("bucket");
  if (/TABLE/.test(n)) kinds.push("table");
  if (/QUEUE/.test(n)) kinds.push("queue");
  if (/TOPIC/.test(n)) kinds.push("topic");
  if (/SECRET/.test(n)) kinds.push("secret");
  if (/PARAM|SSM/.test(n)) kinds.push("parameter");
  return kinds.length > 0 ? kinds : null;
}

/** The ARN patterns a plain name may stand for, in this function's partition, region and account. */
export function arnsForName(
  name: string,
  kinds: NameKind[] | null,
  where: { partition: string; region: string; account: string },
): string[] {
  const { partition: p, region: r, account: a } = where;
  const url = QUEUE_URL.exec(name);
  if (url) return [`arn:${p}:sqs:${url[1] ?? r}:${url[2]}:${url[3]}`];
  // Without a hint, a name is read as the three stores functions most often name in variables.
  const wanted = kinds ?? ["bucket", "table", "queue"];
  const arns: string[] = [];
  if (wanted.includes("bucket") && BUCKET_NAME.test(name)) arns.push(`arn:${p}:s3:::${name}`, `arn:${p}:s3:::${name}/*`);
  if (wanted.includes("table") && TABLE_NAME.test(name)) {
    arns.push(`arn:${p}:dynamodb:${r}:${a}:table/${name}`, `arn:${p}:dynamodb:${r}:${a}:table/${name}/index/*`);
  }
  if (wanted.includes("queue") && QUEUE_NAME.test(name)) arns.push(`arn:${p}:sqs:${r}:${a}:${name}`);
  if (wanted.includes("topic") && TOPIC_NAME.test(name)) arns.push(`arn:${p}:sns:${r}:${a}:${name}`);
  // Secrets Manager appends `-` and six random characters to a secret's name in its ARN.
  if (wanted.includes("secret") && /^[A-Za-z0-9/_+=.@-]{1,512}$/.test(name)) {
    arns.push(`arn:${p}:secretsmanager:${r}:${a}:secret:${name}-??????`);
  }
  if (wanted.includes("parameter") && /^\/?[A-Za-z0-9/_.-]{1,2048}$/.test(name)) {
    arns.push(`arn:${p}:ssm:${r}:${a}:parameter/${name.replace(/^\//, "")}`);
  }
  return arns;
}

/** An ARN from a value, with the patterns that go with it (a bucket's objects, a table's indexes). */
function expandArn(arn: string): string[] {
  const parsed = parseArn(arn);
  if (!parsed) return [];
  if (parsed.service === "s3" && parsed.region === "" && !parsed.resource.includes("/")) return [arn, `${arn}/*`];
  if (parsed.service === "dynamodb" && /^table\/[^/]+$/.test(parsed.resource)) return [arn, `${arn}/index/*`];
  return [arn];
}

/** Every resource the function's environment and configuration reference, deduplicated, in a stable order. */
export function referencedResources(fn: LambdaFunction, mappings: EventSourceMapping[]): ReferencedResource[] {
  const where = { partition: parseArn(fn.arn)?.partition ?? "aws", region: fn.region, account: fn.accountId };
  const found = new Map<string, string>();
  const add = (arn: string, origin: string) => {
    if (!found.has(arn)) found.set(arn, origin);
  };

  for (const variable of fn.environment) {
    const origin = `environment variable ${variable.name}`;
    for (const value of variable.referencedArns) {
      const url = QUEUE_URL.exec(value);
      if (url) for (const arn of arnsForName(value, ["queue"], where)) add(arn, origin);
      else for (const arn of expandArn(value)) add(arn, origin);
    }
    const hint = kindsHintedBy(variable.name);
    for (const name of variable.referencedNames) {
      for (const arn of arnsForName(name, hint, where)) add(arn, origin);
    }
  }
  for (const mapping of mappings) {
    if (mapping.eventSourceArn) add(mapping.eventSourceArn, "event source mapping");
  }
  if (fn.deadLetterTargetArn) add(fn.deadLetterTargetArn, "dead-letter target");
  if (fn.kmsKeyArn) add(fn.kmsKeyArn, "environment encryption key");

  return [...found.entries()]
    .map(([arn, origin]) => ({ arn, origin, fromEnvironment: origin.startsWith("environment variable") }))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}
