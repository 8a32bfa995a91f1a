import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { joinBlastRadius } from "@/lib/store/scan-rows";
import { functionIdsOf, graphScanId } from "@/lib/store/shared-rows";
import { analyzeSnapshot } from "@/lib/audit/analyze-snapshot";
import type { Snapshot } from "@/lib/snapshot/types";
import { edgeInAwsCase } from "@/lib/queries/action-names";
import { firstReachedOf } from "@/lib/queries/reach";
import { analysisWorkerFiles } from "./analyse-in-worker";
import { runScan, ScanCancelledError } from "./run-scan";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");

describe("runScan", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("cancelled mid-analysis, ends cancelled and stores none of its rows", async () => {
    // Given a scan whose caller cancels as soon as analysis starts
    const controller = new AbortController();
    const scan = runScan(t.db, { kind: "directory", dir: SAMPLE }, {
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === "analysing") controller.abort();
      },
    });
    // When it runs
    await expect(scan).rejects.toBeInstanceOf(ScanCancelledError);
    // Then the scan row says cancelled and no function row carries its id
    const row = await t.db.prisma.scan.findFirstOrThrow({ orderBy: { id: "desc" } });
    expect(row.status).toBe("cancelled");
    expect(await t.db.prisma.lambdaFunction.count({ where: { scanId: row.id } })).toBe(0);
  });

  it("a later complete scan is unaffected by the cancelled one", async () => {
    // Given the cancelled scan above
    // When a new scan runs to the end
    const result = await runScan(t.db, { kind: "directory", dir: SAMPLE });
    // Then it succeeds with every sample function analysed
    expect(result.status).toBe("succeeded");
    const analysed = await t.db.prisma.lambdaFunction.count({ where: { scanId: result.scanId, riskScore: { not: null } } });
    expect(analysed).toBe(result.scanned.functions);
  });

  it("analysed on a worker thread, stores exactly what an analysis on the writing thread stores", async () => {
    // Given the worker's sources are present (so the default scan really runs on the worker)
    expect(analysisWorkerFiles()).not.toBeNull();
    const now = "2026-11-01T00:00:00.000Z";
    // When the sample is scanned once on the worker and once on this thread
    const onWorker = await runScan(t.db, { kind: "directory", dir: SAMPLE }, { now, analysisThread: "worker", reuse: false });
    const onMain = await runScan(t.db, { kind: "directory", dir: SAMPLE }, { now, analysisThread: "main", reuse: false });
    // Then both scans stored the same functions, findings, permission sets and edges
    const stored = async (scanId: number) => ({
      functions: await t.db.prisma.lambdaFunction.findMany({ where: { scanId }, orderBy: { arn: "asc" }, omit: { id: true, scanId: true } }),
      findings: (await t.db.prisma.finding.findMany({ where: { scanId }, omit: { id: true, scanId: true } })).sort((a, b) => (a.fingerprint + a.functionArn < b.fingerprint + b.functionArn ? -1 : 1)),
      permissionSets: await t.db.prisma.permissionSet.findMany({ where: { scanId }, orderBy: { permissionsKey: "asc" }, omit: { id: true, scanId: true } }),
      edges: (await t.db.prisma.edge.findMany({ where: { scanId }, omit: { id: true, scanId: true } })).map((e) => JSON.stringify(e)).sort(),
    });
    const [a, b] = [await stored(onWorker.scanId), await stored(onMain.scanId)];
    expect(a.functions.length).toBeGreaterThan(40);
    expect(a.findings.length).toBeGreaterThan(50);
    expect(a.edges.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
    expect(onWorker.summary).toEqual(onMain.summary);
  });

  it("stores each permission set once, and every function's blast radius reads back whole", async () => {
    // Given a scan of the sample and the same analysis kept in memory
    const now = "2026-11-01T00:00:00.000Z";
    let snapshot!: Snapshot;
    const { scanId } = await runScan(t.db, { kind: "directory", dir: SAMPLE }, { now, onSnapshot: (read) => (snapshot = read) });
    const expected = await analyzeSnapshot(snapshot, { now });
    // When the stored rows are read back
    // (where the scan reads them: an unchanged rescan shares an earlier scan's, lib/store/shared-rows.ts)
    const functions = await t.db.prisma.lambdaFunction.findMany({ where: { id: { in: await functionIdsOf(t.db, scanId, { where: "TRUE", params: [] }) } } });
    const sets = new Map((await t.db.prisma.permissionSet.findMany({ where: { scanId: await graphScanId(t.db, scanId) } })).map((p) => [p.permissionsKey, p]));
    // Then there is one permission set per distinct key, fewer than functions (roles are shared)
    expect(sets.size).toBe(new Set(functions.map((f) => f.permissionsKey)).size);
    expect(sets.size).toBeLessThan(functions.length);
    // And each function's blast radius, joined with its set and its first reached functions (read
    // from its role's stored reach, in AWS's spelling), is the one the analysis computed
    const reached = await firstReachedOf(t.db, scanId, functions);
    let listed = 0;
    for (const fn of functions) {
      const computed = expected.functions.get(fn.arn)!.blastRadius;
      expect(joinBlastRadius(fn.blastRadius, sets.get(fn.permissionsKey!))).toEqual({ ...computed, reachableFunctions: [] });
      expect(reached.get(fn.arn)).toEqual(computed.reachableFunctions.map((r) => ({ ...r, path: r.path.map(edgeInAwsCase) })));
      listed += computed.reachableFunctions.length;
    }
    expect(listed).toBeGreaterThan(0);
  });
});
