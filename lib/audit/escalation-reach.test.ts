/**
 * One reach walk (issue 12): reach, the stored reach list and the blast radius follow the same
 * role hops as escalation chains — write a role's policy then assume it, pass a role to a service
 * that runs as it, rewrite a role's trust — each hop with its method and reason, so what the last
 * role of a 2- or 3-hop chain can do is in the function's reach and blast radius.
 */
import { describe, expect, it } from "vitest";
import type { PolicyDocument } from "@/lib/snapshot/types";
import { doc, fixtureSnapshot, functionArnOf, roleArnOf, type FixtureSpec, type RoleSpec } from "@/test/builders/evaluation-fixtures";
import { analyzeSnapshot } from "./analyze-snapshot";

const NOW = "2026-11-01T00:00:00.000Z";
const allow = (Action: string | string[], Resource: string | string[]): PolicyDocument => doc({ Effect: "Allow", Action, Resource });
const trustedBy = (principal: { AWS: string } | { Service: string }): PolicyDocument => doc({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" });

/** The last role's powers: read a secret bucket and rewrite the code of `fn-target`. */
const LAST_ROLE_POLICY = allow(["s3:GetObject", "lambda:UpdateFunctionCode"], ["arn:aws:s3:::secret-bucket/*", functionArnOf("fn-target")]);

/** fn-a (role a) may write role b's policies; b trusts a by ARN, and may pass role c to EC2. */
function chainRoles(opts: { aCanWriteB: boolean; thirdHop: boolean }): RoleSpec[] {
  const c = opts.thirdHop ? allow("iam:UpdateAssumeRolePolicy", roleArnOf("d")) : LAST_ROLE_POLICY;
  const roles: RoleSpec[] = [
    { name: "a", inline: opts.aCanWriteB ? [allow("iam:PutRolePolicy", roleArnOf("b"))] : [allow("logs:CreateLogGroup", "*")] },
    // Without the write, b trusts only the account: assuming it would need an sts:AssumeRole grant a lacks.
    { name: "b", trust: trustedBy({ AWS: opts.aCanWriteB ? roleArnOf("a") : "arn:aws:iam::111111111111:root" }), inline: [allow(["iam:PassRole", "ec2:RunInstances"], [roleArnOf("c"), "*"])] },
    { name: "c", trust: trustedBy({ Service: "ec2.amazonaws.com" }), instanceProfiles: ["c-profile"], inline: [c] },
    { name: "target", inline: [allow("logs:CreateLogGroup", "*")] },
  ];
  if (opts.thirdHop) roles.push({ name: "d", trust: trustedBy({ Service: "glue.amazonaws.com" }), inline: [LAST_ROLE_POLICY] });
  return roles;
}

async function analyseFnA(spec: FixtureSpec) {
  const analysis = await analyzeSnapshot(fixtureSnapshot(spec), { now: NOW });
  return analysis.functions.get(functionArnOf("fn-a"))!;
}

describe("reach follows escalation hops", () => {
  it("through a 2-hop chain (write b's policy then assume it; pass c to EC2): reaches what c can update, and c's data is in the blast radius", async () => {
    // Given fn-a → b (iam:PutRolePolicy, b's trust names a) → c (iam:PassRole + ec2:RunInstances, c in an instance profile)
    const fnA = await analyseFnA({ roles: chainRoles({ aCanWriteB: true, thirdHop: false }) });

    // When its reach is listed
    const reached = fnA.blastRadius.reachableFunctions.find((r) => r.arn === functionArnOf("fn-target"));

    // Then fn-target is reached through both hops, each edge naming its method and statements
    expect(reached, JSON.stringify(fnA.blastRadius.reachableFunctions.map((r) => r.arn))).toBeDefined();
    const hops = reached!.path.filter((e) => e.kind === "can-assume" || e.kind === "can-pass");
    expect(hops.map((e) => [e.from, e.to, e.kind])).toEqual([
      [roleArnOf("a"), roleArnOf("b"), "can-assume"],
      [roleArnOf("b"), roleArnOf("c"), "can-pass"],
    ]);
    expect(hops[0].reason).toMatch(/iam:putrolepolicy .*a-inline-0/i);
    expect(hops[1].shortReason).toContain("passrole-ec2-run-instances");
    expect(reached!.path.at(-1)).toMatchObject({ from: roleArnOf("c"), to: functionArnOf("fn-target"), kind: "can-update-code" });
    expect(fnA.blastRadius.totals.reachableFunctions).toBeGreaterThanOrEqual(1);

    // And the blast radius after escalation holds c's secret bucket, via both hops
    const via = fnA.blastRadius.afterEscalation?.via.find((v) => v.roleArn === roleArnOf("c"));
    expect(via?.method).toBe("iam-put-role-policy-assumable → passrole-ec2-run-instances");
    expect(fnA.blastRadius.afterEscalation?.dataStores.read.map((d) => d.resource)).toContain("arn:aws:s3:::secret-bucket/*");
  });

  it("through a 3-hop chain (… then rewrite d's trust): reaches what the third role can do", async () => {
    // Given the same two hops, and c may rewrite the trust policy of d, which holds the powers
    const fnA = await analyseFnA({ roles: chainRoles({ aCanWriteB: true, thirdHop: true }) });

    // When its reach is listed
    const reached = fnA.blastRadius.reachableFunctions.find((r) => r.arn === functionArnOf("fn-target"));

    // Then fn-target is reached in three role hops, the last by iam:UpdateAssumeRolePolicy
    const hops = reached?.path.filter((e) => e.kind === "can-assume" || e.kind === "can-pass") ?? [];
    expect(hops.map((e) => e.to)).toEqual([roleArnOf("b"), roleArnOf("c"), roleArnOf("d")]);
    expect(hops[2].shortReason).toContain("iam-update-assume-role-policy");
    expect(hops[2].reason).toMatch(/iam:updateassumerolepolicy/i);

    // And d's data is in the blast radius after escalation, via the three hops
    const via = fnA.blastRadius.afterEscalation?.via.find((v) => v.roleArn === roleArnOf("d"));
    expect(via?.method).toBe("iam-put-role-policy-assumable → passrole-ec2-run-instances → iam-update-assume-role-policy");
    expect(fnA.blastRadius.afterEscalation?.dataStores.read.map((d) => d.resource)).toContain("arn:aws:s3:::secret-bucket/*");
  });

  it("does not reach past a missing first hop", async () => {
    // Given the same roles, but fn-a can neither write b's policies nor assume b
    const fnA = await analyseFnA({ roles: chainRoles({ aCanWriteB: false, thirdHop: false }) });

    // Then nothing of c is reached
    expect(fnA.blastRadius.reachableFunctions.map((r) => r.arn)).not.toContain(functionArnOf("fn-target"));
    expect(fnA.blastRadius.afterEscalation?.via.map((v) => v.roleArn) ?? []).not.toContain(roleArnOf("c"));
  });
});
