import { describe, expect, test } from "vitest";
import type { EnvironmentVariable } from "@/lib/snapshot/types";
import { ACCOUNT, lambdaFunction, mapping } from "@/lib/analysis/test-builders";
import { referencedResources } from "./referenced-resources";

function envVar(name: string, referencedNames: string[], referencedArns: string[] = []): EnvironmentVariable {
  return { name, looksSecret: false, secretReason: null, referencedArns, referencedNames };
}

describe("referencedResources", () => {
  test("reads a bucket variable as the bucket and its objects", () => {
    // Given BUCKET_NAME=orders-bucket
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("BUCKET_NAME", ["orders-bucket"])] };

    // When references are resolved
    const arns = referencedResources(fn, []).map((r) => r.arn);

    // Then only the bucket ARNs come out, since the name says bucket
    expect(arns).toEqual(["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"]);
  });

  test("reads a table variable as the table and its indexes in the function's region and account", () => {
    // Given TABLE_NAME=Orders
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("TABLE_NAME", ["Orders"])] };

    // When references are resolved
    const arns = referencedResources(fn, []).map((r) => r.arn);

    // Then the table and its indexes come out
    expect(arns).toEqual([`arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`, `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders/index/*`]);
  });

  test("turns a queue URL into the queue ARN", () => {
    // Given a queue URL in a variable
    const url = `https://sqs.eu-west-1.amazonaws.com/${ACCOUNT}/jobs.fifo`;
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("JOBS", [url])] };

    // When references are resolved
    const arns = referencedResources(fn, []).map((r) => r.arn);

    // Then it is the queue's ARN in the URL's region
    expect(arns).toEqual([`arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs.fifo`]);
  });

  test("keeps a secret ARN as it is and marks configuration ARNs as not from the environment", () => {
    // Given a secret ARN in a variable and an SQS event source mapping
    const secret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("DB_SECRET_ARN", [], [secret])] };
    const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`;

    // When references are resolved
    const refs = referencedResources(fn, [mapping(fn.arn, queue)]);

    // Then both appear, only the secret as named by the environment
    expect(refs).toEqual([
      { arn: secret, origin: "environment variable DB_SECRET_ARN", fromEnvironment: true },
      { arn: queue, origin: "event source mapping", fromEnvironment: false },
    ]);
  });
});
