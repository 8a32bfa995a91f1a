#!/usr/bin/env node
// Runs the compiled CLI (dist/cli.mjs). In a source checkout it first rebuilds dist/ when a source
// file is newer than the build (scripts/build-dist.mjs); an installed package ships dist/ and has no
// sources, so it runs as is, with no TypeScript anywhere.
// V8 grows its heap lazily past what a scan keeps alive; a cap (SALTZER_HEAP_MB, default 1024)
// makes it collect sooner, which keeps a 100,000-function scan near 2 GiB.
// Unless SALTZER_HEAP_MB is set, `scan --snapshot DIR` of a larger organization gets the cap its
// function count needs (bin/heap-cap.mjs); the analysis worker runs with the same cap.
// The cap needs a second node process; help, the rule catalogue and the scan of a snapshot of up to
// UNCAPPED_SCAN_FUNCTIONS functions (bin/heap-cap.mjs: the second start costs more than the cap saves) skip it.
// Most commands, and the scan of a snapshot of up to LIFTOFF_ONLY_SCAN_FUNCTIONS functions, compile the
// embedded database's WebAssembly with V8's baseline compiler alone (bin/wasm-tiering.mjs); the scan of a
// snapshot of up to INTERPRETED_SCAN_FUNCTIONS functions runs its JavaScript without TurboFan (bin/js-tiering.mjs).
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import { analysisHeapMb, snapshotFunctionCount, snapshotOption, UNCAPPED_SCAN_FUNCTIONS } from "./heap-cap.mjs";
import { jsTieringFlags } from "./js-tiering.mjs";
import { LIFTOFF_ONLY_SCAN_FUNCTIONS, wasmTieringFlags } from "./wasm-tiering.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const capped = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes("--max-old-space-size"));
const light = args.length === 0 || ["help", "--help", "-h", "rules"].includes(args[0]) || args.includes("--help") || args.includes("-h");
// The snapshot directory the command scans: --snapshot, or first-start's (SALTZER_SNAPSHOT_DIR, by default the
// sample, as lib/env.ts resolves it for the command itself).
const snapshotDir = light || capped ? null : args[0] === "first-start" ? path.resolve(process.env.SALTZER_SNAPSHOT_DIR || path.join(root, "samples", "acme")) : snapshotOption(args);
// A scan sizes its heap by the whole count; other commands only compare it with the tiering threshold.
const sizesHeap = args[0] === "scan" && !process.env.SALTZER_HEAP_MB;
const snapshotFunctions = snapshotDir ? snapshotFunctionCount(snapshotDir, sizesHeap ? Infinity : LIFTOFF_ONLY_SCAN_FUNCTIONS) : null;
const functions = sizesHeap ? snapshotFunctions : null;
const small = functions !== null && functions <= UNCAPPED_SCAN_FUNCTIONS;
const heapMb = process.env.SALTZER_HEAP_MB
  ? Number(process.env.SALTZER_HEAP_MB)
  : functions !== null
    ? analysisHeapMb(functions, { defaultMb: 1024, machineMb: os.totalmem() / 2 ** 20 })
    : 1024;
const tierFlags = capped ? [] : [...wasmTieringFlags(args[0], snapshotFunctions), ...jsTieringFlags(args[0], snapshotFunctions)];

const checked = process.env.SALTZER_DIST_CHECKED;
delete process.env.SALTZER_DIST_CHECKED;
if (fs.existsSync(path.join(root, "cli", "run.ts")) && !checked) {
  const { ensureDist } = await import(pathToFileURL(path.join(root, "scripts", "build-dist.mjs")).href);
  await ensureDist();
}

if (!capped && !light && !small && Number.isInteger(heapMb) && heapMb > 0) {
  // SALTZER_TRACE counts from this process's start, before the capped one below starts (lib/scan-trace.ts).
  if (process.env.SALTZER_TRACE && !process.env.SALTZER_TRACE_ORIGIN) process.env.SALTZER_TRACE_ORIGIN = String(performance.timeOrigin);
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, ...tierFlags, ...process.execArgv, fileURLToPath(import.meta.url), ...args], {
    stdio: "inherit",
    env: { ...process.env, SALTZER_DIST_CHECKED: "1" },
  });
  // The child decides what a signal means (a scan cancels and exits 128+n); this process only
  // passes it on and ends as the child ended. An exit by signal becomes 128+n here, since
  // re-raising it on this process would only reach the handlers below.
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(signal ? 128 + os.constants.signals[signal] : (code ?? 1)));
} else {
  // Before the database's WebAssembly is compiled and the CLI's code runs; V8 reads these flags as it compiles.
  for (const flag of tierFlags) v8.setFlagsFromString(flag);
  await import(pathToFileURL(path.join(root, "dist", "cli.mjs")).href);
}
