import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScan, failScan, markInterruptedScans, storeSnapshot } from "./save-scan";
import { loadSnapshot } from "./load-snapshot";
import { listMigrations } from "./migrate";
import { freshPglite, freshPostgres, tinySnapshot, type TestDatabase } from "./test-support";

describe.each([
  ["PGlite", freshPglite],
  ["PostgreSQL", freshPostgres],
])("store on %s", (_name, fresh) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await fresh();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("applies migrations once and records them as prisma migrate deploy does", async () => {
    // Given a database the store has opened (and so migrated)
    // When it is opened again
    const again = await t.reopen();
    const rows = await again.query<{ migration_name: string; finished_at: Date | null }>(`SELECT migration_name, finished_at FROM "_prisma_migrations"`);
    await again.close();
    // Then each migration folder is recorded exactly once, finished
    expect(rows.map((r) => r.migration_name).sort()).toEqual(listMigrations().map((m) => m.name));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });

  it("stores a scan's functions under its scan id and marks it succeeded", async () => {
    // Given a snapshot with three functions
    const scanId = await createScan(t.db, { kind: "directory", location: "/tmp/tiny" });
    // When it is stored
    const status = await storeSnapshot(t.db, scanId, tinySnapshot(3), null);
    // Then the scan is succeeded with three functions
    const scan = await t.db.prisma.scan.findUniqueOrThrow({ where: { id: scanId } });
    expect(status).toBe("succeeded");
    expect(scan.functionCount).toBe(3);
    expect(await t.db.prisma.lambdaFunction.count({ where: { scanId } })).toBe(3);
  });

  it("leaves earlier scans untouched and stores nothing of a scan that fails mid-write", async () => {
    // Given a good scan already stored
    const good = await createScan(t.db, { kind: "directory", location: "/tmp/good" });
    await storeSnapshot(t.db, good, tinySnapshot(2), null);
    // When a later scan fails while writing (duplicate function ARN violates the unique key)
    const bad = await createScan(t.db, { kind: "directory", location: "/tmp/bad" });
    const broken = tinySnapshot(2);
    broken.accounts[0].functions.push(broken.accounts[0].functions[0]);
    await expect(storeSnapshot(t.db, bad, broken, null)).rejects.toThrow();
    await failScan(t.db, bad, new Error("write failed"));
    // Then the failed scan holds no rows and is marked failed, and the good scan is intact
    expect(await t.db.prisma.lambdaFunction.count({ where: { scanId: bad } })).toBe(0);
    expect((await t.db.prisma.scan.findUniqueOrThrow({ where: { id: bad } })).status).toBe("failed");
    expect(await t.db.prisma.lambdaFunction.count({ where: { scanId: good } })).toBe(2);
  });

  it("stores nothing of a scan whose analysis left functions out, naming one of them", async () => {
    // Given a snapshot with two functions and an analysis that hands over no rows
    const scanId = await createScan(t.db, { kind: "directory", location: "/tmp/unanalysed" });
    const snapshot = tinySnapshot(2);
    const skipped = snapshot.accounts[0].functions[0].arn;
    // When the scan is stored
    const storing = storeSnapshot(t.db, scanId, snapshot, { stream: async () => {} });
    // Then it fails, naming a function left without analysis (stored, it would look as if nothing were wrong with it)
    await expect(storing).rejects.toThrow(`The analysis returned no result for 2 function(s), ${skipped} among them`);
    expect(await t.db.prisma.lambdaFunction.count({ where: { scanId } })).toBe(0);
    expect(await t.db.prisma.account.count({ where: { scanId } })).toBe(0);
  });

  it("never stores environment variable values", async () => {
    // Given a function whose environment has a secret-looking variable (names only reach the store)
    const snapshot = tinySnapshot(1);
    snapshot.accounts[0].functions[0].environment = [
      { name: "DB_PASSWORD", looksSecret: true, secretReason: "name contains PASSWORD", referencedArns: [] },
    ];
    const scanId = await createScan(t.db, snapshot.source);
    await storeSnapshot(t.db, scanId, snapshot, null);
    // When the row is read back
    const row = await t.db.prisma.lambdaFunction.findFirstOrThrow({ where: { scanId } });
    // Then it carries the name and the flag
    expect(row.hasSecrets).toBe(true);
    expect(JSON.stringify(row.environment)).toContain("DB_PASSWORD");
  });
});

describe("loadSnapshot", () => {
  it("gives back the snapshot a scan stored, a managed policy's other versions included", async () => {
    // Given a stored scan of a small snapshot with a managed policy that has an older version
    const t = await freshPglite();
    try {
      const snapshot = tinySnapshot(4);
      const statement = (action: string) => ({ Version: "2012-10-17", Statement: [{ Effect: "Allow" as const, Action: action, Resource: "*" }] });
      snapshot.accounts[0].managedPolicies.push({
        arn: `arn:aws:iam::${snapshot.accounts[0].accountId}:policy/app`,
        name: "app",
        awsManaged: false,
        defaultVersionId: "v2",
        document: statement("s3:GetObject"),
        otherVersions: [{ versionId: "v1", document: statement("*") }],
      });
      const scanId = await createScan(t.db, snapshot.source);
      await storeSnapshot(t.db, scanId, snapshot, null);
      // When it is loaded back
      const loaded = await loadSnapshot(t.db, scanId);
      // Then it equals what was stored
      expect(loaded).toEqual(snapshot);
    } finally {
      await t.dispose();
    }
  });
});

describe("interrupted scans on a shared PostgreSQL", () => {
  it("marks a running scan failed only when its heartbeat went stale", async () => {
    const t = await freshPostgres();
    try {
      // Given one scan whose process died 5 minutes ago, and one that is alive
      const dead = await createScan(t.db, { kind: "aws", location: "aws organization" });
      const alive = await createScan(t.db, { kind: "aws", location: "aws organization" });
      await t.db.prisma.scan.update({ where: { id: dead }, data: { heartbeatAt: new Date(Date.now() - 5 * 60_000) } });
      // When the store looks for interrupted scans
      const marked = await markInterruptedScans(t.db);
      // Then only the dead one is failed, with a reason
      expect(marked).toBe(1);
      const rows = await t.db.prisma.scan.findMany({ orderBy: { id: "asc" } });
      expect(rows.map((r) => [r.id, r.status])).toEqual([
        [dead, "failed"],
        [alive, "running"],
      ]);
      expect(rows[0].error).toMatch(/Interrupted/);
    } finally {
      await t.dispose();
    }
  });
});
