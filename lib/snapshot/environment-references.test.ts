import { describe, expect, it } from "vitest";
import type { Account, LambdaFunction } from "@/lib/snapshot/types";
import { testFunction } from "@/lib/snapshot/test-functions";
import { environmentReferences, resolveEnvironmentReferences, resourceInventory } from "@/lib/snapshot/environment-references";

const PROD = "222222222222";
const DEV = "333333333333";

function account(accountId: string, functions: LambdaFunction[], eventSourceArns: string[] = []): Account {
  return {
    accountId,
    name: null,
    regions: ["us-east-1"],
    roles: [],
    users: [],
    groups: [],
    managedPolicies: [],
    functions,
    eventSourceMappings: eventSourceArns.map((arn, i) => ({ uuid: `m-${i}`, accountId, region: "us-east-1", functionArn: functions[0].arn, eventSourceArn: arn, state: null, batchSize: null, selfManagedEventSource: null })),
    lastAccessed: {},
  };
}

/** The ARNs `value` stands for in `fn`, given the snapshot's accounts. */
function resolve(value: string, fn: LambdaFunction, accounts: Account[]): string[] {
  return resolveEnvironmentReferences(environmentReferences(value), fn, resourceInventory(accounts));
}

describe("environment references", () => {
  it("match a name only against resources of the function's own account", () => {
    // Given a queue named `jobs` that only the dev account's mapping shows
    const prodFn = testFunction({ name: "api", accountId: PROD });
    const devFn = testFunction({ name: "worker", accountId: DEV });
    const accounts = [account(PROD, [prodFn]), account(DEV, [devFn], [`arn:aws:sqs:us-east-1:${DEV}:jobs`])];

    // When `jobs` is resolved for each function / Then only the dev function gets the queue
    expect(resolve("jobs", prodFn, accounts)).toEqual([]);
    expect(resolve("jobs", devFn, accounts)).toEqual([`arn:aws:sqs:us-east-1:${DEV}:jobs`]);
  });

  it("match a function's name only in its region", () => {
    // Given the function `resizer` in eu-west-1 only
    const caller = testFunction({ name: "api" });
    const resizer = testFunction({ name: "resizer", region: "eu-west-1" });
    const accounts = [account(PROD, [caller, resizer])];

    // When a us-east-1 function names it / Then nothing is kept
    expect(resolve("resizer", caller, accounts)).toEqual([]);
  });

  it("read tables, streams, topics and keys from the configuration that shows they exist", () => {
    // Given a table stream and a Kinesis stream as event sources, an SNS dead-letter topic and a KMS key
    const fn = testFunction({ name: "api", deadLetterTargetArn: `arn:aws:sns:us-east-1:${PROD}:failures`, kmsKeyArn: `arn:aws:kms:us-east-1:${PROD}:key/1234abcd-12ab-34cd-56ef-1234567890ab` });
    const accounts = [account(PROD, [fn], [`arn:aws:dynamodb:us-east-1:${PROD}:table/orders/stream/2024-01-01T00:00:00.000`, `arn:aws:kinesis:us-east-1:${PROD}:stream/clicks`])];

    // When their names are resolved / Then each is its resource's ARN (the table's, not the stream's)
    expect(resolve("orders, clicks failures", fn, accounts)).toEqual([
      `arn:aws:dynamodb:us-east-1:${PROD}:table/orders`,
      `arn:aws:kinesis:us-east-1:${PROD}:stream/clicks`,
      `arn:aws:sns:us-east-1:${PROD}:failures`,
    ]);
    expect(resolve("1234abcd-12ab-34cd-56ef-1234567890ab", fn, accounts)).toEqual([fn.kmsKeyArn]);
  });

  it("keep identifiers as the resource they name, in the function's partition", () => {
    // Given a function in aws-cn and an S3 URI with a key prefix and a queue URL
    const fn = testFunction({ name: "api", arn: `arn:aws-cn:lambda:cn-north-1:${PROD}:function:api`, region: "cn-north-1" });

    // When resolved / Then the bucket (without the prefix) and the queue come out as ARNs
    expect(resolve(`s3://exports/2024/private-prefix/ https://sqs.cn-north-1.amazonaws.com.cn/${PROD}/jobs`, fn, [account(PROD, [fn])])).toEqual([
      "arn:aws-cn:s3:::exports",
      `arn:aws-cn:sqs:cn-north-1:${PROD}:jobs`,
    ]);
  });
});
