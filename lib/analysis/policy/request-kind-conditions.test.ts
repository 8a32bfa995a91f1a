/**
 * Condition keys the kind of request settles (a Lambda role session's own call): one test per
 * key, each judged by the fast path (effective permissions) and by `saltzer can` (the simulator,
 * fed by the same settlement) so both answer the same.
 */
import { describe, expect, it } from "vitest";
import { canFunction } from "./can";
import { REQUEST_KIND_KEYS, settleConditions } from "./conditions";
import { effectivePermissions } from "./effective-permissions";
import { doc, fixtureIndex, functionArnOf, roleArnOf, type RoleSpec } from "@/test/builders/evaluation-fixtures";
import { decide } from "./permission-queries";
import type { PolicyStatement } from "@/lib/snapshot/types";

const TABLE = "arn:aws:dynamodb:us-east-1:111111111111:table/orders";

/** Both paths' verdict for dynamodb:GetItem on the table, for a role holding these statements. */
async function verdicts(statements: PolicyStatement[], extra: Partial<RoleSpec> = {}, action = "dynamodb:GetItem", resource = TABLE) {
  const index = fixtureIndex({ roles: [{ name: "app", inline: [doc(...statements)], ...extra }] });
  const perms = effectivePermissions(index, roleArnOf("app"));
  const fast = decide(perms, action.toLowerCase(), resource);
  const slow = await canFunction(index, "fn-app", action, resource);
  const show = (d: { decision: string; conditional: boolean }) => (d.decision === "allowed" ? (d.conditional ? "conditional" : "allowed") : "denied");
  return { fast: show(fast), slow: show(slow) };
}

const ALLOW = { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "*" } as const;

describe("keys settled by the request kind", () => {
  it("aws:MultiFactorAuthPresent: a Deny with BoolIfExists false always applies", async () => {
    // Given an allow and a deny of sessions without MFA
    const v = await verdicts([ALLOW, { Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }]);
    // Then the function is denied, by both paths
    expect(v).toEqual({ fast: "denied", slow: "denied" });
  });

  it("aws:MultiFactorAuthPresent: an Allow requiring true never applies", async () => {
    const v = await verdicts([{ ...ALLOW, Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }]);
    expect(v).toEqual({ fast: "denied", slow: "denied" });
  });

  it("aws:MultiFactorAuthAge: absent, so NumericLessThan never holds", () => {
    expect(settleConditions({ NumericLessThan: { "aws:MultiFactorAuthAge": "3600" } }, { roleSessionOwnCall: true }).outcome).toBe("false");
  });

  for (const key of ["aws:SourceAccount", "aws:SourceArn", "aws:SourceOrgID", "aws:SourceOrgPaths"]) {
    it(`${key}: absent on the function's own call, so an Allow requiring it never applies`, async () => {
      const v = await verdicts([{ ...ALLOW, Condition: { StringLike: { [key]: "*" } } }]);
      expect(v).toEqual({ fast: "denied", slow: "denied" });
    });
  }

  it("aws:ViaAWSService: false on the function's own call", async () => {
    // Given a deny unless a service calls on the principal's behalf
    const v = await verdicts([ALLOW, { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:ViaAWSService": "false" } } }]);
    expect(v).toEqual({ fast: "denied", slow: "denied" });
  });

  it("aws:PrincipalType: AssumedRole", async () => {
    const v = await verdicts([{ ...ALLOW, Condition: { StringEquals: { "aws:PrincipalType": "AssumedRole" } } }]);
    expect(v).toEqual({ fast: "allowed", slow: "allowed" });
  });

  it("lambda:InvokedViaFunctionUrl: false on a direct Invoke", async () => {
    // Given invoke allowed only through a function URL
    const target = functionArnOf("app");
    const v = await verdicts([{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*", Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } } }], {}, "lambda:InvokeFunction", target);
    // Then a direct invoke by the function is not allowed
    expect(v).toEqual({ fast: "denied", slow: "denied" });
  });

  it("aws:PrincipalTag/<k>: the role's own tags settle the condition", async () => {
    const statements: PolicyStatement[] = [{ ...ALLOW, Condition: { StringEquals: { "aws:PrincipalTag/team": "payments" } } }];
    expect(await verdicts(statements, { tags: { team: "payments" } })).toEqual({ fast: "allowed", slow: "allowed" });
    expect(await verdicts(statements, { tags: { team: "search" } })).toEqual({ fast: "denied", slow: "denied" });
    // Tags not collected: the condition stays open
    expect(await verdicts(statements)).toEqual({ fast: "conditional", slow: "conditional" });
  });

  it("aws:PrincipalTag/<k>: ${aws:PrincipalTag/team} in a Resource resolves to the role's tag", async () => {
    const statements: PolicyStatement[] = [{ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/${aws:PrincipalTag/team}-*" }];
    const own = "arn:aws:dynamodb:us-east-1:111111111111:table/payments-orders";
    const other = "arn:aws:dynamodb:us-east-1:111111111111:table/search-orders";
    expect(await verdicts(statements, { tags: { team: "payments" } }, "dynamodb:GetItem", own)).toEqual({ fast: "allowed", slow: "allowed" });
    expect(await verdicts(statements, { tags: { team: "payments" } }, "dynamodb:GetItem", other)).toEqual({ fast: "denied", slow: "denied" });
  });

  it("aws:TokenIssueTime: a condition requiring a token issued before an earlier date never holds", async () => {
    const v = await verdicts([{ ...ALLOW, Condition: { DateLessThan: { "aws:TokenIssueTime": "2020-01-01T00:00:00Z" } } }]);
    expect(v).toEqual({ fast: "denied", slow: "denied" });
    const after = await verdicts([{ ...ALLOW, Condition: { DateGreaterThan: { "aws:TokenIssueTime": "2020-01-01T00:00:00Z" } } }]);
    expect(after).toEqual({ fast: "allowed", slow: "allowed" });
  });

  it("aws:SourceIp: IpAddress 0.0.0.0/0 matches every IPv4 address; another range stays open", async () => {
    expect(await verdicts([{ ...ALLOW, Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } }])).toEqual({ fast: "allowed", slow: "allowed" });
    expect(await verdicts([{ ...ALLOW, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }])).toEqual({ fast: "conditional", slow: "conditional" });
  });

  it("an IAM user's request settles none of them", () => {
    // Given the same MFA condition for a caller that is not a role session
    const outcome = settleConditions({ Bool: { "aws:MultiFactorAuthPresent": "true" } }, { roleSessionOwnCall: false });
    // Then it stays open
    expect(outcome.outcome).toBe("unknown");
  });

  it("every settled key carries an AWS documentation link", () => {
    for (const k of REQUEST_KIND_KEYS) expect(k.doc).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });
});
