/** `saltzer can`: action case, resource `*` answered per resource, and explanations naming both sides. */
import { describe, expect, it } from "vitest";
import { decideCan, formatCan } from "@/cli/can-command";
import { canFunction } from "./can";
import { ACCOUNT_ID, doc, FULL_AWS_ACCESS, managed, scp, type FixtureSpec } from "@/test/builders/evaluation-fixtures";
import { fixtureIndex } from "@/test/builders/evaluation-fixtures";
import type { Snapshot } from "@/lib/snapshot/types";

/** The fixture as a snapshot (decideCan indexes it itself). */
function snapshotOf(spec: FixtureSpec): Snapshot {
  return fixtureIndex(spec).snapshot;
}

describe("saltzer can", () => {
  const spec: FixtureSpec = {
    roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: ["s3:GetObject", "dynamodb:GetItem"], Resource: "*" })] }],
  };

  it("takes action names in any case and answers with IAM's spelling", async () => {
    // Given a role allowed s3:GetObject and dynamodb:GetItem
    const index = fixtureIndex(spec);
    // When asked with shouting or lower-case action names
    const s3 = await canFunction(index, "fn-app", "S3:GETOBJECT", "arn:aws:s3:::data/key");
    const ddb = await canFunction(index, "fn-app", "DynamoDB:getitem", `arn:aws:dynamodb:us-east-1:${ACCOUNT_ID}:table/t`);
    // Then both are allowed
    expect(s3.decision).toBe("allowed");
    expect(ddb.decision).toBe("allowed");
  });

  it("rejects an action IAM does not have", async () => {
    await expect(canFunction(fixtureIndex(spec), "fn-app", "s3:GetObjekt", "*")).rejects.toThrow(/not a known IAM action/);
  });

  it("with resource *, a grant on one role answers 'allowed on that role only'", async () => {
    // Given PassRole on one named role
    const snapshot = snapshotOf({ roles: [{ name: "app", inline: [doc({ Sid: "PassX", Effect: "Allow", Action: "iam:PassRole", Resource: `arn:aws:iam::${ACCOUNT_ID}:role/x` })] }] });
    // When asked about every resource
    const answer = await decideCan(snapshot, "fn-app", "iam:passrole", "*", {});
    // Then the answer names the role, and says it is that role only
    expect(answer.scope).toBe("some resources only");
    expect(answer.summary).toBe(`Allowed on arn:aws:iam::${ACCOUNT_ID}:role/x only (not on every resource).`);
    expect(formatCan(answer)).toContain("ALLOWED on some resources only");
  });

  it("with resource *, a grant on * answers 'on every resource'", async () => {
    const answer = await decideCan(snapshotOf(spec), "fn-app", "s3:GetObject", "*", {});
    expect(answer.scope).toBe("every resource");
  });

  it("names both the allowing inline statement and the denying boundary", async () => {
    // Given an inline allow that the boundary does not allow
    const index = fixtureIndex({
      roles: [{ name: "app", inline: [doc({ Sid: "AllowSqs", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" })], boundary: managed("S3Only", doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })) }],
    });
    // When asked
    const decision = await canFunction(index, "fn-app", "sqs:SendMessage", `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:q`);
    // Then it is denied by the boundary, and the inline statement is named as allowing it
    expect(decision.decision).toBe("denied");
    expect(decision.deniedBy.map((d) => d.reason)).toContain("boundary-not-allowed");
    expect(decision.allowedBy.map((a) => a.ref.sid)).toEqual(["AllowSqs"]);
    expect(decision.summary).toContain("allows it, but the request is denied");
  });

  it("names both the allowing inline statement and the denying SCP statement", async () => {
    const deny = scp("DenySqs", doc({ Sid: "NoSqs", Effect: "Deny", Action: "sqs:*", Resource: "*" }));
    const index = fixtureIndex({
      roles: [{ name: "app", inline: [doc({ Sid: "AllowSqs", Effect: "Allow", Action: "sqs:SendMessage", Resource: "*" })] }],
      scps: { root: [FULL_AWS_ACCESS], ou: [FULL_AWS_ACCESS, deny], account: [FULL_AWS_ACCESS] },
    });
    const decision = await canFunction(index, "fn-app", "sqs:SendMessage", `arn:aws:sqs:us-east-1:${ACCOUNT_ID}:q`);
    expect(decision.deniedBy.map((d) => d.ref?.sid)).toContain("NoSqs");
    expect(decision.allowedBy.map((a) => a.ref.sid)).toEqual(["AllowSqs"]);
  });
});
