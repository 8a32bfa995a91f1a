/**
 * Acceptance per escalation method, on real effective permissions: a positive case with exactly
 * the required actions and a real, stronger target; one negative per required action removed;
 * negatives with the target absent, weaker, or not trusting. Chains of two and three hops.
 */
import { describe, expect, it } from "vitest";
import { findEscalationPaths, type RankedEscalationPath } from "./escalation-paths";
import { ESCALATION_METHODS, type EscalationMethod } from "./methods";
import { createPermissionsCache, effectivePermissions } from "../policy/effective-permissions";
import { ADMIN, doc, fixtureIndex, functionArnOf, groupArnOf, managed, roleArnOf, userArnOf, type FixtureSpec, type RoleSpec } from "@/test/builders/evaluation-fixtures";
import type { PolicyDocument, PolicyStatement } from "@/lib/snapshot/types";

const APP = roleArnOf("app");

function pathsOf(spec: FixtureSpec): RankedEscalationPath[] {
  const index = fixtureIndex(spec);
  const cache = createPermissionsCache();
  const fn = index.functions.get(functionArnOf("fn-app"))!;
  const permsOf = (arn: string) => effectivePermissions(index, arn, cache);
  return findEscalationPaths({ index, fn, perms: permsOf(fn.roleArn), permsOf });
}

function pathOf(spec: FixtureSpec, methodId: string): RankedEscalationPath | undefined {
  return pathsOf(spec).find((p) => p.method === methodId);
}

