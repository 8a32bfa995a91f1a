/**
 * The overview reads stored per-scan aggregates and corrects them for suppressed findings; its
 * numbers must equal what the scan view (every function, suppressions applied) counts.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import { scanSnapshotDir } from "@/lib/jobs/run-scan";
import { saveSuppression } from "@/lib/store/suppressions";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { overviewIn } from "./overview-in";
import { loadScanView } from "./scan-view";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");

/** The overview's numbers counted the slow way, from the whole scan view. */
async function countedFromView(t: TestDatabase, scanId: number) {
  const view = await loadScanView(t.db, scanId);
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const categories = new Map<string, { findings: number; functions: Set<string> }>();
  let suppressed = 0;
  for (const fn of view.functions) {
    if (fn.severity) bySeverity[fn.severity] += 1;
    for (const f of fn.findings) {
      if (f.suppressed) {
        suppressed += 1;
        continue;
      }
      const c = categories.get(f.category) ?? { findings: 0, functions: new Set<string>() };
      c.findings += 1;
      c.functions.add(fn.arn);
      categories.set(f.category, c);
    }
  }
  const riskiest = [...view.functions].sort((a, b) => (b.riskScore ?? 0) - (a.riskScore ?? 0) || (a.name < b.name ? -1 : 1)).slice(0, 10);
  return {
    bySeverity,
    suppressed,
    categories: Object.fromEntries([...categories].map(([k, v]) => [k, { findings: v.findings, functions: v.functions.size }])),
    riskiest: riskiest.map((f) => ({ arn: f.arn, severity: f.severity, isPublic: f.isPublic, findingCount: f.findings.filter((x) => !x.suppressed).length })),
  };
}

describe("overview from stored aggregates", () => {
  let t: TestDatabase;
  let scanId: number;
  beforeAll(async () => {
    t = await freshPglite();
    ({ scanId } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-11-01T00:00:00.000Z" }));
  }, 300_000);
  afterAll(async () => {
    await t?.dispose();
  });

  const shown = (o: Awaited<ReturnType<typeof overviewIn>>) => ({
    bySeverity: o.bySeverity,
    suppressed: o.suppressed,
    categories: Object.fromEntries(o.categories.map((c) => [c.category, { findings: c.findings, functions: c.functions }])),
    riskiest: o.riskiest.map((f) => ({ arn: f.arn, severity: f.severity, isPublic: f.isPublic, findingCount: f.findingCount })),
  });

  it("counts what the scan view counts, before and after suppressing the riskiest function's findings", async () => {
    // Given the stored sample scan
    // When the overview is read
    // Then it counts what the whole scan view counts
    expect(shown(await overviewIn(t.db, scanId))).toEqual(await countedFromView(t, scanId));

    // Given every finding of the riskiest function suppressed, and a public-invoke finding elsewhere
    const view = await loadScanView(t.db, scanId);
    const riskiest = [...view.functions].sort((a, b) => (b.riskScore ?? 0) - (a.riskScore ?? 0))[0];
    for (const f of riskiest.findings) await saveSuppression(t.db, { fingerprint: f.fingerprint, reason: "accepted", expiresAt: null, createdBy: "test" });
    const publicOne = view.functions.find((f) => f.arn !== riskiest.arn && f.findings.some((x) => x.ruleId === "public-invoke"))!;
    await saveSuppression(t.db, { fingerprint: publicOne.findings.find((x) => x.ruleId === "public-invoke")!.fingerprint, reason: "by design", expiresAt: null, createdBy: "test" });
    // When the overview is read again
    const after = await overviewIn(t.db, scanId);
    // Then it still counts what the scan view counts, and the suppressions show in it
    expect(shown(after)).toEqual(await countedFromView(t, scanId));
    expect(after.suppressed).toBe(riskiest.findings.length + 1);
    expect(after.riskiest.find((f) => f.arn === riskiest.arn)?.findingCount).toBe(0);
  });

  it("draws earlier scans in the trend from their stored counts, and counts a scan stored before aggregates existed", async () => {
    // Given a second scan, and a first scan whose aggregates row is gone (stored by an older version)
    const stored = await t.db.query<{ critical: number; high: number }>(
      `SELECT count(*) FILTER (WHERE severity = 'critical')::int AS critical, count(*) FILTER (WHERE severity = 'high')::int AS high FROM functions WHERE scan_id = $1`,
      [scanId],
    );
    const { scanId: second } = await scanSnapshotDir(t.db, SAMPLE, { now: "2026-11-02T00:00:00.000Z" });
    const withAggregates = (await overviewIn(t.db, second)).trend;
    await t.db.query(`DELETE FROM scan_aggregates WHERE scan_id = $1`, [scanId]);
    // When the second scan's overview is read
    const without = (await overviewIn(t.db, second)).trend;
    // Then the first point holds the first scan's stored critical and high counts, either way
    for (const trend of [withAggregates, without]) {
      expect(trend.map((p) => p.scanId)).toEqual([scanId, second]);
      expect({ critical: trend[0].critical, high: trend[0].high }).toEqual({ critical: Number(stored[0].critical), high: Number(stored[0].high) });
    }
  }, 300_000);
});
