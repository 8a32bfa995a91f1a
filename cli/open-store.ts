import { env } from "@/lib/env";
import { openDatabase, type Database } from "@/lib/store/db";
import { markInterruptedScans } from "@/lib/store/save-scan";

export async function openStore(): Promise<Database> {
  const config = env();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  // The embedded database belongs to one process at a time: a scan still `running` was cut off.
  if (db.kind === "pglite") await markInterruptedScans(db);
  return db;
}
