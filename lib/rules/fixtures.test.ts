/**
 * End to end: snapshot → effective permissions → escalation paths → findings. The least-privilege
 * fixtures must produce no high or critical finding; each over-broad fixture must be found.
 */
import { describe, expect, it } from "vitest";
import { createPermissionsCache, effectivePermissions } from "@/lib/analysis/policy/effective-permissions";
import { findEscalationPaths, type RankedEscalationPath } from "@/lib/analysis/escalation/escalation-paths";
import { doc, fixtureIndex, FULL_AWS_ACCESS, groupArnOf, managed, roleArnOf, scp, userArnOf, type FixtureSpec } from "@/test/builders/evaluation-fixtures";
import type { SnapshotIndex } from "@/lib/analysis/snapshot-index";
import type { Finding } from "@/lib/analysis/types";
import { evaluateRules } from "./index";

function analyze(index: SnapshotIndex, roleName: string): Finding[] {
  const fn = [...index.functions.values()].find((f) => f.roleArn === roleArnOf(roleName))!;
  const cache = createPermissionsCache();
  const perms = effectivePermissions(index, fn.roleArn, cache);
  const escalationPaths = findEscalationPaths({ index, fn, perms, permsOf: (arn) => effectivePermissions(index, arn, cache) });
  return evaluateRules({
    fn,
    role: index.roles.get(fn.roleArn) ?? null,
    account: index.accountsById.get(fn.accountId)!,
    index,
    perms,
    sharedWith: [],
    lastAccessed: null,
    escalationPaths,
    now: "2026-01-15T00:00:00Z",
  });
}

function findingsFor(spec: FixtureSpec, roleName = "app"): Finding[] {
  return analyze(fixtureIndex(spec), roleName);
}

const serious = (findings: Finding[]) => findings.filter((f) => f.severity === "critical" || f.severity === "high");

