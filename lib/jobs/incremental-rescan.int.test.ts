import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { parseGenArgs, writeGeneratedOrganization } from "@/scripts/gen-org";
import { deployedFunction, deployFunctions, snapshotAccountIds, tightenScp, trustRole } from "@/scripts/lib/mutate-snapshot";
import { freshPglite, freshPostgres, type TestDatabase } from "@/lib/store/test-support";
import { STORED_PARTS, STORED_TABLES as TABLES, storedScan } from "@/scripts/lib/stored-scan";
import { computeDiffCandidates } from "@/lib/store/scan-diff-candidates";
import { analysisWorkerFiles, prepareAnalysisWorker } from "./analyse-in-worker";
import { runScan, scanSnapshotDir } from "./run-scan";

const NOW = "2026-12-02T08:00:00.000Z";
// The pages' queries are server-only; here they run in a plain Node process.
vi.mock("server-only", () => ({}));
describe.each([
  ["PGlite", freshPglite],
  ["PostgreSQL", freshPostgres],
])("incremental rescans on %s", (_name, fresh) => {
  let t: TestDatabase;
  let root: string;
  let dir: string;
  beforeAll(async () => {
    t = await fresh();
    root = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-incremental-"));
    dir = path.join(root, "org");
    writeGeneratedOrganization(parseGenArgs(["--functions", "150", "--accounts", "10", "--seed", "incremental", "--out", dir]));
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it("recomputes only the changed account and stores exactly what a full scan stores", async () => {
    // Given a scan of the organization
    const first = await scanSnapshotDir(t.db, dir, { now: NOW });
    expect(first.reused).toBeNull();
    // When one account's functions are redeployed (new runtime, memory, environment) and it is scanned again
    const [changed] = snapshotAccountIds(dir);
    deployFunctions(dir, [changed]);
    const incremental = await scanSnapshotDir(t.db, dir, { now: NOW });
    const full = await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    // Then the rescan reused the nine unchanged accounts of the first scan ...
    expect(incremental.reused).toEqual({ accounts: 9, fromScanId: first.scanId });
    expect(full.reused).toBeNull();
    // ... and stored, row for row, what a full scan of the same snapshot stores
    const [a, b] = [await storedScan(t.db, incremental.scanId), await storedScan(t.db, full.scanId)];
    for (const table of STORED_PARTS) expect(a[table], table).toEqual(b[table]);
    expect(a.role_recommendations.length).toBeGreaterThan(0);
    expect(incremental.summary).toEqual(full.summary);
    // ... with each function's finding count (what the risk view shows without suppressions) the findings the rescan lists for it
    const counts = await t.db.query<{ arn: string; stored: number; listed: number }>(
      `SELECT v.arn, v.finding_count AS stored, (SELECT count(*)::int FROM finding_verdicts x WHERE x.scan_id = v.scan_id AND x.function_arn = v.arn) AS listed
         FROM function_verdicts v WHERE v.scan_id = $1`,
      [incremental.scanId],
    );
    expect(counts.filter((c) => c.listed > 0).length).toBeGreaterThan(10);
    expect(counts.filter((c) => c.stored !== c.listed)).toEqual([]);
    // ... which differs from the first scan where the deployment changed something
    const before = await storedScan(t.db, first.scanId);
    expect(before.functions).not.toEqual(a.functions);
    // ... and its diff against the first scan, derived for the changed account only, names what
    // comparing every function of the two scans names
    const [stored] = await t.db.query<{ arns: unknown }>(`SELECT arns FROM scan_diff_candidates WHERE from_scan_id = $1 AND to_scan_id = $2`, [first.scanId, incremental.scanId]);
    const everyFunction = await computeDiffCandidates(t.db, first.scanId, incremental.scanId);
    expect(everyFunction.length).toBeGreaterThan(0);
    expect(typeof stored.arns === "string" ? JSON.parse(stored.arns) : stored.arns).toEqual(everyFunction);
  }, 300_000);

  it("keeps what another account's trust gives a changed account's function, without rebuilding the organization's graph", async () => {
    // Given an organization where a role of one account trusts the execution role of a function
    // in an account mid-snapshot (which may assume it), and a scan of it
    const trustDir = path.join(root, "org-trust");
    writeGeneratedOrganization(parseGenArgs(["--functions", "150", "--accounts", "10", "--seed", "incremental-trust", "--out", trustDir]));
    const ids = snapshotAccountIds(trustDir);
    const [changed, trusting] = [ids[4], ids[7]];
    const fn = deployedFunction(trustDir, changed);
    const trustingRole = trustRole(trustDir, trusting, fn.roleArn);
    const first = await scanSnapshotDir(t.db, trustDir, { now: NOW });
    // When that function is redeployed and the organization is scanned again
    deployFunctions(trustDir, [changed]);
    const messages: string[] = [];
    const incremental = await scanSnapshotDir(t.db, trustDir, { now: NOW, onProgress: (p) => messages.push(p.message) });
    const full = await scanSnapshotDir(t.db, trustDir, { now: NOW, reuse: false });
    // Then only that account was analysed, and not by building the organization's graph again ...
    expect(incremental.reused).toEqual({ accounts: 9, fromScanId: first.scanId });
    expect(messages.some((m) => m.includes("building the permission graph"))).toBe(false);
    // ... the function still reaches the trusting account's role ...
    const [row] = await t.db.query<{ blast_radius: { rolesAssumable: string[] } | string }>(`SELECT blast_radius FROM functions WHERE scan_id = $1 AND arn = $2`, [incremental.scanId, fn.arn]);
    const radius = typeof row.blast_radius === "string" ? (JSON.parse(row.blast_radius) as { rolesAssumable: string[] }) : row.blast_radius;
    expect(radius.rolesAssumable).toContain(trustingRole);
    // ... and every stored row, in order, is what a full scan stores
    const [a, b] = [await storedScan(t.db, incremental.scanId), await storedScan(t.db, full.scanId)];
    for (const table of STORED_PARTS) expect(a[table], table).toEqual(b[table]);
    expect(incremental.summary).toEqual(full.summary);
  }, 300_000);

  it("recomputes every account when an organization-level input (an SCP) changes", async () => {
    // Given a stored scan of the organization
    const previous = await scanSnapshotDir(t.db, dir, { now: NOW });
    // When an SCP gains a deny statement and the organization is scanned again
    tightenScp(dir, "iam:PassRole");
    const rescan = await scanSnapshotDir(t.db, dir, { now: NOW });
    // Then nothing was reused, and the results equal a full scan's
    expect(rescan.reused).toBeNull();
    const full = await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    const [a, b] = [await storedScan(t.db, rescan.scanId), await storedScan(t.db, full.scanId)];
    for (const table of STORED_PARTS) expect(a[table], table).toEqual(b[table]);
    // ... and a later unchanged rescan reuses all of them again, storing the same rows
    const again = await scanSnapshotDir(t.db, dir, { now: NOW });
    expect(again.reused).toEqual({ accounts: 10, fromScanId: full.scanId });
    const c = await storedScan(t.db, again.scanId);
    for (const table of STORED_PARTS) expect(c[table], table).toEqual(b[table]);
    expect(again.summary).toEqual(full.summary);
    expect(previous.scanId).toBeLessThan(rescan.scanId);
  }, 300_000);

  it("shares the organization's graph, search index, functions and findings with the scan it reuses instead of copying them, and every page reads the same", async () => {
    // Given a full scan of the organization
    const previous = await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    const count = async (table: string, scanId?: number) =>
      (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}${scanId === undefined ? "" : " WHERE scan_id = $1"}`, scanId === undefined ? [] : [scanId]))[0].n;
    const indexBefore = [await count("search_terms"), await count("search_text_terms")];
    // When it is scanned again unchanged, every account reused
    const again = await scanSnapshotDir(t.db, dir, { now: NOW });
    expect(again.reused).toEqual({ accounts: 10, fromScanId: previous.scanId });
    // Then the rescan wrote no function, finding, role, managed policy, event source mapping, role recommendation, edge,
    // permission set, role reach or search-index row of its own ...
    for (const table of ["functions", "findings", "roles", "managed_policies", "event_source_mappings", "role_recommendations", "edges", "permission_sets", "role_reach"]) {
      expect(await count(table, again.scanId), table).toBe(0);
    }
    expect(await count("roles", previous.scanId)).toBeGreaterThan(5);
    expect(await count("event_source_mappings", previous.scanId)).toBeGreaterThan(0);
    expect(await count("finding_verdicts", again.scanId)).toBe(await count("findings", previous.scanId));
    expect(await count("function_verdicts", again.scanId)).toBe(await count("functions", previous.scanId));
    expect(await count("edges", previous.scanId)).toBeGreaterThan(50);
    expect([await count("search_terms"), await count("search_text_terms")]).toEqual(indexBefore);
    // ... yet stores, read as the pages read it, what the full scan stores (its aggregates and page data copied) ...
    const [a, b] = [await storedScan(t.db, again.scanId), await storedScan(t.db, previous.scanId)];
    for (const table of STORED_PARTS) expect(a[table], table).toEqual(b[table]);
    // ... and no function differs from the scan before it
    const [diff] = await t.db.query<{ arns: unknown }>(`SELECT arns FROM scan_diff_candidates WHERE to_scan_id = $1 AND from_scan_id = $2`, [again.scanId, previous.scanId]);
    expect(typeof diff.arns === "string" ? JSON.parse(diff.arns) : diff.arns).toEqual([]);
    // ... and the function page, its graph, its reach list, the role page and a text search answer as for the full scan
    const [{ arn, role_arn: roleArn }] = await t.db.query<{ arn: string; role_arn: string }>(
      `SELECT f.arn, f.role_arn FROM functions f WHERE f.scan_id = $1 AND f.permissions_key IS NOT NULL ORDER BY f.risk_score DESC, f.arn LIMIT 1`,
      [previous.scanId],
    );
    const pages = async (scanId: number) => {
      const { functionDetailIn } = await import("@/lib/queries/function-detail");
      const { functionGraphIn } = await import("@/lib/queries/permission-graph");
      const { reachedFunctionsIn } = await import("@/lib/queries/reach");
      const { roleDetailIn } = await import("@/lib/queries/role-detail");
      const { listFunctionsIn } = await import("@/lib/queries/function-list");
      // Row ids and the scan's own id differ between any two scans.
      const withoutScan = (value: unknown) =>
        JSON.parse(JSON.stringify(value ?? null, (key, v: unknown) => (key === "id" && typeof v === "number" ? 0 : key === "scanId" && v === scanId ? 0 : v))) as unknown;
      const { buildJsonReport } = await import("@/lib/queries/json-report");
      const { loadScanView } = await import("@/lib/queries/scan-view");
      const { suppressionRegister } = await import("@/lib/queries/suppression-register");
      const { loadSnapshot } = await import("@/lib/store/load-snapshot");
      return withoutScan({
        // What `saltzer can --scan` and the "can it?" form analyse.
        snapshot: await loadSnapshot(t.db, scanId),
        detail: await functionDetailIn(t.db, scanId, arn),
        graph: await functionGraphIn(t.db, scanId, arn),
        reach: await reachedFunctionsIn(t.db, scanId, arn),
        role: await roleDetailIn(t.db, scanId, roleArn),
        search: await listFunctionsIn(t.db, { scanId, filter: { q: "iam:" } }),
        riskView: await listFunctionsIn(t.db, { scanId, filter: {}, pageSize: 200 }),
        report: (await buildJsonReport(t.db, scanId)).functions,
        view: (await loadScanView(t.db, scanId)).functions,
        register: (await suppressionRegister(t.db, scanId, new Date(NOW))).entries,
      });
    };
    const [onRescan, onFull] = [await pages(again.scanId), await pages(previous.scanId)];
    expect(JSON.stringify(onRescan)).toContain('"blastRadius"');
    expect(onRescan).toEqual(onFull);
    // ... also once one of the function's findings is suppressed
    const [finding] = await t.db.query<{ fingerprint: string }>(`SELECT fingerprint FROM findings WHERE scan_id = $1 AND function_arn = $2 ORDER BY id LIMIT 1`, [previous.scanId, arn]);
    const { saveSuppression } = await import("@/lib/store/suppressions");
    await saveSuppression(t.db, { fingerprint: finding.fingerprint, reason: "accepted risk", expiresAt: null, createdBy: "test" });
    const [suppressedRescan, suppressedFull] = [await pages(again.scanId), await pages(previous.scanId)];
    expect(JSON.stringify(suppressedRescan)).toContain("accepted risk");
    expect(suppressedRescan).toEqual(suppressedFull);
    expect(suppressedRescan).not.toEqual(onRescan);
  }, 300_000);

  it("decides from the input hashes of a worker that reads the directory itself (as `saltzer scan` does), and stores what a full scan stores", async () => {
    // Given a scan of the organization as it is now, its reads kept in a read cache
    const readCacheDir = path.join(root, "read-cache");
    const before = await scanSnapshotDir(t.db, dir, { now: NOW, readCacheDir });
    // When another account is redeployed and the directory is scanned again by a worker that reads it through the
    // cache (nine accounts unchanged: it hands over the snapshot, then its input hashes, from which the reuse is decided) ...
    const [, changed] = snapshotAccountIds(dir);
    deployFunctions(dir, [changed]);
    const files = analysisWorkerFiles()!;
    const onWorker = (reuse: boolean, cached: boolean) =>
      runScan(t.db, { kind: "directory", dir }, { now: NOW, reuse, preparedWorker: prepareAnalysisWorker(files, { snapshotDir: dir, ...(cached ? { readCacheDir } : {}) }) });
    const rescan = await onWorker(true, true);
    // ... and then from scratch, by a worker reading it afresh (its hashes first: it starts analysing before the
    // snapshot is handed over) and on this thread
    const fullOnWorker = await onWorker(false, false);
    const full = await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false, analysisThread: "main" });
    // Then the rescan reused the nine unchanged accounts, as the scan without the worker's hashes decides ...
    expect(rescan.reused).toEqual({ accounts: 9, fromScanId: before.scanId });
    expect(fullOnWorker.reused).toBeNull();
    // ... and all three stored the same rows
    const [a, b, c] = [await storedScan(t.db, rescan.scanId), await storedScan(t.db, fullOnWorker.scanId), await storedScan(t.db, full.scanId)];
    for (const table of STORED_PARTS) {
      expect(a[table], table).toEqual(c[table]);
      expect(b[table], table).toEqual(c[table]);
    }
    expect([rescan.summary, fullOnWorker.summary]).toEqual([full.summary, full.summary]);
  }, 300_000);

  it("lists ahead the accounts of the scan it likely reuses, and takes all of them back when an organization-level input changed or the read fails", async () => {
    // Given a scan of the organization, then an SCP tightened (nothing is reusable any more)
    const files = analysisWorkerFiles()!;
    const onWorker = () => runScan(t.db, { kind: "directory", dir }, { now: NOW, preparedWorker: prepareAnalysisWorker(files, { snapshotDir: dir }) });
    const before = await onWorker();
    tightenScp(dir, "s3:DeleteBucket");
    // When it is scanned as `saltzer scan` does (the worker reads the directory while this thread lists ahead)
    const rescan = await onWorker();
    // Then nothing was reused and the scan stored exactly a full scan's rows: none of what was listed ahead stayed
    expect(rescan.reused).toBeNull();
    const full = await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    const [a, b] = [await storedScan(t.db, rescan.scanId), await storedScan(t.db, full.scanId)];
    for (const table of STORED_PARTS) expect(a[table], table).toEqual(b[table]);
    // When a file turns malformed after a scan that would be reused, and the directory is scanned again
    const [account] = snapshotAccountIds(dir);
    const broken = path.join(dir, "accounts", account, "iam", "get-account-authorization-details.json");
    const original = fs.readFileSync(broken);
    fs.writeFileSync(broken, "{ not json");
    try {
      await expect(onWorker()).rejects.toThrow(/get-account-authorization-details\.json/);
    } finally {
      fs.writeFileSync(broken, original);
    }
    // Then the failed scan holds no rows, and the next scan reuses every account and stores the full scan's rows
    const [failed] = await t.db.query<{ id: number; status: string }>(`SELECT id, status FROM scans ORDER BY id DESC LIMIT 1`);
    expect(failed.status).toBe("failed");
    expect(await t.db.query(`SELECT 1 FROM function_verdicts WHERE scan_id = $1`, [failed.id])).toEqual([]);
    const again = await onWorker();
    expect(again.reused).toEqual({ accounts: 10, fromScanId: full.scanId });
    const c = await storedScan(t.db, again.scanId);
    for (const table of STORED_PARTS) expect(c[table], table).toEqual(b[table]);
    expect(before.scanId).toBeLessThan(rescan.scanId);
  }, 300_000);

  it("leaves the planner counting a rescan's verdict rows as they are, with many scans stored", async () => {
    // Given a full scan, then rescans of the unchanged organization until 8 scans are stored
    await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    const stored = async () => (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM scans`))[0].n;
    let last = await scanSnapshotDir(t.db, dir, { now: NOW });
    while ((await stored()) < 8) last = await scanSnapshotDir(t.db, dir, { now: NOW });
    expect(last.reused?.accounts).toBe(10);
    // Then the statistics the rescan measured (scan_id only, from a small sample) estimate the new
    // scan's rows within a factor of two: never the one-row guess that turns its pages into nested loops
    for (const table of ["function_verdicts", "finding_verdicts"]) {
      const actual = (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE scan_id = $1`, [last.scanId]))[0].n;
      const [plan] = await t.db.query<{ "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) SELECT * FROM ${table} WHERE scan_id = ${Number(last.scanId)}`);
      const json = plan["QUERY PLAN"];
      const estimated = (typeof json === "string" ? JSON.parse(json) : json)[0].Plan["Plan Rows"] as number;
      expect(actual, table).toBeGreaterThan(100);
      expect(estimated / actual, table).toBeGreaterThan(0.5);
      expect(estimated / actual, table).toBeLessThan(2);
    }
  }, 300_000);
});
