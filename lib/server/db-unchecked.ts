import { env } from "@/lib/env";
import { openDatabase, type Database } from "@/lib/store/db";
import { dashboardCacheMb } from "@/lib/store/page-cache-size";
import { markInterruptedScans } from "@/lib/store/save-scan";

const holder = globalThis as unknown as { __saltzerDb?: Promise<Database> };

/**
 * The dashboard's one database handle per process (PGlite allows one instance per process).
 * Pages import it through lib/server/db.ts, which keeps it off the client bundle.
 */
export function getDbUnchecked(): Promise<Database> {
  if (!holder.__saltzerDb) {
    const config = env();
    // The dashboard mostly reads: a store of a large organization gets a larger page cache than a scan's.
    const cacheMb = config.DATABASE_URL ? undefined : (config.SALTZER_DB_CACHE_MB ?? dashboardCacheMb(config.dataDir));
    holder.__saltzerDb = openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir, cacheMb }).then(async (db) => {
      // A scan still `running` whose process died (crash, kill) is marked failed.
      await markInterruptedScans(db);
      return db;
    });
    holder.__saltzerDb.catch(() => {
      holder.__saltzerDb = undefined;
    });
  }
  return holder.__saltzerDb;
}
