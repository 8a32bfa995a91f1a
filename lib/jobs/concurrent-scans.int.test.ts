/**
 * Two scans into one PostgreSQL at once (a scheduled CLI scan and a rescan from the dashboard):
 * the text search's index is shared by every scan (lib/store/finding-search-index.ts), and a
 * scan must not hold its rows locked until it commits, or the other scan waits for it, or
 * deadlocks with it.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, SqlRunner } from "@/lib/store/db";
import { freshPostgres, type TestDatabase } from "@/lib/store/test-support";
import { scanSnapshotDir } from "./run-scan";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");
const NOW = "2026-11-01T00:00:00.000Z";

describe("scans into the same PostgreSQL at the same time", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPostgres();
  }, 120_000);
  afterAll(async () => t?.dispose());

  it("do not wait for each other's search index: a scan completes while another that wrote the same terms has not committed", async () => {
    // Given a scan of the sample that has written all its rows, search index included, but not yet
    // committed (held as it marks itself done)
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held!: () => void;
    const holding = new Promise<void>((resolve) => (held = resolve));
    const paused = Object.assign(Object.create(t.db) as Database, {
      withConnection: <T>(fn: (conn: SqlRunner) => Promise<T>) =>
        t.db.withConnection((conn) =>
          fn({
            ...conn,
            query: async <R>(sql: string, params?: unknown[]) => {
              if (sql.startsWith("UPDATE scans s SET status")) {
                held();
                await gate;
              }
              return conn.query<R>(sql, params);
            },
          }),
        ),
    });
    const first = scanSnapshotDir(paused, SAMPLE, { now: NOW, reuse: false });
    first.catch(() => undefined);
    await holding;
    let secondId = 0;
    try {
      // When a second scan of the same organization runs meanwhile
      const second = scanSnapshotDir(t.db, SAMPLE, { now: NOW, reuse: false });
      const outcome = await Promise.race([second.then((r) => r.status), new Promise<string>((resolve) => setTimeout(() => resolve("still waiting after 60 s"), 60_000))]);
      // Then it completes without waiting for the first to commit
      expect(outcome).toBe("succeeded");
      secondId = (await second).scanId;
      const [{ n }] = await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM finding_verdicts WHERE scan_id = $1 AND search_text_id IS NOT NULL`, [secondId]);
      expect(n).toBeGreaterThan(10);
    } finally {
      release();
    }
    // ... and the first completes too, with the same findings and the same text search answers
    const firstResult = await first;
    expect(firstResult.status).toBe("succeeded");
    const searchable = async (scanId: number) =>
      (
        await t.db.query<{ function_arn: string; fingerprint: string }>(
          `SELECT v.function_arn, v.fingerprint FROM finding_verdicts v
            WHERE v.scan_id = $1 AND v.search_text_id IN (SELECT text_id FROM search_text_terms WHERE term_id IN (SELECT id FROM search_terms WHERE strpos(term, 's3:') > 0))
            ORDER BY 1, 2`,
          [scanId],
        )
      ).map((r) => `${r.function_arn} ${r.fingerprint}`);
    const [a, b] = [await searchable(firstResult.scanId), await searchable(secondId)];
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  }, 180_000);
});
