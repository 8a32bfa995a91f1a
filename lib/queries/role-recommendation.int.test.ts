/** The recommendation is stored once per role and every reader (pages, reports) gets that one. */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { buildJsonReport } from "./json-report";
import { roleRecommendation, roleRecommendations } from "./role-recommendation";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");
const MEDIA_ROLE = "arn:aws:iam::222222222222:role/media-processing-role";
let t: TestDatabase;
let scanId: number;

beforeAll(async () => {
  t = await freshPglite();
  ({ scanId } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-11-01T00:00:00.000Z" }));
}, 240_000);
afterAll(async () => t?.dispose());

describe("stored role recommendations", () => {
  it("stores one recommendation per role, counting the functions it covers", async () => {
    // When the sample's recommendations are read
    const all = await roleRecommendations(t.db, scanId);
    const [{ n: roles }] = await t.db.query<{ n: number }>(`SELECT count(DISTINCT role_arn)::int AS n FROM functions WHERE scan_id = $1`, [scanId]);

    // Then there is one per execution role, and the shared media-processing-role's covers its two functions
    expect(all.size).toBe(roles);
    expect(all.get(MEDIA_ROLE)?.functionCount).toBe(2);
    expect((await roleRecommendation(t.db, scanId, MEDIA_ROLE))?.policy.document).toEqual(all.get(MEDIA_ROLE)?.policy.document);
  });

  it("gives the report of each function sharing a role that role's one recommendation", async () => {
    // When the JSON report is built (what `saltzer report` and every export print)
    const report = await buildJsonReport(t.db, scanId);
    const byName = new Map(report.functions.map((f) => [f.name, f]));

    // Then image-moderation and image-labeler carry the same policy, the one stored for their role
    const stored = (await roleRecommendations(t.db, scanId)).get(MEDIA_ROLE)!.policy;
    expect(byName.get("image-moderation")!.recommendedPolicy).toEqual(stored);
    expect(byName.get("image-labeler")!.recommendedPolicy).toEqual(stored);
    // And deploy-helper's keeps the Lambda calls it needs beside its PassRole
    const deploy = JSON.stringify(byName.get("deploy-helper")!.recommendedPolicy?.document);
    for (const action of ["lambda:CreateFunction", "lambda:InvokeFunction", "lambda:GetFunction", "iam:PassRole"]) expect(deploy).toContain(action);
  });
});
