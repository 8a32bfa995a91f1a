import "server-only";
import { env } from "@/lib/env";
import { openDatabase, type Database } from "@/lib/store/db";

const holder = globalThis as unknown as { __saltzerDb?: Promise<Database> };

/** The dashboard's one database handle per process (PGlite allows one instance per process). */
export function getDb(): Promise<Database> {
  if (!holder.__saltzerDb) {
    const config = env();
    holder.__saltzerDb = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
    holder.__saltzerDb.catch(() => {
      holder.__saltzerDb = undefined;
    });
  }
  return holder.__saltzerDb;
}