function trustService(service: string): PolicyDocument {
  return doc({ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" });
}

function trustPrincipal(arn: string, extra: Partial<PolicyStatement> = {}): PolicyDocument {
  return doc({ Effect: "Allow", Principal: { AWS: arn }, Action: "sts:AssumeRole", ...extra });
}

const allow = (actions: string[], resource: string | string[] = "*"): PolicyStatement => ({ Effect: "Allow", Action: actions, Resource: resource });

function app(statements: PolicyStatement[], extra: Partial<RoleSpec> = {}): RoleSpec {
  return { name: "app", inline: statements.length ? [doc(...statements)] : [], ...extra };
}

/** The first action of each group: exactly one way to meet every requirement. */
function exactActions(groups: string[][]): string[] {
  return groups.map((g) => g[0]);
}

function withoutGroup(groups: string[][], i: number): string[] {
  return groups.filter((_, j) => j !== i).map((g) => g[0]);
}

const WEAK = doc(allow(["logs:createloggroup"]));

// ---------------------------------------------------------------- pass-role family

describe("pass-role methods: complete action sets, a stronger role that trusts the service", () => {
  for (const method of ESCALATION_METHODS.filter((m) => m.kind === "pass-role")) {
    const service = method.passedToService!;
    const target = roleArnOf("admin");
    const isEc2 = service === "ec2.amazonaws.com";
    const admin = (extra: Partial<RoleSpec> = {}): RoleSpec => ({ name: "admin", managed: [ADMIN], trust: trustService(service), ...(isEc2 ? { instanceProfiles: ["admin-profile"] } : {}), ...extra });
    const spec = (actions: string[], adminRole: RoleSpec | null = admin()): FixtureSpec => ({
      roles: [app([allow(["iam:PassRole"], target), allow(actions)]), ...(adminRole ? [adminRole] : [])],
    });

    it(`${method.id}: exactly the required actions and an admin role trusting ${service} is a path`, () => {
      const path = pathOf(spec(exactActions(method.requires)), method.id);
      expect(path?.target).toBe(target);
      expect(path?.impact).toBe("admin");
      // A path needing a resource the snapshot lacks is possible, not certain.
      expect(path?.conditional).toBe(!!method.needsExisting);
    });

    it(`${method.id}: without iam:PassRole there is no path`, () => {
      const s: FixtureSpec = { roles: [app([allow(exactActions(method.requires))]), admin()] };
      expect(pathOf(s, method.id)).toBeUndefined();
    });

    method.requires.forEach((group, i) => {
      it(`${method.id}: without ${group.join(" / ")} there is no path`, () => {
        expect(pathOf(spec(withoutGroup(method.requires, i)), method.id)).toBeUndefined();
      });
    });

    it(`${method.id}: no target role, a weaker one, or one not trusting ${service}: no path`, () => {
      expect(pathOf(spec(exactActions(method.requires), null), method.id)).toBeUndefined();
      expect(pathOf(spec(exactActions(method.requires), admin({ managed: [], inline: [] })), method.id)).toBeUndefined();
      const other = service === "lambda.amazonaws.com" ? "ec2.amazonaws.com" : "lambda.amazonaws.com";
      expect(pathOf(spec(exactActions(method.requires), admin({ trust: trustService(other) })), method.id)).toBeUndefined();
    });
  }

  it("EC2: a role with no instance profile needs iam:CreateInstanceProfile + AddRoleToInstanceProfile", () => {
    const target = roleArnOf("admin");
    const admin: RoleSpec = { name: "admin", managed: [ADMIN], trust: trustService("ec2.amazonaws.com"), instanceProfiles: [] };
    const without = pathOf({ roles: [app([allow(["iam:PassRole"], target), allow(["ec2:RunInstances"])]), admin] }, "passrole-ec2-run-instances");
    expect(without).toBeUndefined();
    const withCreate = pathOf(
      { roles: [app([allow(["iam:PassRole"], target), allow(["ec2:RunInstances", "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile"])]), admin] },
      "passrole-ec2-run-instances",
    );
    expect(withCreate?.steps.map((s) => s.action)).toEqual(["iam:passrole", "ec2:runinstances", "iam:createinstanceprofile", "iam:addroletoinstanceprofile"]);
    expect(withCreate?.conditional).toBe(false);
  });

  it("EC2: instance profiles not collected make the path possible, not certain", () => {
    const target = roleArnOf("admin");
    const admin: RoleSpec = { name: "admin", managed: [ADMIN], trust: trustService("ec2.amazonaws.com") };
    const path = pathOf({ roles: [app([allow(["iam:PassRole"], target), allow(["ec2:RunInstances"])]), admin] }, "passrole-ec2-run-instances");
    expect(path?.conditional).toBe(true);
    expect(path?.targetReason).toContain("not collected");
  });
});

// ---------------------------------------------------------------- existing resources

describe("existing-resource methods: possible, at lower confidence, naming the collection", () => {
  for (const method of ESCALATION_METHODS.filter((m) => m.kind === "existing-resource")) {
    it(`${method.id}: the required actions make a possible path naming ${method.existing!.collection}`, () => {
      const path = pathOf({ roles: [app([allow(exactActions(method.requires))])] }, method.id);
      expect(path?.impact).toBe("unknown");
      expect(path?.conditional).toBe(true);
      expect(path?.targetReason).toContain(`possible — needs an existing ${method.existing!.resource}`);
      expect(path?.targetReason).toContain(method.existing!.collection);
    });
    method.requires.forEach((group, i) => {
      it(`${method.id}: without ${group.join(" / ")} there is no path`, () => {
        expect(pathOf({ roles: [app([allow(withoutGroup(method.requires, i).length ? withoutGroup(method.requires, i) : ["logs:createloggroup"])])] }, method.id)).toBeUndefined();
      });
    });
  }
});

// ---------------------------------------------------------------- roles: own, other, trust

const byId = (id: string): EscalationMethod => ESCALATION_METHODS.find((m) => m.id === id)!;

describe("writing roles and policies", () => {
  for (const id of ["iam-put-role-policy-self", "iam-attach-role-policy-self"]) {
    it(`${id}: on its own role is an admin path; on another role only it is not`, () => {
      const action = byId(id).requires[0][0];
      expect(pathOf({ roles: [app([allow([action], APP)])] }, id)?.impact).toBe("admin");
      expect(pathOf({ roles: [app([allow([action], roleArnOf("other"))])] }, id)).toBeUndefined();
    });
    it(`${id}: a boundary that allows nothing more than the role has leaves nothing to gain`, () => {
      const action = byId(id).requires[0][0];
      const boundary = managed("Tight", doc(allow([action, "logs:createloggroup"])));
      expect(pathOf({ roles: [app([allow([action, "logs:createloggroup"], "*")], { boundary })] }, id)).toBeUndefined();
    });
  }

  const OPS_TRUSTS_APP = trustPrincipal(APP);
  it("iam-put-role-policy-assumable: PutRolePolicy on a weak role that trusts the function's role (no sts:AssumeRole grant needed)", () => {
    const spec: FixtureSpec = { roles: [app([allow(["iam:PutRolePolicy"], roleArnOf("ops"))]), { name: "ops", inline: [WEAK], trust: OPS_TRUSTS_APP }] };
    const path = pathOf(spec, "iam-put-role-policy-assumable");
    expect(path?.target).toBe(roleArnOf("ops"));
    expect(path?.impact).toBe("admin");
  });

  it("iam-put-role-policy-assumable: not when the role does not trust the function, requires MFA, or denies it", () => {
    const base = (trust: PolicyDocument): FixtureSpec => ({ roles: [app([allow(["iam:PutRolePolicy"], roleArnOf("ops"))]), { name: "ops", inline: [WEAK], trust }] });
    expect(pathOf(base(trustService("ec2.amazonaws.com")), "iam-put-role-policy-assumable")).toBeUndefined();
    expect(pathOf(base(trustPrincipal(APP, { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } })), "iam-put-role-policy-assumable")).toBeUndefined();
    const denied = doc(
      { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" },
      { Effect: "Deny", Principal: { AWS: APP }, Action: "sts:AssumeRole" },
    );
    const withAssume: FixtureSpec = { roles: [app([allow(["iam:PutRolePolicy", "sts:AssumeRole"], roleArnOf("ops"))]), { name: "ops", inline: [WEAK], trust: denied }] };
    expect(pathOf(withAssume, "iam-put-role-policy-assumable")).toBeUndefined();
  });

  it("iam-create-policy-version-assumable: CreatePolicyVersion on a policy of a role that trusts the function", () => {
    const opsPolicy = managed("OpsPolicy", WEAK);
    const spec = (actions: string[], trust = OPS_TRUSTS_APP): FixtureSpec => ({ roles: [app([allow(actions, opsPolicy.arn)]), { name: "ops", managed: [opsPolicy], trust }] });
    expect(pathOf(spec(["iam:CreatePolicyVersion"]), "iam-create-policy-version-assumable")?.target).toBe(roleArnOf("ops"));
    expect(pathOf(spec(["iam:GetPolicyVersion"]), "iam-create-policy-version-assumable")).toBeUndefined();
    expect(pathOf(spec(["iam:CreatePolicyVersion"], trustService("ec2.amazonaws.com")), "iam-create-policy-version-assumable")).toBeUndefined();
  });

  it("iam-create-policy-version: on a customer-managed policy of its own role; never on an AWS-managed one, in any partition", () => {
    const own = managed("AppPolicy", WEAK);
    expect(pathOf({ roles: [app([], { managed: [own] }), { name: "x", inline: [doc(allow(["iam:CreatePolicyVersion"], own.arn))] }] }, "iam-create-policy-version")).toBeUndefined();
    const spec: FixtureSpec = { roles: [{ name: "app", managed: [managed("AppPolicy", doc(allow(["iam:CreatePolicyVersion"], own.arn)))] }] };
    expect(pathOf(spec, "iam-create-policy-version")?.impact).toBe("admin");
  });

  it("iam-update-assume-role-policy: a stronger role is a path; a weaker one is not", () => {
    const spec = (policy: Partial<RoleSpec>): FixtureSpec => ({ roles: [app([allow(["iam:UpdateAssumeRolePolicy"], roleArnOf("ops"))]), { name: "ops", trust: trustService("ec2.amazonaws.com"), ...policy }] });
    expect(pathOf(spec({ managed: [ADMIN] }), "iam-update-assume-role-policy")?.impact).toBe("admin");
    expect(pathOf(spec({ inline: [] }), "iam-update-assume-role-policy")).toBeUndefined();
    expect(pathOf({ roles: [app([allow(["iam:UpdateAssumeRolePolicy"], roleArnOf("ops"))])] }, "iam-update-assume-role-policy")).toBeUndefined();
  });

  for (const write of ["iam:PutRolePolicy", "iam:AttachRolePolicy"]) {
    it(`iam-update-assume-role-policy-and-write: UpdateAssumeRolePolicy + ${write} on a weak role that trusts only EC2`, () => {
      const spec = (actions: string[]): FixtureSpec => ({ roles: [app([allow(actions, roleArnOf("weak"))]), { name: "weak", inline: [WEAK], trust: trustService("ec2.amazonaws.com") }] });
      expect(pathOf(spec(["iam:UpdateAssumeRolePolicy", write]), "iam-update-assume-role-policy-and-write")?.impact).toBe("admin");
      expect(pathOf(spec(["iam:UpdateAssumeRolePolicy"]), "iam-update-assume-role-policy-and-write")).toBeUndefined();
      expect(pathOf(spec([write]), "iam-update-assume-role-policy-and-write")).toBeUndefined();
    });
  }

  it("iam-update-assume-role-policy-and-write: with CreatePolicyVersion on the weak role's customer policy", () => {
    const weakPolicy = managed("WeakPolicy", WEAK);
    const spec: FixtureSpec = {
      roles: [app([allow(["iam:UpdateAssumeRolePolicy"], roleArnOf("weak")), allow(["iam:CreatePolicyVersion"], weakPolicy.arn)]), { name: "weak", managed: [weakPolicy], trust: trustService("ec2.amazonaws.com") }],
    };
    expect(pathOf(spec, "iam-update-assume-role-policy-and-write")?.impact).toBe("admin");
  });

  it("iam-delete-role-permissions-boundary: gives back what the boundary held back", () => {
    const boundary = managed("Tight", doc(allow(["logs:*", "iam:DeleteRolePermissionsBoundary"])));
    const spec: FixtureSpec = { roles: [{ name: "app", managed: [ADMIN], boundary }] };
    expect(pathOf(spec, "iam-delete-role-permissions-boundary")?.impact).toBe("admin");
    const noAction = managed("Tighter", doc(allow(["logs:*"])));
    expect(pathOf({ roles: [{ name: "app", managed: [ADMIN], boundary: noAction }] }, "iam-delete-role-permissions-boundary")).toBeUndefined();
  });
});

// ---------------------------------------------------------------- assuming roles

describe("sts-assume-role: trust policies evaluated like any policy", () => {
  const admin = (trust: PolicyDocument): RoleSpec => ({ name: "admin", managed: [ADMIN], trust });
  it("same-account trust naming the function's role needs no sts:AssumeRole grant", () => {
    expect(pathOf({ roles: [app([]), admin(trustPrincipal(APP))] }, "sts-assume-role")?.impact).toBe("admin");
  });
  it("trust naming the account root needs the grant", () => {
    const root = trustPrincipal("arn:aws:iam::111111111111:root");
    expect(pathOf({ roles: [app([]), admin(root)] }, "sts-assume-role")).toBeUndefined();
    expect(pathOf({ roles: [app([allow(["sts:AssumeRole"], roleArnOf("admin"))]), admin(root)] }, "sts-assume-role")?.impact).toBe("admin");
  });
  it("a trust requiring MFA is not a path (a Lambda role session never has MFA)", () => {
    expect(pathOf({ roles: [app([]), admin(trustPrincipal(APP, { Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } }))] }, "sts-assume-role")).toBeUndefined();
  });
  it("a trust that explicitly denies the function's role is not a path", () => {
    const trust = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }, { Effect: "Deny", Principal: { AWS: APP }, Action: "sts:AssumeRole" });
    expect(pathOf({ roles: [app([allow(["sts:AssumeRole"])]), admin(trust)] }, "sts-assume-role")).toBeUndefined();
  });
  it("a trust conditioned on aws:PrincipalTag is settled by the function role's tags", () => {
    const trust = trustPrincipal(APP, { Condition: { StringEquals: { "aws:PrincipalTag/team": "ops" } } });
    expect(pathOf({ roles: [app([], { tags: { team: "ops" } }), admin(trust)] }, "sts-assume-role")?.conditional).toBe(false);
    expect(pathOf({ roles: [app([], { tags: { team: "web" } }), admin(trust)] }, "sts-assume-role")).toBeUndefined();
  });
  it("a weaker role is not a path", () => {
    // Given a role holding only what the function already holds
    const same = doc(allow(["s3:ListAllMyBuckets"]));
    expect(pathOf({ roles: [app([allow(["s3:ListAllMyBuckets"])]), { name: "weak", inline: [same], trust: trustPrincipal(APP) }] }, "sts-assume-role")).toBeUndefined();
  });
});

