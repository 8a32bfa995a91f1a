/**
 * Opens the store: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, embedded
 * PGlite under SALTZER_DATA_DIR otherwise. Same schema and code path above the adapter.
 */
import fs from "node:fs";
import path from "node:path";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "./migrate";
import { copyFromTemplate, defaultTemplateSpec, templatePath, type TemplateSpec } from "./pglite-template";

/** Raw SQL access for migrations and bulk reads, beside the Prisma client. */
export interface SqlRunner {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `sql`, whose one parameter `$1::json` is `json` (for bulk inserts of megabytes). The
   * embedded database's runner hands the text over as UTF-8 bytes: PGlite's own preparation of a
   * string parameter measures it character by character in JavaScript, seconds per large scan.
   */
  queryJson?(sql: string, json: string): Promise<void>;
}

export interface Database extends SqlRunner {
  prisma: PrismaClient;
  kind: "postgres" | "pglite";
  /** Where the data lives: the data dir, or the URL without its password. */
  location: string;
  /** Runs `fn` on one connection (transactions and advisory locks need that). */
  withConnection<T>(fn: (conn: SqlRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  dataDir?: string;
  /** Where a new embedded database is copied from (lib/store/pglite-template.ts); null creates it in place. */
  template?: TemplateSpec | null;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const db = options.databaseUrl ? await openPostgres(options.databaseUrl) : await openPglite(options.dataDir ?? ".saltzer", options.template);
  try {
    await db.withConnection((conn) => applyMigrations(conn));
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

async function openPostgres(url: string): Promise<Database> {
  const { Pool } = (await import("pg")).default;
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool = new Pool({ connectionString: url, max: 8 });
  // An idle connection the server ends (restart, failover, admin shutdown) is an event on the pool;
  // without a listener it would crash the dashboard. The pool opens a new connection on next use.
  pool.on("error", (error) => {
    console.error(`saltzer: an idle PostgreSQL connection to ${redact(url)} was closed by the server (${error.message}); reconnecting on next use.`);
  });
  // Fail early with the server's own message (wrong host, database missing …).
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw new Error(`Cannot connect to PostgreSQL at ${redact(url)}: ${(error as Error).message}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    kind: "postgres",
    location: redact(url),
    async exec(sql) {
      await pool.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(dataDir: string, templateOption: TemplateSpec | null | undefined): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const dir = path.resolve(dataDir, "pgdata");
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const releaseLock = acquireDataDirLock(path.dirname(dir));
  let client: InstanceType<typeof PGlite>;
  try {
    const template = templateOption === undefined ? defaultTemplateSpec() : templateOption;
    const fromTemplate =
      template !== null &&
      !fs.existsSync(path.join(dir, "PG_VERSION")) &&
      (await copyFromTemplate(dir, template, async (building) => {
        const fresh = await PGlite.create(building);
        await applyMigrations({ exec: async (sql) => void (await fresh.exec(sql)), query: async <T>(sql: string, params?: unknown[]) => (await fresh.query<T>(sql, params)).rows });
        await fresh.close();
      }));
    try {
      client = await PGlite.create(dir);
    } catch (error) {
      if (!fromTemplate) throw error;
      // A template another PGlite version wrote: forget it and create the database in place.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(templatePath(template!), { recursive: true, force: true });
      client = await PGlite.create(dir);
    }
  } catch (error) {
    releaseLock();
    throw new Error(`Cannot open the embedded database at ${dir}: ${(error as Error).message}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(client) });
  const runner: SqlRunner = {
    async exec(sql) {
      await client.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query<T>(sql, params)).rows;
    },
    async queryJson(sql, json) {
      // Bytes go over as the parameter's binary form, which for json is its UTF-8 text; the
      // identity serializer keeps PGlite from turning them into JSON again.
      await client.query(sql, [utf8.encode(json)], { serializers: { [JSON_OID]: (bytes: Uint8Array) => bytes as unknown as string } });
    },
  };
  return {
    prisma,
    kind: "pglite",
    location: dir,
    ...runner,
    // PGlite is a single connection.
    withConnection: (fn) => fn(runner),
    async close() {
      await prisma.$disconnect();
      await client.close();
      releaseLock();
    },
  };
}

const utf8 = new TextEncoder();
const JSON_OID = 114;

function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

/**
 * PGlite is one process's database: a second process opening the same directory would corrupt
 * it, so the data dir carries a lock file with the owner's pid.
 */
function acquireDataDirLock(dataDir: string): () => void {
  const lockFile = path.join(dataDir, "saltzer.lock");
  try {
    const owner = Number(fs.readFileSync(lockFile, "utf8"));
    if (owner && owner !== process.pid && isAlive(owner)) {
      throw new Error(
        `The embedded database in ${dataDir} is in use by process ${owner} (the dashboard or another scan). ` +
          `Stop that process, or point both at PostgreSQL with DATABASE_URL.`,
      );
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockFile, "utf8") === String(process.pid)) fs.rmSync(lockFile);
    } catch {
      // Already gone: nothing to release.
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
