import { describe, expect, test } from "vitest";
import type { EnvironmentVariable } from "@/lib/snapshot/types";
import { ACCOUNT, lambdaFunction, mapping } from "@/test/builders/analysis-builders";
import { referencedResources } from "./referenced-resources";

/** A variable as the reader leaves it: the resources its value named, never the value. */
function envVar(name: string, referencedArns: string[]): EnvironmentVariable {
  return { name, looksSecret: false, secretReason: null, referencedArns };
}

describe("referencedResources", () => {
  test("reads a bucket as the bucket and its objects", () => {
    // Given a variable naming the bucket orders-bucket
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("BUCKET_NAME", ["arn:aws:s3:::orders-bucket"])] };

    // When references are resolved
    const arns = referencedResources(fn, []).map((r) => r.arn);

    // Then the bucket and its objects come out
    expect(arns).toEqual(["arn:aws:s3:::orders-bucket", "arn:aws:s3:::orders-bucket/*"]);
  });

  test("reads a table as the table and its indexes", () => {
    // Given a variable naming the table Orders
    const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("TABLE_NAME", [table])] };

    // When references are resolved
    const arns = referencedResources(fn, []).map((r) => r.arn);

    // Then the table and its indexes come out
    expect(arns).toEqual([table, `${table}/index/*`]);
  });

  test("keeps a secret ARN as it is and marks configuration ARNs as not from the environment", () => {
    // Given a secret ARN in a variable and an SQS event source mapping
    const secret = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:db-AbCdEf`;
    const fn = { ...lambdaFunction("orders", "r"), environment: [envVar("DB_SECRET_ARN", [secret])] };
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
