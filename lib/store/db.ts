/**
 * Opens the store: PostgreSQL through @prisma/adapter-pg when DATABASE_URL is set, embedded
 * PGlite under SALTZER_DATA_DIR otherwise. Same schema and code path above the adapter.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "./migrate";
import { pgliteJsonStatement } from "./pglite-json-statement";
import { copyFromTemplate, defaultTemplateSpec, DROP_TEMPLATE_DATABASES, templatePath, type TemplateSpec } from "./pglite-template";

/** Raw SQL access for migrations and bulk reads, beside the Prisma client. */
export interface SqlRunner {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>;
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `sql`, whose one parameter `$1::json` is `json`: JSON text in UTF-8 (bulk inserts of
   * megabytes). The bytes go over as the parameter's binary form, which for json is its text, so
   * neither driver converts them again.
   */
  queryJson(sql: string, json: Uint8Array): Promise<void>;
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
  /**
   * The embedded database's page cache (shared buffers) in MiB; default 32 (see PGLITE_SETTINGS).
   * The dashboard asks for more on a large store (lib/store/page-cache-size.ts).
   */
  cacheMb?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  const { db, migrated } = options.databaseUrl ? { db: await openPostgres(options.databaseUrl), migrated: false } : await openPglite(options.dataDir ?? ".saltzer", options.template, options.cacheMb);
  try {
    if (!migrated) await db.withConnection((conn) => applyMigrations(conn, undefined, { vacuumAfterUpgrade: db.kind === "pglite" }));
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
  const prisma = lazyPrisma(() => new PrismaPg(pool));
  return {
    get prisma() {
      return prisma.client();
    },
    kind: "postgres",
    location: redact(url),
    async exec(sql) {
      await pool.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await pool.query(sql, params)).rows as T[];
    },
    async queryJson(sql, json) {
      await pool.query(sql, [asBuffer(json)]);
    },
    async withConnection(fn) {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => void (await client.query(sql)),
          query: async <T>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
          queryJson: async (sql, json) => void (await client.query(sql, [asBuffer(json)])),
        });
      } finally {
        client.release();
      }
    },
    async close() {
      await prisma.disconnect();
      await pool.end();
    },
  };
}

/**
 * `migrated`: the database was just copied from the default template, which is keyed by the
 * migrations this build applies (pglite-template.ts), so there is nothing to check.
 */
async function openPglite(dataDir: string, templateOption: TemplateSpec | null | undefined, cacheMb = DEFAULT_CACHE_MB): Promise<{ db: Database; migrated: boolean }> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const dir = path.resolve(dataDir, "pgdata");
  if (!Number.isInteger(cacheMb) || cacheMb < 1) throw new Error(`Cannot open the embedded database at ${dir}: its page cache must be a whole number of MiB, not ${cacheMb}.`);
  const startParams = [...PGlite.defaultStartParams, ...[...PGLITE_SETTINGS, `shared_buffers=${cacheMb}MB`].flatMap((setting) => ["-c", setting])];
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const releaseLock = acquireDataDirLock(path.dirname(dir));
  // Compiled on V8's background threads while this thread copies the template. An existing
  // database is opened by PGlite's own compile; a second one held ~15 MB more for nothing.
  const existing = fs.existsSync(path.join(dir, "PG_VERSION"));
  const wasm = existing ? Promise.resolve(undefined) : compilePgliteWasm();
  let client: InstanceType<typeof PGlite>;
  let migrated = false;
  try {
    const template = templateOption === undefined ? defaultTemplateSpec() : templateOption;
    const fromTemplate =
      template !== null &&
      !existing &&
      (await copyFromTemplate(dir, template, async (building) => {
        const fresh = await PGlite.create(building, { startParams, pgliteWasmModule: await wasm });
        await applyMigrations({ exec: async (sql) => void (await fresh.exec(sql)), query: async <T>(sql: string, params?: unknown[]) => (await fresh.query<T>(sql, params)).rows });
        for (const sql of DROP_TEMPLATE_DATABASES) await fresh.exec(sql);
        await fresh.close();
      }));
    try {
      client = await PGlite.create(dir, { startParams, pgliteWasmModule: await wasm });
      migrated = fromTemplate && templateOption === undefined;
    } catch (error) {
      if (!fromTemplate) throw error;
      // A template another PGlite version wrote: forget it and create the database in place.
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(templatePath(template!), { recursive: true, force: true });
      client = await PGlite.create(dir, { startParams, pgliteWasmModule: await wasm });
    }
  } catch (error) {
    releaseLock();
    throw new Error(`Cannot open the embedded database at ${dir}: ${(error as Error).message}`);
  }
  const prisma = lazyPrisma(() => new PrismaPGlite(client));
  const jsonStatement = pgliteJsonStatement(client);
  const runner: SqlRunner = {
    async exec(sql) {
      await client.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []) {
      return (await client.query<T>(sql, params)).rows;
    },
    queryJson: jsonStatement,
  };
  const db: Database = {
    get prisma() {
      return prisma.client();
    },
    kind: "pglite",
    location: dir,
    ...runner,
    // PGlite is a single connection.
    withConnection: (fn) => fn(runner),
    async close() {
      await prisma.disconnect();
      await client.close();
      releaseLock();
    },
  };
  return { db, migrated };
}

