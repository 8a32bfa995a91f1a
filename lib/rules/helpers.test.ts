import { describe, expect, it } from "vitest";
import { isBroadResource } from "./helpers";

describe("isBroadResource", () => {
  it.each([
    ["*", true],
    ["arn:aws:s3:::*", true],
    ["arn:aws:s3:::*/*", true],
    ["arn:aws:dynamodb:*:*:table/*", true],
    ["arn:aws:ssm:us-east-1:111111111111:parameter/*", true],
    ["arn:aws:kms:us-east-1:111111111111:key/*", true],
    ["arn:aws:s3:::reports/*", false],
    ["arn:aws:s3:::reports", false],
    ["arn:aws:dynamodb:us-east-1:111111111111:table/orders", false],
    ["arn:aws:ssm:us-east-1:111111111111:parameter/app/*", false],
    ["arn:aws:sqs:us-east-1:111111111111:orders", false],
    ["arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/fn:*", false],
  ])("%s → %s", (pattern, expected) => {
    // Given a resource pattern / When judged / Then broad only when it covers a whole resource type
    expect(isBroadResource(pattern)).toBe(expected);
  });
});
