/**
 * A name for the analysis code a scan runs: a hash of the compiled worker and its chunks, or of
 * the analysis sources when they run through tsx. Part of the key that lets a rescan reuse stored
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
const SOURCE_FILES = ["lib/store/scan-rows.ts", "lib/jobs/analyse-to-rows.ts", "package-lock.json"];

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

/**
 * `workerEntry`: the compiled worker (dist/analysis-worker.mjs) or the TypeScript entry. A build
 * is named by its modules and its data files (the IAM actions and AWS-managed policies it ships).
 */
export function analysisCodeVersion(workerEntry: string | null): string {
  const entry = workerEntry ?? "";
  if (cached?.entry === entry) return cached.version;
  const compiled = entry.endsWith(".mjs");
  const dist = path.dirname(entry);
  const files = compiled
    ? [...fs.readdirSync(dist).filter((name) => name.endsWith(".mjs") || name.endsWith(".json")).sort().map((name) => path.join(dist, name)), path.join(packageRoot(), "package.json")].filter((file) => fs.existsSync(file))
    : [
        ...SOURCE_DIRS.flatMap((dir) => filesUnder(path.join(packageRoot(), dir), (name) => (name.endsWith(".ts") && !name.endsWith(".test.ts")) || name.endsWith(".json"))),
        ...SOURCE_FILES.map((file) => path.join(packageRoot(), file)).filter((file) => fs.existsSync(file)),
      ];
  // Nothing to name the code by: a fresh random name, so nothing is reused rather than something wrongly.
  const version = files.length ? `${compiled ? "dist" : "src"}-${hashFiles(files)}` : `unknown-${crypto.randomUUID()}`;
  cached = { entry, version };
  return version;
}