/**
 * PGlite's WebAssembly (9 MB), compiled from the moment the database is opened: PGlite itself
 * starts compiling only once asked to start, which is about half a second of a new database's
 * opening on this thread. Never rejects: when the file is not where the package keeps it, or does
 * not compile, PGlite is left to load it itself and report what is wrong.
 */
async function compilePgliteWasm(): Promise<WebAssembly.Module | undefined> {
  try {
    const file = path.join(path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite")), "pglite.wasm");
    return await WebAssembly.compile(await fs.promises.readFile(file));
  } catch {
    // PGlite then locates and compiles its WebAssembly as it always does, and names any problem.
    return undefined;
  }
}

/**
 * The Prisma client, made on first use: its first query loads and compiles the query compiler
 * (WebAssembly, about half a second of CPU), which a CLI scan (plain SQL throughout) never needs.
 */
function lazyPrisma(adapter: () => NonNullable<ConstructorParameters<typeof PrismaClient>[0]["adapter"]>) {
  let client: PrismaClient | null = null;
  return {
    // The search index's 64-bit ids would come back as BigInt, which no page or JSON export can
    // serialize; only lib/queries/view-sql.ts reads them, in SQL.
    client: () => (client ??= new PrismaClient({ adapter: adapter(), omit: { finding: { searchTextId: true }, findingVerdict: { searchTextId: true } } })),
    disconnect: async () => {
      await client?.$disconnect();
    },
  };
}

/**
 * Settings of the embedded database beyond PGlite's own (which already run without fsync).
 * - A new 16 MiB WAL segment is otherwise filled with zeros before use: a scan writes its rows'
 *   WAL twice, once as zeros. Off is what PostgreSQL recommends where preallocation buys nothing;
 *   recovery reads a segment only up to its last valid record, so a crash mid-scan still replays
 *   to the last commit and the scan's uncommitted rows stay invisible.
 * - Shared buffers (DEFAULT_CACHE_MB, or OpenOptions.cacheMb) live in the process's own memory
 *   (WebAssembly, all of it touched at start, never given back), and a scan writes more than any
 *   buffer pool holds: 32 MiB instead of 128 keeps a 10,000-function scan under 1 GiB; pages
 *   beyond it are read from the OS file cache, one system call each.
 * - Full-page images guard against a page half written when the machine loses power; without
 *   fsync (PGlite) such a loss can damage the database anyway, while a killed process never
 *   leaves a half-written page (each page goes to the OS in one write). Off, a rescan no longer
 *   logs each earlier page it first touches in whole (~120 MB of WAL at 10,000 functions).
 * - WAL buffers of 16 MiB instead of 1/32 of the shared buffers (1 MiB): the WAL goes to the file
 *   in ~1,000 writes instead of ~27,000 at 10,000 functions.
 */
const PGLITE_SETTINGS = ["wal_init_zero=off", "full_page_writes=off", "wal_buffers=16MB"];

export const DEFAULT_CACHE_MB = 32;

/** node-postgres sends a Buffer parameter in binary form (a Uint8Array it would send as text). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

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