// ---------------------------------------------------------------- functions

describe("functions", () => {
  it("lambda-update-function-code: another function running as an admin role trusting Lambda", () => {
    const spec = (trust?: PolicyDocument): FixtureSpec => ({ roles: [app([allow(["lambda:UpdateFunctionCode"], functionArnOf("fn-admin"))]), { name: "admin", managed: [ADMIN], trust }] });
    expect(pathOf(spec(), "lambda-update-function-code")?.target).toBe(functionArnOf("fn-admin"));
    // Its role trusts only EC2: the function can never run with it, new code gains nothing.
    expect(pathOf(spec(trustService("ec2.amazonaws.com")), "lambda-update-function-code")).toBeUndefined();
    expect(pathOf({ roles: [app([allow(["lambda:UpdateFunctionCode"], functionArnOf("fn-admin"))]), { name: "admin", inline: [] }] }, "lambda-update-function-code")).toBeUndefined();
  });

  it("passrole-lambda-update-configuration: swap its own role for an admin role trusting Lambda", () => {
    const spec = (actions: string[], trust?: PolicyDocument): FixtureSpec => ({ roles: [app([allow(["iam:PassRole"], roleArnOf("admin")), allow(actions, functionArnOf("fn-app"))]), { name: "admin", managed: [ADMIN], trust }] });
    expect(pathOf(spec(["lambda:UpdateFunctionConfiguration"]), "passrole-lambda-update-configuration")?.impact).toBe("admin");
    expect(pathOf(spec(["lambda:GetFunction"]), "passrole-lambda-update-configuration")).toBeUndefined();
    expect(pathOf(spec(["lambda:UpdateFunctionConfiguration"], trustService("ec2.amazonaws.com")), "passrole-lambda-update-configuration")).toBeUndefined();
  });
});

