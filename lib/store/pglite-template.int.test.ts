import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "./db";
import { listMigrations } from "./migrate";
import { templatePath, type TemplateSpec } from "./pglite-template";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-template-test-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function appliedMigrations(dataDir: string, template: TemplateSpec): Promise<string[]> {
  const db = await openDatabase({ dataDir, template });
  try {
    const rows = await db.query<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`);
    return rows.map((r) => r.migration_name);
  } finally {
    await db.close();
  }
}

describe("new embedded databases from a prepared template", () => {
  const spec: TemplateSpec = { cacheDir: path.join(root, "cache"), key: "test" };

  it("builds the template once and starts later databases from it, fully migrated and independent", async () => {
    // Given no template yet
    // When two fresh data directories are opened
    const first = await appliedMigrations(path.join(root, "a"), spec);
    expect(fs.existsSync(path.join(templatePath(spec), "PG_VERSION"))).toBe(true);
    const second = await appliedMigrations(path.join(root, "b"), spec);
    // Then both carry every migration, and the second is its own copy, not the template itself
    const names = listMigrations().map((m) => m.name);
    expect(first).toEqual(names);
    expect(second).toEqual(names);
    const db = await openDatabase({ dataDir: path.join(root, "b"), template: spec });
    await db.query(`INSERT INTO suppressions (fingerprint, reason) VALUES ('f', 'why')`);
    await db.close();
    const fresh = await openDatabase({ dataDir: path.join(root, "c"), template: spec });
    expect(await fresh.query(`SELECT * FROM suppressions`)).toEqual([]);
    await fresh.close();
  });

  it("leaves PostgreSQL's template databases out of the template, so a new database copies half the files", async () => {
    // Given a template built for a fresh data directory
    const slim: TemplateSpec = { cacheDir: path.join(root, "slim-cache"), key: "slim" };
    await appliedMigrations(path.join(root, "f"), slim);
    // Then it holds one database's files, and the database copied from it knows only that one
    expect(fs.readdirSync(path.join(templatePath(slim), "base"))).toHaveLength(1);
    const db = await openDatabase({ dataDir: path.join(root, "f"), template: slim });
    expect(await db.query(`SELECT datname FROM pg_database`)).toEqual([{ datname: "postgres" }]);
    await db.close();
  });

  it("deletes other migration sets' templates once unused for a week, and keeps recent ones", async () => {
    // Given an old template of another migration set and a recently used one
    const old = templatePath({ ...spec, key: "older-migrations" });
    const recent = templatePath({ ...spec, key: "other-checkout" });
    for (const dir of [old, recent]) fs.mkdirSync(dir, { recursive: true });
    const longAgo = new Date(Date.now() - 8 * 24 * 3600_000);
    fs.utimesSync(old, longAgo, longAgo);
    // When a fresh data directory is opened from the current template
    await appliedMigrations(path.join(root, "e"), spec);
    // Then only the old one is gone
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(recent)).toBe(true);
    expect(fs.existsSync(templatePath(spec))).toBe(true);
  });

  it("still creates the database when the template is damaged", async () => {
    // Given a template that is not a database
    const broken: TemplateSpec = { cacheDir: path.join(root, "broken-cache"), key: "broken" };
    fs.mkdirSync(templatePath(broken), { recursive: true });
    fs.writeFileSync(path.join(templatePath(broken), "PG_VERSION"), "not a version\n");
    // When a fresh data directory is opened
    const names = await appliedMigrations(path.join(root, "d"), broken);
    // Then it works, migrated, and the damaged template is gone
    expect(names).toEqual(listMigrations().map((m) => m.name));
    expect(fs.existsSync(path.join(templatePath(broken), "PG_VERSION"))).toBe(false);
  });
});
