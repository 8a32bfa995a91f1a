#!/usr/bin/env node
// Runs the TypeScript CLI through tsx, resolving the `@/` alias from the package's tsconfig.
// V8 grows its heap lazily far past what a scan keeps alive; a cap (SALTZER_HEAP_MB, default
// 1024) makes it collect sooner, so a 10,000-function scan peaks near 1.1 GiB instead of 1.8.
import { spawn } from "node:child_process";
import os from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const capped = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes("--max-old-space-size"));
const heapMb = Number(process.env.SALTZER_HEAP_MB ?? 1024);

if (!capped && Number.isInteger(heapMb) && heapMb > 0) {
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, ...process.execArgv, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  // The child decides what a signal means (a scan cancels and exits 128+n); this process only
  // passes it on and ends as the child ended. An exit by signal becomes 128+n here, since
  // re-raising it on this process would only reach the handlers below.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(signal ? 128 + os.constants.signals[signal] : (code ?? 1)));
} else {
  const { register } = await import("tsx/esm/api");
  register({ tsconfig: path.join(root, "tsconfig.json") });
  await import(path.join(root, "cli", "run.ts"));
}
