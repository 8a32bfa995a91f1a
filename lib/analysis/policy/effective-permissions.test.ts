import { describe, expect, it } from "vitest";
import { createPermissionsCache, effectivePermissions } from "./effective-permissions";
import { decide } from "./permission-queries";
import {
  doc,
  fixtureIndex,
  FULL_AWS_ACCESS,
  managed,
  roleArnOf,
  scp,
  type FixtureSpec,
  ADMIN,
  S3_FULL,
  FULL_CHAIN,
} from "@/test/builders/evaluation-fixtures";
import type { EffectivePermissions } from "../types";

const BUCKET_OBJECT = "arn:aws:s3:::data-bucket/report.csv";
const SECRET_OBJECT = "arn:aws:s3:::secret-bucket/key";
const FN = "arn:aws:lambda:us-east-1:111111111111:function:other";

type Outcome = "allowed" | "conditional" | "denied";

function outcome(perms: EffectivePermissions, action: string, resource: string): Outcome {
  const d = decide(perms, action, resource);
  if (d.decision === "denied") return "denied";
  return d.conditional ? "conditional" : "allowed";
}

function permsFor(spec: FixtureSpec, role = "app"): EffectivePermissions {
  return effectivePermissions(fixtureIndex(spec), roleArnOf(role));
}

interface EvaluationCase {
  name: string;
  spec: FixtureSpec;
  expectations: [action: string, resource: string, expected: Outcome][];
}

