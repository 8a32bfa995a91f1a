import { describe, expect, it } from "vitest";
import { actionMatcher, actionUniverse, expandActionPatterns, expandNotActionPatterns, loadActionUniverse } from "./action-expansion";

describe("expandActionPatterns", () => {
  it("expands a wildcard to the concrete lower-cased actions", () => {
    // Given lambda:Create*
    // When expanded
    const actions = expandActionPatterns("lambda:Create*");
    // Then it holds lambda:createfunction and no other service
    expect(actions).toContain("lambda:createfunction");
    expect(actions.every((a) => a.startsWith("lambda:create"))).toBe(true);
  });

  it("matches action names case-insensitively", () => {
    // Given a mixed-case literal
    // When expanded
    // Then it is the canonical lower-cased action
    expect(expandActionPatterns("S3:getobject")).toEqual(["s3:getobject"]);
  });

  it("keeps an unknown literal action as written, lower-cased", () => {
    // Given an action iam-data does not know
    // When expanded
    // Then it is kept so the grant is not hidden
    expect(expandActionPatterns(["s3:GetObject", "NewService:DoThing"])).toEqual(["s3:getobject", "newservice:dothing"]);
  });

  it("returns the shared universe array for `*`", () => {
    // Given `*` written twice in different lists
    // When expanded
    // Then both are the universe array itself
    expect(expandActionPatterns("*")).toBe(actionUniverse().actions);
    expect(expandActionPatterns(["s3:GetObject", "*"])).toBe(actionUniverse().actions);
  });

  it("returns one frozen array per pattern set", () => {
    // Given the same patterns in another order and case
    // When expanded
    // Then the same frozen array comes back
    const a = expandActionPatterns(["s3:Get*", "sqs:SendMessage"]);
    expect(expandActionPatterns(["SQS:SendMessage", "s3:get*"])).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });
});

describe("expandNotActionPatterns", () => {
  it("is every known action except the patterns", () => {
    // Given NotAction iam:*
    // When expanded
    const actions = expandNotActionPatterns("iam:*");
    // Then no IAM action is in it and everything else is
    expect(actions.some((a) => a.startsWith("iam:"))).toBe(false);
    expect(actions.length).toBe(actionUniverse().actions.length - expandActionPatterns("iam:*").length);
  });
});

describe("actionMatcher", () => {
  it("matches an unknown action against the written pattern", () => {
    // Given a deny on newservice:*
    // When asked about an action iam-data does not know
    // Then the written pattern decides
    expect(actionMatcher("newservice:*", false).has("newservice:dothing")).toBe(true);
    expect(actionMatcher("newservice:*", true).has("newservice:dothing")).toBe(false);
  });
});

describe("loadActionUniverse", () => {
  it("reads the same universe through iam-expand as the synchronous reader", async () => {
    // Given the synchronous universe
    const sync = [...actionUniverse().actions];
    // When iam-expand expands `*`
    const { expandIamActions } = await import("@cloud-copilot/iam-expand");
    const viaExpand = (await expandIamActions("*", { expandAsterisk: true })).map((a) => a.toLowerCase()).sort();
    // Then they are equal
    expect(viaExpand).toEqual(sync);
    expect((await loadActionUniverse()).actions.length).toBe(sync.length);
  });
});

describe("expandActionPatterns agrees with iam-expand", () => {
  // iam-expand is the maintained expander; it is asynchronous, the analysis is not, so the
  // synchronous expansion is checked against it here, as iam-simulate checks `can`. A wildcard in
  // the service prefix (`*:List*`) is left out: iam-expand returns nothing for it, while the
  // analysis matches it as a glob over the whole action — wider, so never silently safe.
  const PATTERNS = ["s3:Get*", "S3:GETOBJECT", "iam:*Policy*", "ec2:Describe?nstances", "lambda:*Function*Url*", "dynamodb:*", "sts:Assume*", "kms:Re*crypt*", "sagemaker:*Presigned*", "glue:?reate*"];

  it.each(PATTERNS)("expands %s to the same actions", async (pattern) => {
    // Given a pattern as a policy may write it
    const { expandIamActions } = await import("@cloud-copilot/iam-expand");
    // When both expand it
    const viaExpand = (await expandIamActions(pattern)).map((a) => a.toLowerCase()).sort();
    const ours = [...expandActionPatterns(pattern)];
    // Then they name the same actions (and at least one)
    expect(ours.length).toBeGreaterThan(0);
    expect(ours).toEqual(viaExpand);
  });
});
