// Shared by `npm start` and `npm test`: make a fresh clone runnable (dependencies, Prisma client,
// the compiled CLI and analysis worker in dist/, the dashboard build in .next/).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
export { ensureDist } from "./build-dist.mjs";

export const root = path.resolve(import.meta.dirname, "..");

export function run(cmd, args, options = {}) {
  execFileSync(cmd, args, { stdio: "inherit", cwd: root, ...options });
}

export function ensureInstall() {
  if (!fs.existsSync(path.join(root, "node_modules", ".package-lock.json"))) {
    console.log("Installing dependencies (npm ci, exactly the lock file)…");
    run("npm", ["ci", "--no-audit", "--no-fund"]);
  }
  if (!fs.existsSync(path.join(root, "lib", "generated", "prisma", "client.ts"))) {
    run("npx", ["prisma", "generate"]);
  }
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds the dashboard when there is no build or a source file is newer than it. */
export function ensureBuild() {
  const buildId = path.join(root, ".next", "BUILD_ID");
  const sources = ["app", "components", "lib"].map((d) => path.join(root, d)).filter((d) => fs.existsSync(d));
  const rootFiles = ["next.config.js", "proxy.ts", "instrumentation.ts"].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));
  const sourceTime = Math.max(...sources.map(newestMtime), ...rootFiles.map((f) => fs.statSync(f).mtimeMs));
  if (fs.existsSync(buildId) && fs.statSync(buildId).mtimeMs > sourceTime) return;
  console.log("Building the dashboard (next build)…");
  run(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" } });
}
