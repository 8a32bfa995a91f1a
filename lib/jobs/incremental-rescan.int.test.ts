import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGenArgs, writeGeneratedOrganization } from "@/scripts/gen-org";
import { deployedFunction, deployFunctions, snapshotAccountIds, tightenScp, trustRole } from "@/scripts/lib/mutate-snapshot";
import { freshPglite, freshPostgres, type TestDatabase } from "@/lib/store/test-support";
import { STORED_PARTS, STORED_TABLES as TABLES, storedScan } from "@/scripts/lib/stored-scan";
import type { Database, SqlRunner } from "@/lib/store/db";
import { scanSnapshotDir } from "./run-scan";

const NOW = "2026-12-02T08:00:00.000Z";
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
    // ... which differs from the first scan where the deployment changed something
    const before = await storedScan(t.db, first.scanId);
    expect(before.functions).not.toEqual(a.functions);
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

  it("copies the search index of an unchanged organization by reading each side once, however many scans came before", async () => {
    // Given several stored scans of the organization
    for (let i = 0; i < 4; i++) await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    const previous = await scanSnapshotDir(t.db, dir, { now: NOW, reuse: false });
    // When it is scanned again unchanged, every account reused, watching how the index is copied
    const plans: string[] = [];
    const watched = Object.assign(Object.create(t.db) as Database, {
      withConnection: <T>(fn: (conn: SqlRunner) => Promise<T>) =>
        t.db.withConnection((conn) =>
          fn({
            ...conn,
            query: async <R>(sql: string, params?: unknown[]) => {
              if (sql.includes("INSERT INTO search_text_terms")) plans.push((await conn.query<Record<string, string>>(`EXPLAIN ${sql}`, params)).map((row) => Object.values(row)[0]).join("\n"));
              return conn.query<R>(sql, params);
            },
          }),
        ),
    });
    const again = await scanSnapshotDir(watched, dir, { now: NOW });
    // Then every account was reused, and the index's texts were copied in one pass over the earlier
    // scan's rows, never looked up one text at a time: the new scan's rows are not in the planner's
    // statistics yet, and such a lookup reads the earlier scan's whole index per text (a rescan of
    // 10,000 functions took 49 s instead of 9)
    expect(again.reused).toEqual({ accounts: 10, fromScanId: previous.scanId });
    expect(plans).toHaveLength(1);
    expect(plans[0]).not.toContain("Nested Loop");
    const [a, b] = [await storedScan(t.db, again.scanId), await storedScan(t.db, previous.scanId)];
    for (const table of ["search_terms", "search_text_terms"] as const) expect(a[table], table).toEqual(b[table]);
  }, 300_000);
});