// The AWS-documented statement for a function's own log group.
const OWN_LOGS = {
  Effect: "Allow" as const,
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: "arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/fn-app:*",
};
const CREATE_GROUP = { Effect: "Allow" as const, Action: "logs:CreateLogGroup", Resource: "arn:aws:logs:us-east-1:111111111111:*" };
const ADMIN = managed("AdministratorAccess", doc({ Effect: "Allow", Action: "*", Resource: "*" }), "aws");
const BASIC_EXECUTION = managed(
  "AWSLambdaBasicExecutionRole",
  doc({ Effect: "Allow", Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" }),
  "aws",
);

describe("least-privilege policies raise no high or critical finding", () => {
  it("SAM S3ReadPolicy on one bucket plus the documented logs policy", () => {
    // Given the SAM S3ReadPolicy template for bucket "reports" and the function's own log group
    const spec: FixtureSpec = {
      roles: [
        {
          name: "app",
          inline: [
            doc(
              {
                Sid: "S3Read",
                Effect: "Allow",
                Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObjectVersion", "s3:GetLifecycleConfiguration"],
                Resource: ["arn:aws:s3:::reports", "arn:aws:s3:::reports/*"],
              },
              CREATE_GROUP,
              OWN_LOGS,
            ),
          ],
        },
      ],
    };
    // When the rules run
    const findings = findingsFor(spec);
    // Then nothing is high or critical, and logging is not reported missing
    expect(serious(findings)).toEqual([]);
    expect(findings.map((f) => f.ruleId)).not.toContain("missing-logging");
  });

  it("dynamodb:GetItem on one table", () => {
    // Given a role reading one table
    const spec: FixtureSpec = {
      roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders" }, OWN_LOGS)] }],
    };
    // When / Then
    expect(serious(findingsFor(spec))).toEqual([]);
  });

  it("SQS poller permissions on its own queue with AWSLambdaBasicExecutionRole", () => {
    // Given the SQS event-source permissions on one queue and the AWS-managed basic execution role (logs on *)
    const spec: FixtureSpec = {
      roles: [
        {
          name: "app",
          managed: [BASIC_EXECUTION],
          inline: [
            doc({
              Effect: "Allow",
              Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility"],
              Resource: "arn:aws:sqs:us-east-1:111111111111:orders",
            }),
          ],
        },
      ],
    };
    // When the rules run
    const findings = findingsFor(spec);
    // Then nothing at all is high or critical
    expect(serious(findings)).toEqual([]);
  });
});

describe("over-broad permissions are found", () => {
  it("AdministratorAccess is admin-equivalent and names the policy", () => {
    // Given AdministratorAccess attached
    const findings = findingsFor({ roles: [{ name: "app", managed: [ADMIN] }] });
    // Then admin-equivalent access (critical) and the managed-policy finding naming it are reported
    const admin = findings.find((f) => f.ruleId === "admin-equivalent-access");
    expect(admin?.severity).toBe("critical");
    expect(admin?.reason).toContain('AWS-managed policy "AdministratorAccess" statement #0');
    const managedFinding = findings.find((f) => f.ruleId === "aws-managed-full-access");
    expect(managedFinding?.title).toContain("AdministratorAccess");
    expect(managedFinding?.severity).toBe("critical");
  });

  it("a permission boundary removes the admin finding", () => {
    // Given AdministratorAccess capped by a boundary allowing only reads of one bucket
    const boundary = managed("ReadReports", doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }));
    const findings = findingsFor({ roles: [{ name: "app", managed: [ADMIN], boundary }] });
    // Then no admin-equivalent finding and nothing critical remains
    expect(findings.map((f) => f.ruleId)).not.toContain("admin-equivalent-access");
    expect(findings.filter((f) => f.severity === "critical")).toEqual([]);
  });

  it("AdministratorAccess confined by a boundary to a few actions is 'attached, confined to …', low", () => {
    // Given AdministratorAccess with a boundary allowing only DynamoDB reads on every table
    const boundary = managed("DynamoRead", doc({ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: "*" }));
    const findings = findingsFor({ roles: [{ name: "app", managed: [ADMIN], boundary }] });
    // Then the managed-policy finding says what it is, low, naming the boundary
    const managedFinding = findings.find((f) => f.ruleId === "aws-managed-full-access");
    expect(managedFinding?.severity).toBe("low");
    expect(managedFinding?.title).toContain("attached, confined to 2 action(s)");
    expect(managedFinding?.reason).toContain("DynamoRead");
  });

  it("IAMFullAccess under an SCP that leaves two IAM reads is confined, low; without it, critical", () => {
    const iamFull = managed("IAMFullAccess", doc({ Effect: "Allow", Action: ["iam:*", "organizations:DescribeAccount"], Resource: "*" }), "aws");
    const denyIamWrites = scp("IamReadOnly", doc({ Effect: "Deny", NotAction: ["iam:GetRole", "iam:ListRoles"], Resource: "*" }));
    const confined = findingsFor({ roles: [{ name: "app", managed: [iamFull] }], scps: { root: [FULL_AWS_ACCESS, denyIamWrites], ou: [FULL_AWS_ACCESS], account: [FULL_AWS_ACCESS] } });
    expect(confined.find((f) => f.ruleId === "aws-managed-full-access")?.severity).toBe("low");
    const open = findingsFor({ roles: [{ name: "app", managed: [iamFull] }] });
    expect(open.find((f) => f.ruleId === "aws-managed-full-access")?.severity).toBe("critical");
  });

  it("a NotAction allow that leaves nearly everything is admin-equivalent", () => {
    // Given PowerUserAccess-style NotAction on *
    const findings = findingsFor({
      roles: [{ name: "app", inline: [doc({ Effect: "Allow", NotAction: ["iam:*", "organizations:*", "account:*"], Resource: "*" })] }],
    });
    // Then it is reported as admin-equivalent
    expect(findings.find((f) => f.ruleId === "admin-equivalent-access")?.reason).toContain("every action except iam:*");
  });

  it("s3:* on * is a service-wide wildcard with data tampering and exfiltration", () => {
    // Given s3:* on every resource
    const findings = findingsFor({ roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }, OWN_LOGS)] }] });
    const ids = findings.map((f) => f.ruleId);
    // Then all three are found, each naming the statement
    expect(ids).toEqual(expect.arrayContaining(["service-wide-wildcard", "data-store-write-all", "data-store-read-all", "resource-policy-management"]));
    expect(findings.find((f) => f.ruleId === "data-store-write-all")?.reason).toContain('inline policy "app-inline-0" statement #0');
  });

  it("a PassRole path split across two policies is found against an admin role", () => {
    // Given PassRole in one policy, CreateFunction + InvokeFunction in another, and an admin role trusting Lambda
    const spec: FixtureSpec = {
      roles: [
        {
          name: "app",
          inline: [
            doc({ Sid: "Pass", Effect: "Allow", Action: "iam:PassRole", Resource: "*" }),
            doc({ Sid: "Deploy", Effect: "Allow", Action: ["lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" }),
          ],
        },
        { name: "admin", managed: [ADMIN] },
      ],
    };
    // When the rules run
    const findings = findingsFor(spec);
    // Then a critical escalation names both statements and the admin role
    const esc = findings.find((f) => f.escalation?.method === "passrole-lambda-create-invoke");
    expect(esc?.severity).toBe("critical");
    expect(esc?.escalation?.target).toBe(roleArnOf("admin"));
    expect(esc?.reason).toContain("Sid Pass");
    expect(esc?.reason).toContain("Sid Deploy");
  });

  it("PassRole limited to a weaker role is not an escalation", () => {
    // Given PassRole only on a role that holds less than the function
    const spec: FixtureSpec = {
      roles: [
        {
          name: "app",
          inline: [doc({ Effect: "Allow", Action: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource: ["arn:aws:iam::111111111111:role/weak", "arn:aws:lambda:us-east-1:111111111111:function:*"] })],
        },
        { name: "weak", inline: [doc({ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: "*" })] },
        { name: "admin", managed: [ADMIN] },
      ],
    };
    // When / Then
    expect(findingsFor(spec).filter((f) => f.ruleId === "privilege-escalation")).toEqual([]);
  });

  it("an SCP denying iam:PassRole blocks the escalation", () => {
    // Given the split PassRole path and an SCP that denies iam:PassRole
    const spec: FixtureSpec = {
      roles: [
        { name: "app", inline: [doc({ Effect: "Allow", Action: ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"], Resource: "*" })] },
        { name: "admin", managed: [ADMIN] },
      ],
      scps: { root: [FULL_AWS_ACCESS], ou: [scp("NoPassRole", doc({ Effect: "Deny", Action: "iam:PassRole", Resource: "*" }))], account: [FULL_AWS_ACCESS] },
    };
    // When / Then: no PassRole escalation remains
    expect(findingsFor(spec).filter((f) => f.escalation?.method === "passrole-lambda-create-invoke")).toEqual([]);
  });

  it("iam:PutRolePolicy on its own role is a self escalation", () => {
    // Given PutRolePolicy on the function's own role only
    const findings = findingsFor({
      roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::111111111111:role/app" })] }],
    });
    // Then a critical escalation targets its own role
    const esc = findings.find((f) => f.escalation?.method === "iam-put-role-policy-self");
    expect(esc?.severity).toBe("critical");
    expect(esc?.escalation?.target).toBe(roleArnOf("app"));
  });

  it("missing logs permissions are reported", () => {
    // Given a role without any logs permission
    const findings = findingsFor({ roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders" })] }] });
    // Then missing-logging names both actions
    expect(findings.find((f) => f.ruleId === "missing-logging")?.actions).toEqual(["logs:createlogstream", "logs:putlogevents"]);
  });

  describe("iam:SetDefaultPolicyVersion on a policy of its own role", () => {
    const POLICY_ARN = "arn:aws:iam::111111111111:policy/app-policy";
    const switchVersion = { Effect: "Allow" as const, Action: "iam:SetDefaultPolicyVersion", Resource: POLICY_ARN };
    const today = doc(switchVersion, { Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders" });
    const setDefault = (findings: Finding[]) => findings.filter((f) => f.escalation?.method === "iam-set-default-policy-version");

    it("is no path when the policy has no other version", () => {
      // Given the policy's only version
      const findings = findingsFor({ roles: [{ name: "app", managed: [managed("app-policy", today)] }] });
      // Then nothing to switch to: no escalation finding
      expect(setDefault(findings)).toEqual([]);
    });

    it("is a critical, unconditional path when a stored version allows everything, naming that version", () => {
      // Given an old v1 that allowed * on *
      const policy = managed("app-policy", today, undefined, [{ versionId: "v1", document: doc({ Effect: "Allow", Action: "*", Resource: "*" }) }]);
      const findings = findingsFor({ roles: [{ name: "app", managed: [policy] }] });
      // Then the path is critical, not conditional, and says which version
      const [esc] = setDefault(findings);
      expect(esc?.severity).toBe("critical");
      expect(esc?.escalation).toMatchObject({ target: POLICY_ARN, impact: "admin", conditional: false } satisfies Partial<RankedEscalationPath>);
      expect(esc?.escalation?.targetReason).toContain("version v1 of app-policy");
    });

    it("is no path when every stored version grants less, or when an SCP denies what an old version adds", () => {
      // Given an old version that only read one table, and another adding s3:DeleteBucket
      const narrower = { versionId: "v1", document: doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders" }) };
      const broader = { versionId: "v2", document: doc(switchVersion, { Effect: "Allow", Action: "s3:DeleteBucket", Resource: "*" }) };
      const roles = [{ name: "app", managed: [managed("app-policy", today, undefined, [narrower, broader])] }];
      // When there is no SCP, v2 is the one path (more privileged, by s3:DeleteBucket)
      const open = setDefault(findingsFor({ roles }));
      expect(open.map((f) => [f.severity, (f.escalation as RankedEscalationPath).impact])).toEqual([["high", "more-privileged"]]);
      expect(open[0].escalation?.targetReason).toContain("version v2 of app-policy as default holds 1 action(s) the function lacks (s3:deletebucket)");
      // When an SCP denies s3:DeleteBucket, neither version is worth switching to
      const noDeletes = scp("NoBucketDeletes", doc({ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }));
      const fenced = findingsFor({ roles, scps: { root: [FULL_AWS_ACCESS], ou: [FULL_AWS_ACCESS, noDeletes], account: [FULL_AWS_ACCESS] } });
      expect(setDefault(fenced)).toEqual([]);
    });
  });

  describe("taking over IAM users", () => {
    const USER_KEYS = { Effect: "Allow" as const, Action: "iam:CreateAccessKey", Resource: "arn:aws:iam::111111111111:user/*" };
    const ORDERS = { Effect: "Allow" as const, Action: "dynamodb:GetItem", Resource: "arn:aws:dynamodb:us-east-1:111111111111:table/orders" };
    const escalations = (findings: Finding[], method: string) => findings.filter((f) => f.escalation?.method === method);

    it("CreateAccessKey is a critical path onto a user whose policy is admin-equivalent, even without AdministratorAccess by name", () => {
      // Given a user with an inline * on * and a function that can create access keys for any user
      const findings = findingsFor({
        roles: [{ name: "app", inline: [doc(USER_KEYS)] }],
        users: [{ name: "ops", inline: [doc({ Effect: "Allow", Action: "*", Resource: "*" })] }],
      });
      // Then the path is critical and lands on that user
      const [esc] = escalations(findings, "iam-create-access-key");
      expect(esc?.severity).toBe("critical");
      expect(esc?.escalation?.target).toBe(userArnOf("ops"));
      expect(esc?.escalation?.targetReason).toBe("user ops is administrator-equivalent");
    });

    it("CreateAccessKey onto a user who holds nothing the function lacks is no path", () => {
      // Given the only user can read the same table the function reads
      const findings = findingsFor({
        roles: [{ name: "app", inline: [doc(USER_KEYS, ORDERS)] }],
        users: [{ name: "reader", inline: [doc(ORDERS)] }],
      });
      // Then there is nothing to gain: no escalation finding
      expect(escalations(findings, "iam-create-access-key")).toEqual([]);
    });

    it("a user's group policies count toward what taking it over gives", () => {
      // Given a user with no policy of its own in a group that may delete any bucket
      const findings = findingsFor({
        roles: [{ name: "app", inline: [doc(USER_KEYS)] }],
        users: [{ name: "builder", groups: ["deployers"] }],
        groups: [{ name: "deployers", inline: [doc({ Effect: "Allow", Action: "s3:DeleteBucket", Resource: "*" })] }],
      });
      // Then the path exists and names the action the group adds
      const [esc] = escalations(findings, "iam-create-access-key");
      expect(esc?.severity).toBe("high");
      expect(esc?.escalation?.targetReason).toContain("user builder holds 1 action(s) the function lacks (s3:deletebucket)");
    });

    it("AddUserToGroup is a path only into a group that adds something", () => {
      // Given the function can add users to any group and create their keys; one group is admin, one adds nothing
      const addToGroup = { Effect: "Allow" as const, Action: "iam:AddUserToGroup", Resource: "arn:aws:iam::111111111111:group/*" };
      const findings = findingsFor({
        roles: [{ name: "app", inline: [doc(USER_KEYS, addToGroup, ORDERS)] }],
        users: [{ name: "intern" }],
        groups: [
          { name: "readers", inline: [doc(ORDERS)] },
          { name: "admins", managed: [managed("AdministratorAccess", doc({ Effect: "Allow", Action: "*", Resource: "*" }), "aws")] },
        ],
      });
      // Then the one path targets the admin group, via the intern's credentials
      const paths = escalations(findings, "iam-add-user-to-group");
      expect(paths.map((f) => [f.severity, f.escalation?.target])).toEqual([["critical", groupArnOf("admins")]]);
      expect(paths[0].escalation?.targetReason).toContain("the function can add user intern to group admins");
    });
  });

  describe("writing role policies", () => {
    const OWN = "arn:aws:iam::111111111111:role/app";
    const escalations = (findings: Finding[], method: string) => findings.filter((f) => f.escalation?.method === method);

    it("PutRolePolicy on its own role gains only what its permission boundary allows beyond today", () => {
      // Given PutRolePolicy on itself under a boundary that allows exactly that and s3:GetObject on one bucket
      const put = { Effect: "Allow" as const, Action: "iam:PutRolePolicy", Resource: OWN };
      const getReports = { Effect: "Allow" as const, Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" };
      const tight = managed("Tight", doc(put, getReports));
      // When the role already reads the bucket, the boundary leaves nothing to gain: no path
      const same = findingsFor({ roles: [{ name: "app", inline: [doc(put, getReports)], boundary: tight }] });
      expect(escalations(same, "iam-put-role-policy-self")).toEqual([]);
      // When it does not, the path is high (more privileged, not admin) and names the action
      const more = findingsFor({ roles: [{ name: "app", inline: [doc(put)], boundary: tight }] });
      const [esc] = escalations(more, "iam-put-role-policy-self");
      expect(esc?.severity).toBe("high");
      expect(esc?.escalation?.targetReason).toContain("holds 1 action(s) the function lacks (s3:getobject)");
    });

    it("PutRolePolicy on another role that trusts it is a critical path through sts:AssumeRole; without that trust, none", () => {
      // Given the function may write the policies of role "ops", which trusts the function's role
      const put = { Effect: "Allow" as const, Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::111111111111:role/ops" };
      const trustsApp = doc({ Effect: "Allow", Principal: { AWS: OWN }, Action: "sts:AssumeRole" });
      const findings = findingsFor({ roles: [{ name: "app", inline: [doc(put)] }, { name: "ops", inline: [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })], trust: trustsApp }] });
      // Then the path writes ops's policy, then assumes it
      const [esc] = escalations(findings, "iam-put-role-policy-assumable");
      expect(esc?.severity).toBe("critical");
      expect(esc?.escalation?.target).toBe(roleArnOf("ops"));
      expect(esc?.escalation?.steps.map((s) => s.action)).toEqual(["iam:putrolepolicy", "sts:assumerole"]);
      // When ops trusts only Lambda, there is no way into it: no such path
      const untrusted = findingsFor({ roles: [{ name: "app", inline: [doc(put)] }, { name: "ops" }] });
      expect(escalations(untrusted, "iam-put-role-policy-assumable")).toEqual([]);
    });
  });

  describe("removing its own permission boundary", () => {
    const OWN = "arn:aws:iam::111111111111:role/app";
    const dropBoundary = { Effect: "Allow" as const, Action: "iam:DeleteRolePermissionsBoundary", Resource: OWN };
    const removals = (findings: Finding[]) => findings.filter((f) => f.escalation?.method === "iam-delete-role-permissions-boundary");

    it("is critical when the boundary is all that holds an administrator policy back", () => {
      // Given AdministratorAccess capped by a boundary that still allows removing itself
      const boundary = managed("OnlyDropBoundary", doc(dropBoundary, { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }));
      const findings = findingsFor({ roles: [{ name: "app", managed: [ADMIN], boundary }] });
      // Then removing the boundary is a critical path
      const [esc] = removals(findings);
      expect(esc?.severity).toBe("critical");
      expect(esc?.escalation?.targetReason).toContain("without permission boundary arn:aws:iam::111111111111:policy/OnlyDropBoundary is administrator-equivalent");
    });

    it("is no path when an SCP denies everything the boundary holds back", () => {
      // Given the policies add only s3:DeleteBucket beyond the boundary, and an SCP denies it
      const boundary = managed("OnlyDropBoundary", doc(dropBoundary));
      const roles = [{ name: "app", inline: [doc(dropBoundary, { Effect: "Allow", Action: "s3:DeleteBucket", Resource: "*" })], boundary }];
      const noDeletes = scp("NoBucketDeletes", doc({ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*" }));
      // When there is no such SCP, removing the boundary gains s3:DeleteBucket
      expect(removals(findingsFor({ roles })).map((f) => f.severity)).toEqual(["high"]);
      // When the SCP denies it, nothing is gained
      expect(removals(findingsFor({ roles, scps: { root: [FULL_AWS_ACCESS], ou: [FULL_AWS_ACCESS, noDeletes], account: [FULL_AWS_ACCESS] } }))).toEqual([]);
    });
  });
});
