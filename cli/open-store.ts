import { env } from "@/lib/env";
import { openDatabase, type Database } from "@/lib/store/db";

export async function openStore(): Promise<Database> {
  const config = env();
  return openDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.dataDir });
}
