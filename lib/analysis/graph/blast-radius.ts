/**
 * Blast radius of one function: what its role's effective permissions let an attacker holding
 * the function do — per service and access level, which data stores it reads, writes or
 * deletes, which roles it can pass or assume, which functions it reaches.
 */
import type { DataAccessKind } from "../data/data-stores";
import { passableRoles, roleCapabilities } from "./capabilities";
import type { PermissionGraph } from "./edges";
import { summarizePermissions as summarize } from "./permission-summary";

export { releaseSummaries } from "./permission-summary";
import { reachDetailed, REACH_MAX_HOPS, type ReachedRole } from "./reach";
import type { SnapshotIndex } from "../snapshot-index";
import type { AfterEscalation, BlastRadius, DataStoreAccess, EffectivePermissions, EscalationPath } from "../types";
import type { LambdaFunction } from "@/lib/snapshot/types";
import { LIST_CAPS } from "../types";

export interface BlastRadiusInput {
  index: SnapshotIndex;
  fn: LambdaFunction;
  /** Effective permissions of `fn.roleArn`. */
  perms: EffectivePermissions;
  /** When given, reachable functions come from a walk over it (see `reach`). */
  graph?: PermissionGraph;
  escalationPaths: EscalationPath[];
  /** Hop limit of the reach walk (default 5). */
  maxHops?: number;
  /** Effective permissions of another role: what an escalation path's target role holds. */
  permsOf?: (roleArn: string) => EffectivePermissions;
  /** false: `reachableFunctions` is left empty (the count stays), and no path is built for it. */
  listReachedFunctions?: boolean;
}

/**
 * The blast radius of one function. Access levels must be loaded (`loadAccessLevels`) for the
 * services in `perms`. Reachable functions come from the graph when one is given, else are empty.
 */
export function blastRadius(input: BlastRadiusInput): BlastRadius {
  const { index, fn, perms, graph, escalationPaths } = input;
  const summary = summarize(perms);
  const caps = graph?.capabilitiesOf(fn.roleArn) ?? roleCapabilities(index, fn.roleArn, perms);
  // Paths are built only for the listed functions; the count covers all of them.
  const reached = graph ? reachDetailed(graph, fn.arn, input.maxHops ?? REACH_MAX_HOPS, LIST_CAPS.reachableFunctions, { listFunctions: input.listReachedFunctions !== false }) : null;
  return {
    services: summary.services,
    dataStores: summary.dataStores,
    rolesPassable: passableRoles(caps),
    rolesAssumable: [...caps.assume.keys()].sort(),
    reachableFunctions: reached?.functions ?? [],
    escalationPaths,
    totals: { ...summary.totals, reachableFunctions: reached?.functionCount ?? 0 },
    afterEscalation: input.permsOf ? afterEscalation(index, fn, escalationPaths, reached?.roles ?? [], input.permsOf) : null,
  };
}

/**
 * The data stores of the roles the escalation paths land on, and of every role the reach walk
 * takes through an escalation hop (each hop of a chain: B and C of A → B → C), see
 * BlastRadius.afterEscalation.
 */
function afterEscalation(
  index: SnapshotIndex,
  fn: LambdaFunction,
  paths: EscalationPath[],
  reachedRoles: ReachedRole[],
  permsOf: (roleArn: string) => EffectivePermissions,
): AfterEscalation | null {
  const via = new Map<string, { roleArn: string; method: string; conditional: boolean }>();
  for (const path of paths) {
    if (!path.target) continue;
    const roleArn = index.roles.has(path.target) ? path.target : (index.functions.get(path.target)?.roleArn ?? null);
    if (!roleArn || roleArn === fn.roleArn) continue;
    const known = via.get(roleArn);
    // A usable path wins over a conditional one.
    if (!known || (known.conditional && !path.conditional)) via.set(roleArn, { roleArn, method: path.method, conditional: path.conditional });
  }
  for (const role of reachedRoles) {
    if (!role.escalated || role.arn === fn.roleArn || via.has(role.arn) || !index.roles.has(role.arn)) continue;
    via.set(role.arn, { roleArn: role.arn, method: role.moves.join(" → "), conditional: role.path.some((e) => e.conditional) });
  }
  if (via.size === 0) return null;
  const merged = new Map<string, DataStoreAccess & { kind: DataAccessKind }>();
  const services = new Set<string>();
  for (const v of via.values()) {
    const summary = summarize(permsOf(v.roleArn));
    for (const s of summary.services) services.add(s.service);
    for (const kind of ["read", "write", "delete"] as const) {
      for (const d of summary.dataStores[kind]) {
        const key = `${kind}|${d.service}|${d.resource}`;
        const known = merged.get(key);
        const conditional = d.conditional || v.conditional;
        if (!known) merged.set(key, { ...d, kind, conditional });
        else merged.set(key, { ...known, actions: [...new Set([...known.actions, ...d.actions])].sort(), conditional: known.conditional && conditional });
      }
    }
  }
  const dataStores: AfterEscalation["dataStores"] = { read: [], write: [], delete: [] };
  for (const { kind, ...d } of [...merged.values()].sort((a, b) => (a.service + a.resource < b.service + b.resource ? -1 : 1))) dataStores[kind].push(d);
  return { via: [...via.values()].sort((a, b) => a.roleArn.localeCompare(b.roleArn)), dataStores, services: services.size };
}
