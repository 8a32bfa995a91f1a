/** Issue 11 point 11: the recommendation is the role's, so functions sharing a role get one answer covering all of them. */
import path from "node:path";
import { beforeAll, describe, expect, test } from "vitest";
import type { EnvironmentVariable, PolicyStatement } from "@/lib/snapshot/types";
import { analyzeSnapshot, type SnapshotAnalysis } from "@/lib/audit/analyze-snapshot";
import { ACCOUNT, grant, lambdaFunction, mapping, perms, role, snapshotIndex } from "@/test/builders/analysis-builders";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { serviceActionNames } from "./action-catalog";
import { recommendPolicy } from "./recommend-policy";

const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** "action resource" of every Allow statement, actions lower-cased. */
const pairs = (statements: PolicyStatement[]) =>
  statements.filter((s) => s.Effect === "Allow").flatMap((s) => list(s.Action).flatMap((a) => list(s.Resource).map((r) => `${a.toLowerCase()} ${r}`)));
const envVar = (name: string, arns: string[]): EnvironmentVariable => ({ name, looksSecret: false, secretReason: null, referencedArns: arns });

describe("recommendPolicy for a shared role", () => {
  test("two functions sharing a role get identical recommendations covering what each needs", () => {
    // Given ingest (reads the uploads bucket, polled from a queue) and report (writes the reports bucket) sharing app-role, which holds s3:* and sqs:* and logs on *
    const queue = `arn:aws:sqs:us-east-1:${ACCOUNT}:ingest-queue`;
    const ingest = { ...lambdaFunction("ingest", "app-role"), environment: [envVar("UPLOADS", ["arn:aws:s3:::uploads"])] };
    const report = { ...lambdaFunction("report", "app-role"), environment: [envVar("REPORTS", ["arn:aws:s3:::reports"])] };
    const mappings = [mapping(ingest.arn, queue)];
    const index = snapshotIndex({ roles: [role("app-role")], functions: [ingest, report], mappings });
    const p = perms(ingest.roleArn, [grant(serviceActionNames("s3")), grant(serviceActionNames("sqs")), grant(["logs:createloggroup", "logs:createlogstream", "logs:putlogevents"])]);

    // When each function's recommendation is asked for
    const forIngest = recommendPolicy({ index, fn: ingest, perms: p, lastAccessed: null, mappings });
    const forReport = recommendPolicy({ index, fn: report, perms: p, lastAccessed: null });

    // Then both get the same policy
    expect(JSON.stringify(forReport.document)).toBe(JSON.stringify(forIngest.document));
    expect(forReport.notes).toEqual(forIngest.notes);
    // And it covers both: each function's log group, both buckets, and ingest's queue poller
    const granted = pairs(forIngest.document.Statement);
    expect(granted).toEqual(
      expect.arrayContaining([
        `logs:putlogevents arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/ingest:*`,
        `logs:putlogevents arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/report:*`,
        "s3:getobject arn:aws:s3:::uploads/*",
        "s3:putobject arn:aws:s3:::reports/*",
        `sqs:receivemessage ${queue}`,
      ]),
    );
    // And the notes say whose configuration named each resource
    expect(forIngest.notes.some((n) => n.includes("environment variable UPLOADS of ingest"))).toBe(true);
    expect(forIngest.notes.some((n) => n.includes("its 2 functions use"))).toBe(true);
  });

  test("a function alone on its role still gets only its own needs", () => {
    // Given ingest on its own role and report on another
    const ingest = { ...lambdaFunction("ingest", "ingest-role"), environment: [envVar("UPLOADS", ["arn:aws:s3:::uploads"])] };
    const report = { ...lambdaFunction("report", "report-role"), environment: [envVar("REPORTS", ["arn:aws:s3:::reports"])] };
    const index = snapshotIndex({ roles: [role("ingest-role"), role("report-role")], functions: [ingest, report] });

    // When ingest's policy is recommended
    const result = recommendPolicy({ index, fn: ingest, perms: perms(ingest.roleArn, [grant(serviceActionNames("s3"))]), lastAccessed: null });

    // Then nothing of report's bucket is in it
    expect(pairs(result.document.Statement).some((x) => x.includes("arn:aws:s3:::reports"))).toBe(false);
    expect(pairs(result.document.Statement)).toContain("s3:getobject arn:aws:s3:::uploads/*");
  });
});

describe("the sample's recommendations", () => {
  let analysis: SnapshotAnalysis;
  const arn = (name: string) => [...analysis.functions.keys()].find((a) => a.endsWith(`:function:${name}`))!;
  beforeAll(async () => {
    analysis = await analyzeSnapshot(await readSnapshotDir(path.resolve(import.meta.dirname, "../../../samples/acme")), { now: "2026-11-01T00:00:00.000Z" });
  }, 120_000);

  test("deploy-helper keeps the four actions it needs to create and run maintenance functions as data-admin-role", () => {
    // Given deploy-helper (no usage data; TARGET_ROLE_NAME names data-admin-role, which trusts Lambda)
    const rec = analysis.functions.get(arn("deploy-helper"))!.recommendedPolicy;

    // Then its recommendation keeps PassRole on that role and the Lambda calls that hand it over, on the functions granted today
    const granted = pairs(rec.document.Statement);
    expect(granted).toContain("iam:passrole arn:aws:iam::222222222222:role/data-admin-role");
    for (const action of ["lambda:createfunction", "lambda:invokefunction", "lambda:getfunction"]) {
      expect(granted).toContain(`${action} arn:aws:lambda:us-east-1:222222222222:function:*`);
    }
    // And it still says it rests on configuration only, to be reviewed
    expect(rec.confidence).toBe("configuration-only");
  });

  test("image-moderation and image-labeler, sharing media-processing-role, get one recommendation with both log groups", () => {
    const a = analysis.functions.get(arn("image-moderation"))!;
    const b = analysis.functions.get(arn("image-labeler"))!;
    expect(a.roleArn).toBe(b.roleArn);
    expect(JSON.stringify(b.recommendedPolicy.document)).toBe(JSON.stringify(a.recommendedPolicy.document));
    const granted = pairs(a.recommendedPolicy.document.Statement);
    expect(granted).toContain("logs:putlogevents arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/image-moderation:*");
    expect(granted).toContain("logs:putlogevents arn:aws:logs:us-east-1:222222222222:log-group:/aws/lambda/image-labeler:*");
  });
});
