import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScan, storeSnapshot } from "./save-scan";
import { applyMigrations } from "./migrate";
import { freshPostgres, tinySnapshot, type TestDatabase } from "./test-support";

const MIGRATION = "20261202060000_forget_environment_values";

describe(`migration ${MIGRATION}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPostgres();
  }, 120_000);
  afterAll(async () => t?.dispose());

  it("forgets names read from environment values in stored scans and drops the recommendations built from them", async () => {
    // Given a scan stored the way older versions stored it: a name taken from a value, and a
    // recommendation whose ARN and Sid were built from that name
    const scanId = await createScan(t.db, { kind: "directory", location: "/tmp/old" });
    await storeSnapshot(t.db, scanId, tinySnapshot(2), null);
    const [leaky, clean] = await t.db.query<{ id: number }>(`SELECT id FROM "functions" WHERE scan_id = $1 ORDER BY id`, [scanId]);
    await t.db.query(
      `UPDATE "functions" SET environment = $1::jsonb, recommended_policy = $2::json WHERE id = $3`,
      [
        JSON.stringify([{ name: "DB_PASS", looksSecret: false, secretReason: null, referencedArns: [], referencedNames: ["canary-pass-0042"] }]),
        JSON.stringify({ Statement: [{ Sid: "ReadWriteCanaryPass0042Queue", Resource: "arn:aws:sqs:us-east-1:222222222222:canary-pass-0042" }] }),
        leaky.id,
      ],
    );
    await t.db.query(`UPDATE "functions" SET recommended_policy = $1::json WHERE id = $2`, [JSON.stringify({ Statement: [{ Sid: "Kept" }] }), clean.id]);

    // When the migration runs (again) on that database
    await t.db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [MIGRATION]);
    expect(await applyMigrations(t.db)).toEqual([MIGRATION]);

    // Then no table holds the canary, and the other function's recommendation is untouched
    const rows = await t.db.query<{ id: number; row: string }>(`SELECT id, row_to_json(f)::text AS row FROM "functions" f WHERE scan_id = $1 ORDER BY id`, [scanId]);
    for (const r of rows) expect(r.row.toLowerCase()).not.toMatch(/canary|referencednames/);
    const policies = await t.db.query<{ id: number; p: unknown }>(`SELECT id, recommended_policy AS p FROM "functions" WHERE scan_id = $1 ORDER BY id`, [scanId]);
    expect(policies.find((p) => p.id === leaky.id)?.p).toBeNull();
    expect(policies.find((p) => p.id === clean.id)?.p).toEqual({ Statement: [{ Sid: "Kept" }] });
  }, 120_000);
});
