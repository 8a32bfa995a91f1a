import "server-only";
import { getDb } from "@/lib/server/db";
import { overviewIn, type Overview } from "./overview-in";

export type { Overview } from "./overview-in";

/** The overview of a scan (lib/queries/overview-in.ts). */
export async function getOverview(scanId: number): Promise<Overview> {
  return overviewIn(await getDb(), scanId);
}
