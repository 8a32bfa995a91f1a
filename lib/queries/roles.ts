import "server-only";
import { getDb } from "@/lib/server/db";
import { listRolesIn, type RoleListOptions } from "./role-list";

export type { RoleRow } from "./role-list";

/** Roles that execute functions, shared ones first, with their functions (lib/queries/role-list.ts). */
export async function listRoles(scanId: number, options: RoleListOptions) {
  return listRolesIn(await getDb(), scanId, options);
}
