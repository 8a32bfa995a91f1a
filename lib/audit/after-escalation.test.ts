/** Issue 11, point 6: the blast radius shows what a function can do directly and after escalation, and the score uses it. */
import { beforeAll, describe, expect, it } from "vitest";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot, type SnapshotAnalysis } from "./analyze-snapshot";

let analysis: SnapshotAnalysis;
const arn = (name: string) => `arn:aws:lambda:us-east-1:222222222222:function:${name}`;

beforeAll(async () => {
  analysis = await analyzeSnapshot(await readSnapshotDir("samples/acme"), { now: "2026-11-01T00:00:00.000Z" });
}, 120_000);

describe("blast radius after escalation", () => {
  it("shows deploy-helper reading S3, DynamoDB and Secrets Manager data after passing data-admin-role, labelled with the path", () => {
    // Given deploy-helper, which can pass data-admin-role to a new function
    const br = analysis.functions.get(arn("deploy-helper"))!.blastRadius;
    // Then its direct data access is not where the danger is, and after escalation it reads those stores
    expect(br.afterEscalation?.via.map((v) => v.roleArn)).toContain("arn:aws:iam::222222222222:role/data-admin-role");
    const services = new Set(br.afterEscalation!.dataStores.read.map((d) => d.service));
    for (const s of ["s3", "dynamodb", "secretsmanager"]) expect(services).toContain(s);
  });

  it("has no after-escalation part for a function without an escalation path", () => {
    const clean = [...analysis.functions.values()].find((f) => f.blastRadius.escalationPaths.length === 0)!;
    expect(clean.blastRadius.afterEscalation).toBeNull();
  });
});
