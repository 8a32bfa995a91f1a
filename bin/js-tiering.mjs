// How V8 compiles the CLI's own JavaScript in a scan of a small snapshot.
// V8 runs JavaScript in its interpreter and baseline code first, then compiles the hot functions
// again with its optimizing compiler (TurboFan) on background threads. In a scan of a few thousand
// functions that work does not pay back: the analysis is over before the optimized code has saved
// what compiling it cost, and the compiler's threads take the cores the analysis worker and the
// embedded database are using. `scripts/bench-analysis.ts` at 1,000 functions: 1.85-2.04 s wall and
// 3.2-3.4 s of CPU with TurboFan, 1.78 s and 1.87 s without; at 10,000 functions 10.3 s with it and
// 15.4 s without. The CLI's `scan --snapshot`, alternating runs (generated organizations):
// - the sample: 1.69-1.98 s and 2.5-2.9 s of CPU → 1.69-1.86 s and 2.1-2.5 s of CPU;
// - 1,000 functions: 2.88-3.14 s → 2.57-2.93 s (5.1 → 4.0 s of CPU, ~40 MB less peak RSS);
// - 2,000 functions: 4.81-5.16 s → 4.56-5.07 s (8.3 → 7.3 s of CPU);
// - 3,000 functions: 5.87-6.08 s → 6.70-6.77 s, 5,000 functions 9.0-9.4 s → 10.3-11.4 s: slower.
// So a scan of a snapshot of up to INTERPRETED_SCAN_FUNCTIONS functions runs without TurboFan; every
// other command, larger scans, crawls, the worker and the dashboard keep V8's defaults.
import { scansSnapshotOfAtMost } from "./wasm-tiering.mjs";

export const INTERPRETED_SCAN_FUNCTIONS = 2_000;

/**
 * The V8 flags for the CLI's JavaScript in `command`; `snapshotFunctions`: the functions of the
 * snapshot directory it scans (--snapshot, or first-start's), null when it scans none or they were not counted.
 */
export function jsTieringFlags(command, snapshotFunctions) {
  return scansSnapshotOfAtMost(command, snapshotFunctions, INTERPRETED_SCAN_FUNCTIONS) ? ["--no-opt"] : [];
}
