import { env } from "@/lib/env";
import { openDatabase, type Database } from "@/lib/store/db";
import { markInterruptedScans } from "@/lib/store/save-scan";

export async function openStore(): Promise<Database> {
  const config = env();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  // A scan still `running` whose process died (crash, kill) is marked failed.
  await markInterruptedScans(db);
  return db;
}
