import { describe, expect, it } from "vitest";
import { indexSnapshot } from "../snapshot-index";
import { findEscalationPaths } from "./escalation-paths";
import type { EffectivePermissions } from "../types";
import { account, grant, lambdaFunction, perms, role, roleArn, snapshotOf, trustFor } from "@/test/builders/rule-fixtures";
import { allActions } from "@/lib/analysis/policy/action-data";

const ADMIN_GRANT = () => grant({ actions: [...allActions()], writtenActions: ["*"], source: { kind: "aws-managed", policyName: "AdministratorAccess" } });

function setup(attackerGrants: ReturnType<typeof grant>[], others: { name: string; perms: EffectivePermissions; trust?: ReturnType<typeof trustFor> }[], extraFns = [] as ReturnType<typeof lambdaFunction>[]) {
  const fn = lambdaFunction("app", { roleArn: roleArn("app") });
  const roles = [role("app"), ...others.map((o) => role(o.name, o.trust ? { assumeRolePolicy: o.trust } : {}))];
  const index = indexSnapshot(snapshotOf([account({ roles, functions: [fn, ...extraFns] })]));
  const attacker = perms(fn.roleArn, attackerGrants);
  const byArn = new Map(others.map((o) => [roleArn(o.name), o.perms]));
  const permsOf = (arn: string) => byArn.get(arn) ?? (arn === fn.roleArn ? attacker : perms(arn, []));
  return findEscalationPaths({ index, fn, perms: attacker, permsOf });
}

describe("findEscalationPaths", () => {
  it("respects iam:PassedToService: PassRole only to EC2 cannot create a Lambda", () => {
    // Given PassRole conditioned on ec2.amazonaws.com plus Lambda create/invoke, and an admin role trusting Lambda
    const paths = setup(
      [
        grant({ actions: ["iam:PassRole"], conditions: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } } }),
        grant({ actions: ["lambda:CreateFunction", "lambda:InvokeFunction"], source: { statementIndex: 1 } }),
      ],
      [{ name: "admin", perms: perms(roleArn("admin"), [ADMIN_GRANT()]) }],
    );
    // When / Then no Lambda PassRole path
    expect(paths.map((p) => p.method)).not.toContain("passrole-lambda-create-invoke");
  });

  it("PassedToService lambda.amazonaws.com keeps the path unconditional", () => {
    // Given PassRole conditioned on lambda.amazonaws.com
    const paths = setup(
      [
        grant({ actions: ["iam:PassRole"], conditions: { StringEquals: { "iam:PassedToService": "lambda.amazonaws.com" } } }),
        grant({ actions: ["lambda:CreateFunction", "lambda:CreateEventSourceMapping"], source: { statementIndex: 1 } }),
      ],
      [{ name: "admin", perms: perms(roleArn("admin"), [ADMIN_GRANT()]) }],
    );
    // When / Then the path exists, is not conditional and lands on admin
    const path = paths.find((p) => p.method === "passrole-lambda-create-invoke");
    expect(path?.conditional).toBe(false);
    expect(path?.impact).toBe("admin");
  });

  it("a role that does not trust Lambda is not a PassRole target", () => {
    // Given the admin role trusts only EC2
    const paths = setup(
      [grant({ actions: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"] })],
      [{ name: "admin", perms: perms(roleArn("admin"), [ADMIN_GRANT()]), trust: trustFor({ Service: "ec2.amazonaws.com" }) }],
    );
    // When / Then no Lambda path (EC2 needs ec2:RunInstances, which is not granted)
    expect(paths).toEqual([]);
  });

  it("UpdateFunctionCode on a more privileged function is a path naming it", () => {
    // Given another function running as a role with dynamodb:* and UpdateFunctionCode on it
    const other = lambdaFunction("billing", { roleArn: roleArn("billing") });
    const paths = setup(
      [grant({ actions: ["lambda:UpdateFunctionCode"], resources: [other.arn] })],
      [{ name: "billing", perms: perms(roleArn("billing"), [grant({ actions: ["dynamodb:DeleteTable"] })]) }],
      [other],
    );
    // When / Then
    const path = paths.find((p) => p.method === "lambda-update-function-code");
    expect(path?.target).toBe(other.arn);
    expect(path?.targetReason).toContain("dynamodb:deletetable");
  });

  it("sts:AssumeRole on a role trusting the account is a path; on an untrusting one it is not", () => {
    // Given two admin roles: one trusts the account root, one trusts nobody relevant
    const paths = setup(
      [grant({ actions: ["sts:AssumeRole"] })],
      [
        { name: "ops", perms: perms(roleArn("ops"), [ADMIN_GRANT()]), trust: trustFor({ AWS: "arn:aws:iam::111111111111:root" }) },
        { name: "other", perms: perms(roleArn("other"), [ADMIN_GRANT()]), trust: trustFor({ AWS: "arn:aws:iam::222222222222:root" }) },
      ],
    );
    // When / Then only ops
    const path = paths.find((p) => p.method === "sts-assume-role");
    expect(path?.target).toBe(roleArn("ops"));
    expect(path?.otherTargets).toBe(0);
  });

  it("an administrator role has nothing to escalate to", () => {
    // Given an admin function role with PutRolePolicy implied
    const paths = setup([ADMIN_GRANT()], []);
    // When / Then no paths
    expect(paths).toEqual([]);
  });
});