// AWS policy evaluation examples:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
const cases: EvaluationCase[] = [
  {
    name: "a permission boundary limits an administrator role to what it allows",
    spec: {
      roles: [{ name: "app", managed: [ADMIN], boundary: managed("S3Only", doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })) }],
    },
    expectations: [
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
      ["iam:CreateUser", "*", "denied"],
      ["lambda:UpdateFunctionCode", FN, "denied"],
    ],
  },
  {
    name: "an SCP deny removes an action the identity policy allows",
    spec: {
      roles: [{ name: "app", managed: [ADMIN] }],
      scps: { ...FULL_CHAIN, ou: [FULL_AWS_ACCESS, scp("DenyIam", doc({ Sid: "NoIam", Effect: "Deny", Action: "iam:*", Resource: "*" }))] },
    },
    expectations: [
      ["iam:CreateUser", "*", "denied"],
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
    ],
  },
  {
    name: "an SCP level that allows only some services removes the rest",
    spec: {
      roles: [{ name: "app", managed: [ADMIN] }],
      scps: { ...FULL_CHAIN, account: [scp("AllowS3Lambda", doc({ Effect: "Allow", Action: ["s3:*", "lambda:*"], Resource: "*" }))] },
    },
    expectations: [
      ["lambda:InvokeFunction", FN, "allowed"],
      ["dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:111111111111:table/t", "denied"],
    ],
  },
  {
    name: "an explicit deny beats an allow",
    spec: {
      roles: [
        {
          name: "app",
          inline: [
            doc(
              { Effect: "Allow", Action: "s3:*", Resource: "*" },
              { Sid: "NoDelete", Effect: "Deny", Action: "s3:DeleteObject", Resource: "*" },
            ),
          ],
        },
      ],
    },
    expectations: [
      ["s3:DeleteObject", BUCKET_OBJECT, "denied"],
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
    ],
  },
  {
    name: "an explicit deny on one bucket narrows the grant to the other resources",
    spec: {
      roles: [
        {
          name: "app",
          inline: [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Deny", Action: "s3:*", Resource: "arn:aws:s3:::secret-bucket/*" })],
        },
      ],
    },
    expectations: [
      ["s3:GetObject", SECRET_OBJECT, "denied"],
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
    ],
  },
  {
    name: "NotAction allows everything except IAM (admin-equivalent minus IAM)",
    spec: { roles: [{ name: "app", inline: [doc({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })] }] },
    expectations: [
      ["iam:PassRole", "arn:aws:iam::111111111111:role/x", "denied"],
      ["ec2:RunInstances", "arn:aws:ec2:us-east-1:111111111111:instance/*", "allowed"],
      ["lambda:CreateFunction", FN, "allowed"],
    ],
  },
  {
    name: "NotResource allows every resource except the listed ones",
    spec: { roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "s3:GetObject", NotResource: "arn:aws:s3:::secret-bucket/*" })] }] },
    expectations: [
      ["s3:GetObject", SECRET_OBJECT, "denied"],
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
    ],
  },
  {
    name: "a deny with NotResource denies everywhere except the listed resources",
    spec: {
      roles: [
        {
          name: "app",
          inline: [doc({ Effect: "Allow", Action: "s3:*", Resource: "*" }, { Effect: "Deny", Action: "s3:*", NotResource: "arn:aws:s3:::data-bucket/*" })],
        },
      ],
    },
    expectations: [
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
      ["s3:GetObject", SECRET_OBJECT, "denied"],
    ],
  },
  {
    name: "a wildcard action expands to the concrete actions",
    spec: { roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "lambda:Create*", Resource: "*" })] }] },
    expectations: [
      ["lambda:CreateFunction", FN, "allowed"],
      ["lambda:DeleteFunction", FN, "denied"],
    ],
  },
  {
    name: "action names are case-insensitive",
    spec: { roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "S3:getobject", Resource: "*" })] }] },
    expectations: [
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
      ["S3:GETOBJECT", BUCKET_OBJECT, "allowed"],
    ],
  },
  {
    name: "an allow with a condition the context cannot settle stays conditional",
    spec: {
      roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })] }],
    },
    expectations: [["s3:GetObject", BUCKET_OBJECT, "conditional"]],
  },
  {
    name: "a condition on the principal's own ARN is settled by the context",
    spec: {
      roles: [
        {
          name: "app",
          inline: [
            doc(
              { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::111111111111:role/app" } } },
              { Effect: "Allow", Action: "s3:PutObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalAccount": "222222222222" } } },
            ),
          ],
        },
      ],
    },
    expectations: [
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
      ["s3:PutObject", BUCKET_OBJECT, "denied"],
    ],
  },
  {
    name: "a region-restriction SCP narrows where a grant works, not whether an attacker can use it",
    spec: {
      roles: [{ name: "app", managed: [S3_FULL] }],
      scps: {
        ...FULL_CHAIN,
        root: [
          FULL_AWS_ACCESS,
          scp(
            "DenyOtherRegions",
            doc({
              Sid: "DenyRegions",
              Effect: "Deny",
              NotAction: ["iam:*", "organizations:*", "sts:*"],
              Resource: "*",
              Condition: { StringNotEquals: { "aws:RequestedRegion": ["us-east-1", "eu-west-1"] } },
            }),
          ),
        ],
      },
    },
    expectations: [
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
      ["dynamodb:GetItem", "arn:aws:dynamodb:us-west-2:111111111111:table/t", "denied"],
    ],
  },
  {
    name: "a boundary that allows an action only on some resources limits it to them",
    spec: {
      roles: [
        {
          name: "app",
          inline: [doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })],
          boundary: managed("DataOnly", doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::data-bucket/*" })),
        },
      ],
    },
    expectations: [
      ["s3:GetObject", BUCKET_OBJECT, "allowed"],
      ["s3:GetObject", SECRET_OBJECT, "denied"],
      ["s3:PutObject", BUCKET_OBJECT, "denied"],
    ],
  },
];

describe("effectivePermissions follows AWS policy evaluation", () => {
  for (const c of cases) {
    it(c.name, () => {
      // Given the fixture's policies
      // When effective permissions are computed
      const perms = permsFor(c.spec);
      // Then every request decides as AWS documents
      for (const [action, resource, expected] of c.expectations) {
        expect({ action, resource, outcome: outcome(perms, action, resource) }).toEqual({ action, resource, outcome: expected });
      }
    });
  }
});

describe("effectivePermissions explains what it removes", () => {
  it("names the SCP statement that denies an action", () => {
    // Given an admin role under an SCP denying organizations:LeaveOrganization
    const perms = permsFor({
      roles: [{ name: "app", managed: [ADMIN] }],
      scps: { ...FULL_CHAIN, root: [FULL_AWS_ACCESS, scp("DenyLeaveOrg", doc({ Sid: "DenyLeave", Effect: "Deny", Action: "organizations:LeaveOrganization", Resource: "*" }))] },
    });
    // When looking at the removed actions
    const removed = perms.removed.find((r) => r.actions.includes("organizations:leaveorganization"));
    // Then the SCP statement is named
    expect(removed?.reason).toBe("scp-deny");
    expect(removed?.removedByName).toBe('SCP "DenyLeaveOrg" statement #0 (Sid DenyLeave)');
  });

  it("groups actions a boundary does not allow into one entry per statement and reason", () => {
    // Given an admin role with an S3-only boundary
    const perms = permsFor({ roles: [{ name: "app", managed: [ADMIN], boundary: managed("S3Only", doc({ Effect: "Allow", Action: "s3:*", Resource: "*" })) }] });
    // When looking at the removed actions
    // Then there is a single boundary-not-allowed entry holding every non-S3 action
    expect(perms.removed.map((r) => r.reason)).toEqual(["boundary-not-allowed"]);
    expect(perms.removed[0].actions.length).toBeGreaterThan(10_000);
    expect(perms.removed[0].removedByName).toBe('permission boundary "S3Only" allows none of them');
  });

  it("keeps a conditional deny as a deny-conditional limit on the grant", () => {
    // Given an allow and a deny conditioned on the source IP (which the request does not settle)
    const perms = permsFor({
      roles: [
        {
          name: "app",
          inline: [
            doc(
              { Effect: "Allow", Action: "s3:*", Resource: "*" },
              { Effect: "Deny", Action: "s3:Delete*", Resource: "*", Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } },
            ),
          ],
        },
      ],
    });
    // When looking at the grant
    const limit = perms.grants[0].limits[0];
    // Then the deny is a limit touching only the delete actions
    expect(limit.kind).toBe("deny-conditional");
    expect(limit.actions).toContain("s3:deleteobject");
    expect(limit.actions).not.toContain("s3:getobject");
  });

  it("drops a grant whose every action is removed", () => {
    // Given an IAM-only statement under an SCP denying IAM
    const perms = permsFor({
      roles: [{ name: "app", inline: [doc({ Effect: "Allow", Action: "iam:*", Resource: "*" }, { Effect: "Allow", Action: "s3:GetObject", Resource: "*" })] }],
      scps: { ...FULL_CHAIN, account: [FULL_AWS_ACCESS, scp("DenyIam", doc({ Effect: "Deny", Action: "iam:*", Resource: "*" }))] },
    });
    // When computed
    // Then only the S3 grant remains
    expect(perms.grants.map((g) => g.source.statementIndex)).toEqual([1]);
  });

  it("lists an attached policy missing from the snapshot as unresolved", () => {
    // Given a role with an attachment the snapshot could not resolve
    const perms = permsFor({ roles: [{ name: "app", missing: ["arn:aws:iam::111111111111:policy/Gone"] }] });
    // Then it is listed
    expect(perms.unresolvedPolicies).toEqual(["arn:aws:iam::111111111111:policy/Gone"]);
  });

  it("shares the expansion array when nothing narrows a statement", () => {
    // Given two roles with AmazonS3FullAccess and no boundary or SCP
    const index = fixtureIndex({ roles: [{ name: "a", managed: [S3_FULL] }, { name: "b", inline: [doc({ Effect: "Allow", Action: ["s3-object-lambda:*", "s3:*"], Resource: "*" })] }] });
    // When computed for both
    const a = effectivePermissions(index, roleArnOf("a"));
    const b = effectivePermissions(index, roleArnOf("b"));
    // Then the grants share one action array
    expect(a.grants[0].actions).toBe(b.grants[0].actions);
  });
});

describe("the permissions cache", () => {
  it("gives two roles with the same policies the same key and result", () => {
    // Given two roles with the same managed policy
    const index = fixtureIndex({ roles: [{ name: "a", managed: [S3_FULL] }, { name: "b", managed: [S3_FULL] }] });
    const cache = createPermissionsCache();
    // When computed with one cache
    const a = effectivePermissions(index, roleArnOf("a"), cache);
    const b = effectivePermissions(index, roleArnOf("b"), cache);
    // Then the key and grants are shared, only the principal differs
    expect(b.key).toBe(a.key);
    expect(b.grants).toBe(a.grants);
    expect(b.principalArn).toBe(roleArnOf("b"));
  });

  it("changes the key when one statement changes", () => {
    // Given two roles whose inline policies differ in one resource
    const index = fixtureIndex({
      roles: [
        { name: "a", inline: [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" })] },
        { name: "b", inline: [doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::y/*" })] },
      ],
    });
    // When computed
    // Then the keys differ
    expect(effectivePermissions(index, roleArnOf("a")).key).not.toBe(effectivePermissions(index, roleArnOf("b")).key);
  });

  it("does not share results when a condition on the principal ARN differs in outcome", () => {
    // Given two roles (same policy names) whose policy conditions on aws:PrincipalArn
    const policy = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalArn": roleArnOf("a") } } });
    const index = fixtureIndex({ roles: [{ name: "a", managed: [managed("Shared", policy)] }, { name: "b", managed: [managed("Shared", policy)] }] });
    const cache = createPermissionsCache();
    // When computed with one cache
    const a = effectivePermissions(index, roleArnOf("a"), cache);
    const b = effectivePermissions(index, roleArnOf("b"), cache);
    // Then only role a is granted
    expect(a.grants).toHaveLength(1);
    expect(b.grants).toHaveLength(0);
  });
});
