/**
 * The part of a blast radius that depends only on a permission set's grants: what it reaches per
 * service and access level, and which data stores it reads, writes or deletes. Shared by every
 * function holding the set, and built from each grant's action array grouped once per array
 * (grants share their arrays across roles), so a set costs its services, not its 22k actions.
 */
import { isGrantConditional } from "../policy/permission-queries";
import { accessLevelsOf, serviceOf } from "../policy/access-levels";
import { actionCount } from "../policy/action-bits";
import { allowedActionBits } from "../policy/permission-queries";
import { DATA_STORE_ACTIONS, type DataAccessKind } from "../data/data-stores";
import { resourcePatternsFor } from "./edges";
import { ACCESS_LEVELS, LIST_CAPS, type AccessLevel, type BlastRadius, type DataStoreAccess, type EffectivePermissions, type Grant, type ServiceReach } from "../types";

export interface PermissionSummary {
  services: ServiceReach[];
  dataStores: BlastRadius["dataStores"];
  totals: BlastRadius["totals"];
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

/** One service's actions of an action array: by access level, and those that touch a data store. */
interface ServiceActions {
  service: string;
  arnServices: string[];
  levels: { level: AccessLevel; actions: string[] }[];
  stores: { action: string; store: NonNullable<ReturnType<typeof DATA_STORE_ACTIONS.get>> }[];
}

const groupedArrays = new WeakMap<readonly string[], ServiceActions[]>();

/** The array's actions by service (in first-seen order), once per (shared) array. */
function byServiceOf(actions: readonly string[]): ServiceActions[] {
  let groups = groupedArrays.get(actions);
  if (groups) return groups;
  const byService = new Map<string, ServiceActions & { byLevel: Map<AccessLevel, string[]> }>();
  for (const action of actions) {
    const service = serviceOf(action);
    let group = byService.get(service);
    if (!group) byService.set(service, (group = { service, arnServices: arnServicesOf(service), levels: [], stores: [], byLevel: new Map() }));
    const known = accessLevelsOf(action);
    for (const level of known.length ? known : UNKNOWN_ACTION_LEVELS) {
      let list = group.byLevel.get(level);
      if (!list) {
        group.byLevel.set(level, (list = []));
        group.levels.push({ level, actions: list });
      }
      list.push(action);
    }
    const store = DATA_STORE_ACTIONS.get(action);
    if (store) group.stores.push({ action, store });
  }
  groups = [...byService.values()].map(({ byLevel: _byLevel, ...group }) => group);
  groupedArrays.set(actions, groups);
  return groups;
}

/**
 * Keyed by the grants array, which effectivePermissions shares between equal permission sets.
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

export function summarizePermissions(perms: EffectivePermissions): PermissionSummary {
  const cached = summaries.get(perms.grants);
  if (cached) return cached;
  const byService = new Map<string, Map<AccessLevel, { actions: Set<string>; resources: Set<string> }>>();
  const stores = new Map<string, { kind: DataAccessKind; service: string; resource: string; actions: Set<string>; conditional: boolean }>();
  const allResources = new Set<string>();

  for (const grant of perms.grants) {
    const conditional = isGrantConditional(grant);
    for (const group of byServiceOf(grant.actions)) {
      const patterns = resourcePatternsFor(grant, group.arnServices);
      if (patterns.length === 0) continue;
      for (const p of patterns) allResources.add(p);

      let levels = byService.get(group.service);
      if (!levels) byService.set(group.service, (levels = new Map()));
      for (const { level, actions } of group.levels) {
        let bucket = levels.get(level);
        if (!bucket) levels.set(level, (bucket = { actions: new Set(), resources: new Set() }));
        for (const action of actions) bucket.actions.add(action);
        for (const p of patterns) bucket.resources.add(p);
      }

      for (const { action, store } of group.stores) {
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

  // Every action of every grant, whether or not a resource of its service is named.
  const actions = actionCount(allowedActionBits(perms));
  const summary = { services, dataStores, totals: { actions, services: byService.size, resources: allResources.size, reachableFunctions: 0 } };
  summaries.set(perms.grants, summary);
  return summary;
}
