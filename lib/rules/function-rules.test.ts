import { describe, expect, it } from "vitest";
import { evaluate as deprecatedRuntime } from "./deprecated-runtime";
import { evaluate as missingLogging } from "./missing-logging";
import { evaluate as secretsInEnvironment } from "./secrets-in-environment";
import { evaluate as sharedRole } from "./shared-role";
import { evaluate as unusedPermissions } from "./unused-permissions";
import { context, functionArn, grant, lambdaFunction, perms, roleArn } from "@/test/builders/rule-fixtures";

const fn = lambdaFunction("app", { roleArn: roleArn("app-role") });

describe("missing-logging", () => {
  it("accepts log-stream-level resources", () => {
    // Given logs permissions on the group's streams only
    const p = perms(fn.roleArn, [
      grant({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/app:log-stream:*"] }),
    ]);
    // When / Then no finding
    expect(missingLogging(context(fn, { perms: p }))).toEqual([]);
  });

  it("reports logs permissions on another function's group", () => {
    // Given logs permissions for a different log group
    const p = perms(fn.roleArn, [grant({ actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/other:*"] })]);
    // When / Then reported
    expect(missingLogging(context(fn, { perms: p }))).toHaveLength(1);
  });

  it("makes no claim when a policy could not be resolved", () => {
    // Given an unresolved managed policy
    const p = { ...perms(fn.roleArn, []), unresolvedPolicies: ["arn:aws:iam::111111111111:policy/missing"] };
    // When / Then nothing
    expect(missingLogging(context(fn, { perms: p }))).toEqual([]);
  });
});

describe("deprecated-runtime", () => {
  it("reports a deprecated runtime with its date", () => {
    // Given python3.8 (deprecated 2024-10-14)
    const hits = deprecatedRuntime(context(lambdaFunction("old", { runtime: "python3.8" })));
    // Then medium with the date
    expect(hits[0].severity).toBe("medium");
    expect(hits[0].reason).toContain("2024-10-14");
  });

  it("reports nothing for a supported runtime or a container image", () => {
    // Given nodejs22.x and an image function
    // When / Then nothing
    expect(deprecatedRuntime(context(lambdaFunction("new", { runtime: "nodejs22.x" })))).toEqual([]);
    expect(deprecatedRuntime(context(lambdaFunction("img", { runtime: null, packageType: "Image" })))).toEqual([]);
  });
});

describe("shared-role", () => {
  it("is low for two functions and medium from five", () => {
    // Given one and four other functions on the role
    const two = sharedRole(context(fn, { sharedWith: [functionArn("b")] }));
    const five = sharedRole(context(fn, { sharedWith: ["b", "c", "d", "e"].map((n) => functionArn(n)) }));
    // Then severities follow the count
    expect(two[0].severity).toBe("low");
    expect(five[0].severity).toBe("medium");
  });
});

describe("unused-permissions", () => {
  it("reports a granted service never authenticated, not a recently used one", () => {
    // Given s3 used last week and dynamodb never
    const p = perms(fn.roleArn, [grant({ actions: ["s3:GetObject"] }), grant({ actions: ["dynamodb:PutItem"], source: { statementIndex: 1 } })]);
    const lastAccessed = [
      { serviceNamespace: "s3", serviceName: "Amazon S3", lastAuthenticated: "2026-01-10T00:00:00Z", trackedActions: null },
      { serviceNamespace: "dynamodb", serviceName: "Amazon DynamoDB", lastAuthenticated: null, trackedActions: null },
    ];
    // When
    const hits = unusedPermissions(context(fn, { perms: p, lastAccessed }));
    // Then only dynamodb, medium because it is a write
    expect(hits[0].reason).toContain("dynamodb (never used)");
    expect(hits[0].reason).not.toContain("s3 (");
    expect(hits[0].severity).toBe("medium");
  });

  it("says nothing without last-accessed data", () => {
    // Given no data / When / Then nothing
    expect(unusedPermissions(context(fn, { perms: perms(fn.roleArn, [grant({ actions: ["s3:GetObject"] })]), lastAccessed: null }))).toEqual([]);
  });
});

describe("secrets-in-environment", () => {
  it("names the variable and reason, never a value", () => {
    // Given one secret-looking variable
    const f = lambdaFunction("env", {
      environment: [
        { name: "STRIPE_KEY", looksSecret: true, secretReason: "value looks like a Stripe secret key", referencedArns: [] },
        { name: "TABLE", looksSecret: false, secretReason: null, referencedArns: ["arn:aws:dynamodb:us-east-1:111111111111:table/orders"] },
      ],
    });
    // When / Then
    const hits = secretsInEnvironment(context(f));
    expect(hits[0].reason).toBe("Environment variable(s) STRIPE_KEY (value looks like a Stripe secret key) appear to hold secrets.");
  });
});
