import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { packageRoot } from "@/lib/package-root";
import type { Database } from "./db";
import { applyMigrations } from "./migrate";
import { freshPglite, type TestDatabase } from "./test-support";

const MIGRATION = "20261203160000_function_verdicts_finding_count";
const SAMPLE = path.join(packageRoot(), "samples", "acme");

/** Each function's stored counts beside the findings its scan lists. */
const counts = (db: Database, scanId: number) =>
  db.query<{ arn: string; stored: number; by_severity: number[]; listed: number; listed_by_severity: number[]; row_by_severity: number[] }>(
    `SELECT v.arn, v.finding_count AS stored, v.findings_by_severity AS by_severity, f.findings_by_severity AS row_by_severity,
            (SELECT count(*)::int FROM finding_verdicts x WHERE x.scan_id = v.scan_id AND x.function_arn = v.arn) AS listed,
            ARRAY(SELECT (SELECT count(*)::int FROM finding_verdicts x WHERE x.scan_id = v.scan_id AND x.function_arn = v.arn AND x.severity = s)
                    FROM unnest(ARRAY['critical', 'high', 'medium', 'low', 'info']) WITH ORDINALITY AS s(s, n) ORDER BY n) AS listed_by_severity
       FROM function_verdicts v JOIN functions f ON f.id = v.function_id WHERE v.scan_id = $1 ORDER BY v.arn`,
    [scanId],
  );

describe(`migration ${MIGRATION}`, () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
  }, 120_000);
  afterAll(async () => t?.dispose());

  it("fills each function's finding counts from the findings its scan lists, as a scan writes them, and vacuums the upgraded embedded database", async () => {
    // Given a scan as this version stores it
    const { scanId } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-12-02T08:00:00.000Z" });
    const written = await counts(t.db, scanId);
    expect(written.filter((c) => c.listed > 0).length).toBeGreaterThan(3);
    for (const c of written) {
      expect([c.stored, c.by_severity, c.row_by_severity], c.arn).toEqual([c.listed, c.listed_by_severity, c.listed_by_severity]);
    }

    // When the database is taken back to before the migration and opened again (which upgrades it)
    await t.db.exec(`ALTER TABLE function_verdicts DROP COLUMN finding_count, DROP COLUMN findings_by_severity; ALTER TABLE functions DROP COLUMN findings_by_severity`);
    await t.db.query(`DELETE FROM "_prisma_migrations" WHERE migration_name = $1`, [MIGRATION]);
    await t.db.close();
    const db = await t.reopen();
    try {
      // Then every function has the counts the scan wrote, and the rows the migration rewrote are gone
      const [migration] = await db.query<{ finished: boolean }>(`SELECT finished_at IS NOT NULL AS finished FROM "_prisma_migrations" WHERE migration_name = $1`, [MIGRATION]);
      expect(migration.finished).toBe(true);
      expect(await counts(db, scanId)).toEqual(written);
      const [stats] = await db.query<{ vacuumed: boolean }>(`SELECT last_vacuum IS NOT NULL AS vacuumed FROM pg_stat_user_tables WHERE relname = 'function_verdicts'`);
      expect(stats.vacuumed).toBe(true);
      // ... and opening it once more changes nothing (nothing to apply, nothing to vacuum)
      expect(await applyMigrations(db)).toEqual([]);
    } finally {
      await db.close();
    }
  }, 120_000);
});