// ---------------------------------------------------------------- users and groups

describe("users and groups", () => {
  it("iam-create-access-key: a stronger user; not a weaker one", () => {
    const spec = (managedPolicies = [ADMIN]): FixtureSpec => ({ roles: [app([allow(["iam:CreateAccessKey"], userArnOf("deploy"))])], users: [{ name: "deploy", managed: managedPolicies }] });
    expect(pathOf(spec(), "iam-create-access-key")?.target).toBe(userArnOf("deploy"));
    expect(pathOf(spec([]), "iam-create-access-key")).toBeUndefined();
  });

  it("iam-put-user-policy: needs the user's credentials too, and the user's boundary confines what it gains", () => {
    const spec = (actions: string[], boundary?: ReturnType<typeof managed>): FixtureSpec => ({ roles: [app([allow(actions, userArnOf("deploy"))])], users: [{ name: "deploy", boundary }] });
    expect(pathOf(spec(["iam:PutUserPolicy", "iam:CreateAccessKey"]), "iam-put-user-policy")?.impact).toBe("admin");
    expect(pathOf(spec(["iam:PutUserPolicy"]), "iam-put-user-policy")).toBeUndefined();
    expect(pathOf(spec(["iam:CreateAccessKey"]), "iam-put-user-policy")).toBeUndefined();
    // A boundary allowing only what the function already has: nothing to gain.
    const tight = managed("UserBoundary", doc(allow(["iam:PutUserPolicy", "iam:CreateAccessKey"])));
    expect(pathOf(spec(["iam:PutUserPolicy", "iam:CreateAccessKey"], tight), "iam-put-user-policy")).toBeUndefined();
  });

  it("iam-add-user-to-group: a usable user joins an admin group", () => {
    const spec = (actions: PolicyStatement[]): FixtureSpec => ({ roles: [app(actions)], users: [{ name: "deploy" }], groups: [{ name: "admins", managed: [ADMIN] }] });
    const both = [allow(["iam:AddUserToGroup"], groupArnOf("admins")), allow(["iam:CreateAccessKey"], userArnOf("deploy"))];
    expect(pathOf(spec(both), "iam-add-user-to-group")?.impact).toBe("admin");
    expect(pathOf(spec([both[0]]), "iam-add-user-to-group")).toBeUndefined();
    expect(pathOf(spec([both[1]]), "iam-add-user-to-group")).toBeUndefined();
  });

  it("iam-put-group-policy: a group with a usable member; the member's boundary applies", () => {
    const spec = (boundary?: ReturnType<typeof managed>): FixtureSpec => ({
      roles: [app([allow(["iam:PutGroupPolicy"], groupArnOf("devs")), allow(["iam:CreateAccessKey"], userArnOf("deploy"))])],
      users: [{ name: "deploy", groups: ["devs"], boundary }],
      groups: [{ name: "devs" }],
    });
    expect(pathOf(spec(), "iam-put-group-policy")?.impact).toBe("admin");
    expect(pathOf(spec(managed("Nothing", doc(allow(["iam:CreateAccessKey"])))), "iam-put-group-policy")).toBeUndefined();
  });
});

