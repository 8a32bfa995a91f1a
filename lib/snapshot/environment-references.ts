/**
 * Which resources an environment variable's value points at, without keeping the value.
 *
 * A value is kept only as the resource it names, and only when it is either an AWS resource
 * identifier by syntax (an ARN, an SQS queue URL, an S3 URI) or exactly the name of a resource
 * the snapshot itself contains in the function's account (a function, a role, a queue, table,
 * stream or topic an event source mapping or dead-letter target names, a KMS key). Any other
 * value, whatever its variable is called, is dropped: `DB_PASS=canary-pass-0042` must not
 * resurface as a queue ARN or a policy Sid.
 */
import crypto from "node:crypto";
import type { Account, LambdaFunction } from "@/lib/snapshot/types";

/** One part of a value that may name a resource; lives only while the snapshot is read. */
export type EnvironmentReference =
  | { kind: "arn"; arn: string }
  | { kind: "queue-url"; region: string | null; account: string; queue: string }
  | { kind: "s3-uri"; bucket: string }
  | { kind: "name"; name: string };

// arn:partition:service:region:account:resource (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html)
const ARN = /^arn:aws(?:-[a-z]+)*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:[A-Za-z0-9_+=,.@:/*?-]+$/;
// https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
const QUEUE_URL = /^https:\/\/(?:sqs\.([a-z0-9-]+)|queue)\.amazonaws\.com(?:\.cn)?\/(\d{12})\/([A-Za-z0-9_-]{1,80}(?:\.fifo)?)\/?$/;
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
const S3_URI = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/\S*)?$/;
/** The characters resource names are made of (functions, roles, queues, tables, streams, topics, key ids). */
const RESOURCE_NAME = /^[A-Za-z0-9_+=.@-]{1,255}$/;

/** The parts of a value (a list may be comma- or space-separated) that could name a resource. */
export function environmentReferences(value: string): EnvironmentReference[] {
  const references: EnvironmentReference[] = [];
  for (const part of value.split(/[\s,]+/)) {
    if (part === "") continue;
    if (ARN.test(part)) {
      references.push({ kind: "arn", arn: part });
      continue;
    }
    const queue = QUEUE_URL.exec(part);
    if (queue) {
      references.push({ kind: "queue-url", region: queue[1] ?? null, account: queue[2], queue: queue[3] });
      continue;
    }
    const s3 = S3_URI.exec(part);
    if (s3) {
      references.push({ kind: "s3-uri", bucket: s3[1] });
      continue;
    }
    if (RESOURCE_NAME.test(part)) references.push({ kind: "name", name: part });
  }
  return references;
}

/** The snapshot's own resources by name: `account|region|name` (region empty for global ones) → ARNs. */
export type ResourceInventory = ReadonlyMap<string, readonly string[]>;

const inventoryKey = (account: string, region: string, name: string) => `${account}|${region}|${name}`;

/**
 * Every resource the snapshot shows to exist, under the name a variable would hold: functions and
 * roles it lists, and the queues, tables, streams, topics and keys its functions are configured with.
 */
export function resourceInventory(accounts: readonly Account[]): ResourceInventory {
  const inventory = new Map<string, string[]>();
  const add = (account: string, region: string, name: string, arn: string) => {
    const key = inventoryKey(account, region, name);
    const arns = inventory.get(key) ?? [];
    if (!arns.includes(arn)) arns.push(arn);
    inventory.set(key, arns);
  };
  const addArn = (arn: string | null) => {
    const named = nameInArn(arn);
    if (named) add(named.account, named.region, named.name, named.arn);
  };
  for (const account of accounts) {
    for (const role of account.roles) add(account.accountId, "", role.name, role.arn);
    for (const fn of account.functions) {
      add(fn.accountId, fn.region, fn.name, fn.arn);
      addArn(fn.deadLetterTargetArn);
      addArn(fn.kmsKeyArn);
    }
    for (const mapping of account.eventSourceMappings) addArn(mapping.eventSourceArn);
  }
  return inventory;
}

/**
 * Per account, a digest of the inventory's entries under that account: all a name in the variables
 * of that account's functions is resolved against (resolveEnvironmentReferences), so equal digests
 * mean a function's resolved references are still those it was given.
 */
export function inventoryDigests(inventory: ResourceInventory): Map<string, string> {
  const byAccount = new Map<string, string[]>();
  for (const [key, arns] of inventory) {
    const account = key.slice(0, key.indexOf("|"));
    let lines = byAccount.get(account);
    if (!lines) byAccount.set(account, (lines = []));
    lines.push(`${key}\t${arns.join(" ")}`);
  }
  return new Map([...byAccount].map(([account, lines]) => [account, crypto.createHash("sha256").update(lines.sort().join("\n")).digest("hex")]));
}

/** The name and the resource's own ARN for the kinds of ARN a function's configuration holds. */
function nameInArn(arn: string | null): { account: string; region: string; name: string; arn: string } | null {
  if (!arn) return null;
  const [prefix, partition, service, region, account, ...rest] = arn.split(":");
  const resource = rest.join(":");
  if (prefix !== "arn" || !/^\d{12}$/.test(account ?? "") || !region) return null;
  const base = `arn:${partition}:${service}:${region}:${account}`;
  if (service === "sqs" || service === "sns") return resource && !resource.includes(":") ? { account, region, name: resource, arn } : null;
  // A DynamoDB stream (table/<name>/stream/<label>) shows its table exists.
  const table = service === "dynamodb" ? /^table\/([^/]+)/.exec(resource) : null;
  if (table) return { account, region, name: table[1], arn: `${base}:table/${table[1]}` };
  const stream = service === "kinesis" ? /^stream\/([^/]+)$/.exec(resource) : null;
  if (stream) return { account, region, name: stream[1], arn };
  const key = service === "kms" ? /^key\/([^/]+)$/.exec(resource) : null;
  if (key) return { account, region, name: key[1], arn };
  return null;
}

/** The ARNs a function's variable references: identifiers as the resource they name, names only when the snapshot holds them. */
export function resolveEnvironmentReferences(references: readonly EnvironmentReference[], fn: LambdaFunction, inventory: ResourceInventory): string[] {
  const partition = fn.arn.split(":")[1] || "aws";
  const arns: string[] = [];
  for (const reference of references) {
    if (reference.kind === "arn") arns.push(reference.arn);
    else if (reference.kind === "queue-url") arns.push(`arn:${partition}:sqs:${reference.region ?? fn.region}:${reference.account}:${reference.queue}`);
    else if (reference.kind === "s3-uri") arns.push(`arn:${partition}:s3:::${reference.bucket}`);
    else {
      arns.push(...(inventory.get(inventoryKey(fn.accountId, fn.region, reference.name)) ?? []));
      arns.push(...(inventory.get(inventoryKey(fn.accountId, "", reference.name)) ?? []));
    }
  }
  return [...new Set(arns)];
}
