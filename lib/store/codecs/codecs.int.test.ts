/**
 * A corrupted JSON column is reported by name (scan, table, column, row) where it is read, not as
 * a crash deep inside a page or an export.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeSnapshot } from "@/lib/audit/analyze-snapshot";
import { buildJsonReport } from "@/lib/queries/json-report";
import { loadSnapshot } from "../load-snapshot";
import { createScan, storeSnapshot } from "../save-scan";
import { freshPglite, tinySnapshot, type TestDatabase } from "../test-support";

describe("stored JSON columns are decoded through validated codecs", () => {
  let t: TestDatabase;
  let scanId: number;
  let arn: string;
  beforeAll(async () => {
    t = await freshPglite();
    const snapshot = tinySnapshot(2);
    scanId = await createScan(t.db, snapshot.source);
    await storeSnapshot(t.db, scanId, snapshot, await analyzeSnapshot(snapshot));
    arn = snapshot.accounts[0].functions[0].arn;
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it("reads an intact scan as before", async () => {
    // Given a stored, analysed scan
    // When its report and snapshot are read
    const report = await buildJsonReport(t.db, scanId);
    const snapshot = await loadSnapshot(t.db, scanId);
    // Then both hold its functions
    expect(report.functions.map((f) => f.arn)).toContain(arn);
    expect(snapshot.accounts[0].functions.map((f) => f.arn)).toContain(arn);
  });

  it("names the scan, table, column and row of a corrupted blast radius in the export", async () => {
    // Given a function whose stored blast radius lost its totals
    await t.db.query(`UPDATE functions SET blast_radius = '{"rolesPassable": []}'::json WHERE scan_id = $1 AND arn = $2`, [scanId, arn]);
    // When the report is read
    // Then the error says where the bad value is
    const error = await buildJsonReport(t.db, scanId).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `Corrupted stored data (scan ${scanId}, functions.blast_radius, row ${arn}): Invalid input: expected array, received undefined at rolesAssumable. Rescan to rewrite it.`,
    );
  });

  it("names the column of a function URL list that is not a list when the snapshot is rebuilt", async () => {
    // Given a function whose URLs column holds an object
    await t.db.query(`UPDATE functions SET urls = '{"url": "x"}'::jsonb WHERE scan_id = $1 AND arn = $2`, [scanId, arn]);
    // When the stored snapshot is rebuilt (saltzer can --scan, check --scan)
    // Then the error names functions.urls and the function
    await expect(loadSnapshot(t.db, scanId)).rejects.toThrow(`functions.urls, row ${arn}`);
  });
});
