/** Test helper: a plain Lambda function record with ordinary defaults, for any layer's tests. */
import type { LambdaFunction } from "./types";

export function testFunction(overrides: Partial<LambdaFunction> & { name: string }): LambdaFunction {
  const accountId = overrides.accountId ?? "222222222222";
  const region = overrides.region ?? "us-east-1";
  return {
    arn: `arn:aws:lambda:${region}:${accountId}:function:${overrides.name}`,
    accountId,
    region,
    runtime: "nodejs20.x",
    roleArn: `arn:aws:iam::${accountId}:role/app-role`,
    handler: "index.handler",
    packageType: "Zip",
    memorySize: 128,
    timeout: 3,
    lastModified: null,
    architectures: ["x86_64"],
    environment: [],
    layers: [],
    vpc: null,
    deadLetterTargetArn: null,
    kmsKeyArn: null,
    tracingMode: null,
    logGroup: `/aws/lambda/${overrides.name}`,
    resourcePolicy: null,
    urls: [],
    ...overrides,
  };
}
