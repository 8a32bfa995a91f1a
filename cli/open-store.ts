import { env } from "@/lib/env";
import { openDatabase, type Database } from "@/lib/store/db";
import { markInterruptedScans } from "@/lib/store/save-scan";
import { traceStep } from "@/lib/scan-trace";

export async function openStore(): Promise<Database> {
  const config = env();
  traceStep("main", "opening the database");
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
  traceStep("main", "database open");
  // A scan still `running` whose process died (crash, kill) is marked failed.
  await markInterruptedScans(db);
  return db;
}
