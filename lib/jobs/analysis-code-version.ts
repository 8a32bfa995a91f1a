/**
 * A name for the analysis code a scan runs: a hash of the compiled worker and its chunks (computed
 * by the build), or of the analysis sources when they run through tsx. Part of the key that lets a rescan reuse stored
 * results (lib/jobs/analysis-inputs.ts), so an upgraded or edited analysis never reuses results
 * an older one computed.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "@/lib/package-root";

/** Sources whose change changes stored results: the analysis, the rules, and how rows are built. */
const SOURCE_DIRS = ["lib/analysis", "lib/audit", "lib/rules", "lib/snapshot"];
// The lock file names the versions of the IAM data packages the analysis reads.
const SOURCE_FILES = ["lib/store/scan-rows.ts", "lib/jobs/analyse-to-rows.ts", "lib/jobs/analysis-inputs.ts", "package-lock.json"];

let cached: { entry: string; version: string } | null = null;

function filesUnder(dir: string, accept: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && accept(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

function hashFiles(files: string[]): string {
  const h = crypto.createHash("sha256");
  for (const file of files) h.update(path.basename(file)).update("\0").update(fs.readFileSync(file)).update("\0");
  return h.digest("hex").slice(0, 24);
}

/** Where the build names the compiled code (scripts/build-dist.mjs writes it beside the modules). */
export const CODE_VERSION_FILE = "analysis-code-version.json";
const COMPILED_VERSION = /^dist-[0-9a-f]{24}$/;

/**
 * `workerEntry`: the compiled worker (dist/analysis-worker.mjs) or the TypeScript entry. A build is
 * named by its modules and its data files (the IAM actions and AWS-managed policies it ships), as
 * the build computed it once; sources by their contents.
 */
export function analysisCodeVersion(workerEntry: string | null): string {
  const entry = workerEntry ?? "";
  if (cached?.entry === entry) return cached.version;
  const version = entry.endsWith(".mjs") ? compiledVersion(path.dirname(entry)) : sourceVersion();
  cached = { entry, version };
  return version;
}

/** The build's name for its code; without a readable one (a broken build), a fresh random name: nothing is reused rather than something wrongly. */
function compiledVersion(dist: string): string {
  try {
    const { version } = JSON.parse(fs.readFileSync(path.join(dist, CODE_VERSION_FILE), "utf8")) as { version?: unknown };
    if (typeof version === "string" && COMPILED_VERSION.test(version)) return version;
  } catch {
    // Missing or unreadable: as below.
  }
  return `unknown-${crypto.randomUUID()}`;
}

function sourceVersion(): string {
  const files = [
    ...SOURCE_DIRS.flatMap((dir) => filesUnder(path.join(packageRoot(), dir), (name) => (name.endsWith(".ts") && !name.endsWith(".test.ts")) || name.endsWith(".json"))),
    ...SOURCE_FILES.map((file) => path.join(packageRoot(), file)).filter((file) => fs.existsSync(file)),
  ];
  // Nothing to name the code by: a fresh random name, so nothing is reused rather than something wrongly.
  return files.length ? `src-${hashFiles(files)}` : `unknown-${crypto.randomUUID()}`;
}
