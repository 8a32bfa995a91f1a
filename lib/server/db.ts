import "server-only";
import type { Database } from "@/lib/store/db";
import { getDbUnchecked } from "./db-unchecked";

export function getDb(): Promise<Database> {
  return getDbUnchecked();
}