// ---------------------------------------------------------------- chains

describe("chains of any length", () => {
  const hop = (name: string, from: string, policy?: PolicyDocument): RoleSpec => ({ name, trust: trustPrincipal(from), inline: policy ? [policy] : [doc(allow(["s3:listallmybuckets"]))] });

  it("two hops: app → b (assume) → c admin (assume), the whole chain with each hop's reason", () => {
    const spec: FixtureSpec = { roles: [app([]), hop("b", APP), { name: "c", managed: [ADMIN], trust: trustPrincipal(roleArnOf("b")) }] };
    const chain = pathOf(spec, "role-chain");
    expect(chain?.target).toBe(roleArnOf("c"));
    expect(chain?.impact).toBe("admin");
    expect(chain?.chain?.map((h) => [h.from, h.to, h.method])).toEqual([
      [APP, roleArnOf("b"), "sts-assume-role"],
      [roleArnOf("b"), roleArnOf("c"), "sts-assume-role"],
    ]);
    expect(chain?.targetReason).toContain("hop 2");
  });

  it("three hops mixing methods: assume b, b passes c to a new Lambda function, c rewrites d's policy", () => {
    const spec: FixtureSpec = {
      roles: [
        app([]),
        hop("b", APP, doc(allow(["iam:PassRole"], roleArnOf("c")), allow(["lambda:CreateFunction", "lambda:InvokeFunction"]))),
        { name: "c", inline: [doc(allow(["iam:PutRolePolicy"], roleArnOf("d")))] },
        { name: "d", inline: [WEAK], trust: trustPrincipal(roleArnOf("c")) },
      ],
    };
    const chain = pathOf(spec, "role-chain");
    expect(chain?.chain?.map((h) => h.method)).toEqual(["sts-assume-role", "passrole-lambda-create-invoke", "iam-put-role-policy-assumable"]);
    expect(chain?.target).toBe(roleArnOf("d"));
    expect(chain?.impact).toBe("admin");
  });

  it("a cycle ends (visited set) and a chain to nothing stronger is not reported", () => {
    const spec: FixtureSpec = { roles: [app([]), hop("b", APP), { name: "c", inline: [doc(allow(["s3:listallmybuckets"]))], trust: doc({ Effect: "Allow", Principal: { AWS: [roleArnOf("b"), APP] }, Action: "sts:AssumeRole" }) }] };
    expect(pathOf(spec, "role-chain")).toBeUndefined();
  });

  it("a broken link (c does not trust b) is no chain", () => {
    const spec: FixtureSpec = { roles: [app([]), hop("b", APP), { name: "c", managed: [ADMIN], trust: trustService("ec2.amazonaws.com") }] };
    expect(pathOf(spec, "role-chain")).toBeUndefined();
  });
});

describe("sts-assume-role: a trust admitting everyone", () => {
  it("Principal * still needs the function's own sts:AssumeRole grant", () => {
    const open = doc({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" });
    expect(pathOf({ roles: [app([]), { name: "admin", managed: [ADMIN], trust: open }] }, "sts-assume-role")).toBeUndefined();
    expect(pathOf({ roles: [app([allow(["sts:AssumeRole"])]), { name: "admin", managed: [ADMIN], trust: open }] }, "sts-assume-role")?.impact).toBe("admin");
  });
});
