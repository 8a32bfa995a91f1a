import { describe, expect, it } from "vitest";
import { settleConditions, type ConditionContext } from "./conditions";

const context: ConditionContext = {
  principalArn: "arn:aws:iam::111111111111:role/app",
  principalAccount: "111111111111",
  principalOrgId: "o-abc123",
  requestedRegion: undefined,
};

describe("settleConditions", () => {
  const table: [name: string, block: Record<string, Record<string, string | string[]>>, expected: string][] = [
    ["a matching principal account is settled true", { StringEquals: { "aws:PrincipalAccount": "111111111111" } }, "true"],
    ["another account is settled false", { StringEquals: { "aws:PrincipalAccount": "222222222222" } }, "false"],
    ["a matching org id with ArnLike-style key case is settled true", { StringEquals: { "AWS:PRINCIPALORGID": "o-abc123" } }, "true"],
    ["a principal ARN pattern is matched", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/a*" } }, "true"],
    ["a negated operator is settled", { StringNotEquals: { "aws:PrincipalOrgID": "o-abc123" } }, "false"],
    ["an unknown region stays unknown", { StringEquals: { "aws:RequestedRegion": "us-east-1" } }, "unknown"],
    ["a source IP stays unknown", { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } }, "unknown"],
    ["a policy variable is not evaluated", { StringEquals: { "aws:PrincipalAccount": "${aws:ResourceAccount}" } }, "unknown"],
  ];
  for (const [name, block, expected] of table) {
    it(name, () => {
      // Given the block and the function's context
      // When settled
      // Then the outcome is as expected
      expect(settleConditions(block, context).outcome).toBe(expected);
    });
  }

  it("drops settled conditions and keeps the rest", () => {
    // Given a block mixing a settled key and an unknown one
    const settled = settleConditions({ StringEquals: { "aws:PrincipalAccount": "111111111111", "s3:prefix": "home/" } }, context);
    // Then only the unknown key remains
    expect(settled).toEqual({ outcome: "unknown", remaining: { StringEquals: { "s3:prefix": "home/" } } });
  });

  it("treats a key known to be absent as missing (IfExists passes, positive fails)", () => {
    // Given a principal outside any organization
    const outside = { ...context, principalOrgId: null };
    // Then StringEquals fails and StringEqualsIfExists passes
    expect(settleConditions({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }, outside).outcome).toBe("false");
    expect(settleConditions({ StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc123" } }, outside).outcome).toBe("true");
  });
});
