/**
 * Blast radius of one function: what its role's effective permissions let an attacker holding
 * the function do — per service and access level, which data stores it reads, writes or
 * deletes, which roles it can pass or assume, which functions it reaches.
 */
import { isGrantConditional } from "../policy/permission-queries";
import { accessLevelsOf, serviceOf } from "../policy/access-levels";
import { DATA_STORE_ACTIONS, type DataAccessKind } from "../data/data-stores";
import { passableRoles, roleCapabilities } from "./capabilities";
import { resourcePatternsFor, type PermissionGraph } from "./edges";
import { reachDetailed, REACH_MAX_HOPS, type ReachedRole } from "./reach";
import type { SnapshotIndex } from "../snapshot-index";
import {
  ACCESS_LEVELS,
  type AccessLevel,
  type AfterEscalation,
  type BlastRadius,
  type DataStoreAccess,
  type EffectivePermissions,
  type EscalationPath,
  type Grant,
  type ServiceReach,
} from "../types";
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
}

/** Actions iam-data does not know are bucketed as Write: an unknown action is not assumed harmless. */
const UNKNOWN_ACTION_LEVELS: readonly AccessLevel[] = ["Write"];

/** Some ARN services differ from the action prefix. */
const ARN_SERVICES: Record<string, string[]> = {
  "rds-data": ["rds"],
  "rds-db": ["rds-db"],
  efs: ["elasticfilesystem"],
};

function arnServicesOf(service: string): string[] {
  return ARN_SERVICES[service] ?? [service];
}

const isConditional = (grant: Grant): boolean => isGrantConditional(grant);

interface PermissionSummary {
  services: ServiceReach[];
  dataStores: BlastRadius["dataStores"];
  totals: BlastRadius["totals"];
}

/**
 * The part that depends only on the grants, shared by functions whose permissions share them
 * (effectivePermissions hands out the same grants array for equal keys).
 */
let summaries = new WeakMap<readonly Grant[], PermissionSummary>();

/**
 * Forgets the summaries made so far. A scan calls it between accounts: the summaries are only
 * read again by functions sharing the permission set, which mostly sit in the same account, and
 * kept for the whole organization they held ~1.5 KiB per function. One asked for again is made
 * again, the same.
 */
export function releaseSummaries(): void {
  summaries = new WeakMap();
}

function summarize(perms: EffectivePermissions): PermissionSummary {
  const cached = summaries.get(perms.grants);
  if (cached) return cached;
  const byService = new Map<string, Map<AccessLevel, { actions: Set<string>; resources: Set<string> }>>();
  const stores = new Map<string, { kind: DataAccessKind; service: string; resource: string; actions: Set<string>; conditional: boolean }>();
  const allActions = new Set<string>();
  const allResources = new Set<string>();

  for (const grant of perms.grants) {
    const conditional = isConditional(grant);
    const patternsByService = new Map<string, string[]>();
    for (const action of grant.actions) {
      allActions.add(action);
      const service = serviceOf(action);
      let patterns = patternsByService.get(service);
      if (!patterns) patternsByService.set(service, (patterns = resourcePatternsFor(grant, arnServicesOf(service))));
      if (patterns.length === 0) continue;
      for (const p of patterns) allResources.add(p);

      let levels = byService.get(service);
      if (!levels) byService.set(service, (levels = new Map()));
      const known = accessLevelsOf(action);
      for (const level of known.length ? known : UNKNOWN_ACTION_LEVELS) {
        let bucket = levels.get(level);
        if (!bucket) levels.set(level, (bucket = { actions: new Set(), resources: new Set() }));
        bucket.actions.add(action);
        for (const p of patterns) bucket.resources.add(p);
      }

      const store = DATA_STORE_ACTIONS.get(action);
      if (!store) continue;
      for (const resource of resourcePatternsFor(grant, store.entry.arnServices)) {
        for (const kind of store.kinds) {
          const key = `${kind}|${store.entry.store}|${resource}`;
          let entry = stores.get(key);
          if (!entry) stores.set(key, (entry = { kind, service: store.entry.store, resource, actions: new Set(), conditional: true }));
          entry.actions.add(action);
          // Conditional only when every grant contributing to it is.
          if (!conditional) entry.conditional = false;
        }
      }
    }
  }

  const services: ServiceReach[] = [...byService]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([service, levels]) => ({
      service,
      levels: ACCESS_LEVELS.filter((l) => levels.has(l)).map((level) => ({
        level,
        actions: [...levels.get(level)!.actions].sort().slice(0, LIST_CAPS.actionsPerLevel),
        actionCount: levels.get(level)!.actions.size,
        resources: [...levels.get(level)!.resources].sort(),
      })),
    }));

  const dataStores: BlastRadius["dataStores"] = { read: [], write: [], delete: [] };
  for (const s of [...stores.values()].sort((a, b) => (a.service + a.resource < b.service + b.resource ? -1 : 1))) {
    const access: DataStoreAccess = { service: s.service, resource: s.resource, actions: [...s.actions].sort(), conditional: s.conditional };
    dataStores[s.kind].push(access);
  }

  const summary = { services, dataStores, totals: { actions: allActions.size, services: byService.size, resources: allResources.size, reachableFunctions: 0 } };
  summaries.set(perms.grants, summary);
  return summary;
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
  const reached = graph ? reachDetailed(graph, fn.arn, input.maxHops ?? REACH_MAX_HOPS, LIST_CAPS.reachableFunctions) : null;
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
