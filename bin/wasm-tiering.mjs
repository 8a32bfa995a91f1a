// How V8 compiles the embedded database's WebAssembly (PGlite) in a CLI command.
// V8 compiles every function first with its baseline compiler (Liftoff), then compiles the hot
// ones again with its optimizing compiler (TurboFan), on background threads. For PGlite that is
// 300-500 functions and ~1.7-2.7 s of CPU per process (`--trace-wasm-compilation-times`), on a
// machine whose two cores a scan already keeps busy; the biggest function alone takes 0.1-0.36 s,
// and a process that exits waits for the compilation under way. A one-shot command never wins that
// back. A large scan does: with Liftoff alone, the inserts of a 10,000-function scan took ~30 %
// longer (11.0 → 14.3 s of the writing thread), and a 100,000-function scan writes ten times as much.
// Measured alternating runs (generated organizations):
// - scan of the sample: 3.19-3.36 s → 1.87-2.31 s; of 1,000 functions: 4.47-4.70 s → 3.96-4.19 s;
// - scan of 10,000 functions: the same within the noise; a 1 % rescan of them: 4.40-4.77 → 3.83-4.45 s;
// - `check --scan` at 1,000 functions 2.31-2.34 → 1.71-1.74 s, at 10,000 3.96-3.99 → 3.48-3.54 s,
//   at 100,000 23.3 → 22.4 s.
// - `report --format sarif` at 1,000 functions 2.47-2.71 → 1.79-1.97 s; `report --format json` at
//   10,000 8.73-9.06 → 8.31-8.98 s; `report --format csv` at 100,000 the same (24.1 against 24.5 s).
// So commands run with Liftoff alone, except a scan of a snapshot over LIFTOFF_ONLY_SCAN_FUNCTIONS
// (`scan --snapshot`, `first-start`, `check --snapshot`), a crawl (`scan --aws`: its size is not
// known), and the long-running worker; the dashboard runs for long and is not started here.

export const LIFTOFF_ONLY_SCAN_FUNCTIONS = 10_000;

/** Commands that read or write a little of the embedded database, or read it once (a report), whatever its size. */
const BRIEF_COMMANDS = new Set(["check", "can", "diff", "report", "suppress", "unsuppress", "suppressions"]);
/** Commands that scan a snapshot directory: as brief as the snapshot is small. */
const SNAPSHOT_SCANS = new Set(["scan", "first-start", "check", "can"]);

/**
 * Whether `command` scans a snapshot directory (`snapshotFunctions` counted, null when it scans none)
 * and that snapshot holds at most `most` functions; bin/js-tiering.mjs asks the same.
 */
export function scansSnapshotOfAtMost(command, snapshotFunctions, most) {
  return snapshotFunctions !== null && SNAPSHOT_SCANS.has(command) && snapshotFunctions <= most;
}

/**
 * The V8 flags `command` runs with; `snapshotFunctions`: the functions of the snapshot directory it
 * scans (--snapshot, or first-start's), null when it scans none or they were not counted.
 */
export function wasmTieringFlags(command, snapshotFunctions) {
  const liftoffOnly = ["--liftoff-only"];
  if (snapshotFunctions !== null && SNAPSHOT_SCANS.has(command)) return snapshotFunctions <= LIFTOFF_ONLY_SCAN_FUNCTIONS ? liftoffOnly : [];
  return BRIEF_COMMANDS.has(command) ? liftoffOnly : [];
}
