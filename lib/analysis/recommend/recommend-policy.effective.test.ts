import { describe, expect, test } from "vitest";
import { effectivePermissions } from "@/lib/analysis/policy/effective-permissions";
import { decide } from "@/lib/analysis/policy/permission-queries";
import { ACCOUNT, lambdaFunction, mapping, role, snapshotIndex } from "@/test/builders/analysis-builders";
import { recommendRolePolicy } from "./recommend-policy";

describe("recommendPolicy over effectivePermissions", () => {
  test("turns an S3-full-access, basic-execution role into a bucket- and log-group-scoped policy", () => {
    // Given a role with s3:* and logs:* on * (inline), a function naming its bucket, and an SQS mapping
    const r = role("orders-role");
    r.inlinePolicies = [
      {
        name: "app",
        document: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: ["s3:*", "logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
            { Effect: "Allow", Action: "sqs:*", Resource: "*" },
          ],
        },
      },
    ];
    const fn = {
      ...lambdaFunction("orders", "orders-role"),
      environment: [{ name: "BUCKET_NAME", looksSecret: false, secretReason: null, referencedArns: ["arn:aws:s3:::orders-bucket"] }],
    };
    const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders-queue`;
    const mappings = [mapping(fn.arn, queue)];
    const index = snapshotIndex({ roles: [r], functions: [fn], mappings });
    const perms = effectivePermissions(index, fn.roleArn);

    // When the policy is recommended with S3 and logs used
    const result = recommendRolePolicy({
      index,
      roleArn: fn.roleArn,
      functions: [{ fn, mappings }],
      perms,
      lastAccessed: [
        { serviceNamespace: "s3", serviceName: null, lastAuthenticated: "2025-05-01T00:00:00Z", trackedActions: null },
        { serviceNamespace: "logs", serviceName: null, lastAuthenticated: "2025-05-01T00:00:00Z", trackedActions: null },
        { serviceNamespace: "sqs", serviceName: null, lastAuthenticated: "2025-05-01T00:00:00Z", trackedActions: null },
      ],
    });

    // Then GetObject is on the bucket's objects, logs on the own group, polling on the queue, and nothing exceeds today
    const statements = result.document.Statement;
    const sids = statements.map((s) => s.Sid);
    expect(sids.slice(0, 3)).toEqual(["CreateOwnLogGroup", "WriteOwnLogs", "PollOrdersQueue"]);
    const objects = statements.find((s) => s.Resource === "arn:aws:s3:::orders-bucket/*")!;
    expect(objects.Action).toContain("s3:GetObject");
    for (const s of statements) {
      for (const a of [s.Action ?? []].flat()) {
        for (const res of [s.Resource ?? []].flat()) expect(decide(perms, a, res).decision).toBe("allowed");
      }
    }
    expect(result.diff).toContain('-        "s3:*",');
  });
});
