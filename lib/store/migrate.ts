/**
 * Applies prisma/migrations/<name>/migration.sql in order and records each in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does, so the two stay interchangeable.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "@/lib/package-root";
import type { SqlRunner } from "./db";

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// Any constant works: it only serializes concurrent migrators on one server.
const ADVISORY_LOCK_KEY = 72707369;

export function migrationsDir(): string {
  const dir = path.join(packageRoot(), "prisma", "migrations");
  if (!fs.existsSync(dir)) throw new Error(`Migrations folder not found (looked in ${dir})`);
  return dir;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = migrationsDir()): Migration[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && fs.existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = fs.readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: crypto.createHash("sha256").update(sql).digest("hex") };
    });
}

/**
 * Returns the names of the migrations it applied. `vacuumAfterUpgrade`: when it applied some to a
 * database that had others already (an upgrade, not a creation), it then vacuums and analyses
 * it: a migration that fills a new column rewrites every row, and the embedded database has no
 * autovacuum to take the old versions away (a 100,000-function risk view's deep page read them
 * all: 80 → 200 ms).
 */
export async function applyMigrations(db: Pick<SqlRunner, "exec" | "query">, migrations = listMigrations(), { vacuumAfterUpgrade = false } = {}): Promise<string[]> {
  await db.exec(MIGRATIONS_TABLE);
  await db.query("SELECT pg_advisory_lock($1)", [ADVISORY_LOCK_KEY]);
  try {
    const rows = await db.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const applied = new Map(rows.map((r) => [r.migration_name, r]));
    const done: string[] = [];
    for (const migration of migrations) {
      const previous = applied.get(migration.name);
      if (previous?.finished_at) {
        if (previous.checksum !== migration.checksum) {
          throw new Error(`Migration ${migration.name} was changed after it was applied (checksum differs); add a new migration instead.`);
        }
        continue;
      }
      if (previous) throw new Error(`Migration ${migration.name} failed earlier and is not finished; fix the database by hand, then mark it rolled back.`);
      const id = crypto.randomUUID();
      await db.exec("BEGIN");
      try {
        await db.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await db.exec(migration.sql);
        await db.query(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
        await db.exec("COMMIT");
      } catch (error) {
        await db.exec("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      done.push(migration.name);
    }
    if (vacuumAfterUpgrade && done.length > 0 && applied.size > 0) await db.exec("VACUUM ANALYZE");
    return done;
  } finally {
    await db.query("SELECT pg_advisory_unlock($1)", [ADVISORY_LOCK_KEY]);
  }
}
