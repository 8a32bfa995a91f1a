import { describe, expect, test } from "vitest";
import { ACCOUNT, lambdaFunction, mapping } from "@/test/builders/analysis-builders";
import { REQUIREMENT_RULES, requiredByConfiguration } from "./required-by-config";
import { actionInfo } from "./action-catalog";

describe("requiredByConfiguration", () => {
  test("requires the documented poller actions on a mapped Kinesis stream, read through its consumer", () => {
    // Given an enhanced fan-out mapping on a stream consumer
    const fn = lambdaFunction("orders", "r");
    const stream = `arn:aws:kinesis:us-east-1:${ACCOUNT}:stream/orders`;
    const consumer = `${stream}/consumer/lambda:1700000000`;

    // When the requirements are resolved
    const { requirements } = requiredByConfiguration(fn, [mapping(fn.arn, consumer)]);

    // Then the stream actions are on the stream itself
    const kinesis = requirements.find((r) => r.sid === "ReadOrdersStream")!;
    expect(kinesis.entries).toContainEqual({ action: "kinesis:getrecords", resource: stream });
    expect(kinesis.entries).toContainEqual({ action: "kinesis:subscribetoshard", resource: `${stream}/consumer/*` });
  });

  test("lists a mapping it has no rule for as uncovered", () => {
    // Given a self-managed Kafka mapping (no ARN)
    const fn = lambdaFunction("orders", "r");
    const selfManaged = { ...mapping(fn.arn, "x"), eventSourceArn: null, uuid: "m-1" };

    // When the requirements are resolved
    const { uncovered } = requiredByConfiguration(fn, [selfManaged]);

    // Then it is named for a note
    expect(uncovered).toEqual([{ mappingUuid: "m-1", description: "a self-managed event source" }]);
  });

  test("names only actions that iam-data knows", () => {
    // Given the reviewed table
    const actions = Object.values(REQUIREMENT_RULES).flatMap((rule) => Object.keys(rule.actions));

    // When each action is looked up
    const unknown = actions.filter((a) => actionInfo(a) === null);

    // Then none is misspelled
    expect(unknown).toEqual([]);
  });
});
