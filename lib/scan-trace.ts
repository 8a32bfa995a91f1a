/**
 * `SALTZER_TRACE=1`: when each step of a scan begins, one line per step on stderr, in seconds since
 * the command started, from the scan's thread and from the analysis worker. It shows where a slow
 * scan spends its time (waiting on the worker's read, listing reused rows, deriving page data)
 * without a profiler; the CLI's summary gives only the totals.
 *
 * The clock starts where bin/saltzer.mjs started (SALTZER_TRACE_ORIGIN, which it sets for the
 * process it starts; a worker thread inherits it), else where this process started. Lines are
 * written synchronously, so a worker's lines are not lost when the process exits.
 */
import fs from "node:fs";
import { traceSettings } from "@/lib/env";

/** Notes that `step` begins now on `thread`; nothing unless SALTZER_TRACE is set. */
export function traceStep(thread: "main" | "worker", step: string): void {
  const { SALTZER_TRACE, SALTZER_TRACE_ORIGIN } = traceSettings();
  if (!SALTZER_TRACE) return;
  const seconds = (performance.timeOrigin + performance.now() - (SALTZER_TRACE_ORIGIN ?? performance.timeOrigin)) / 1000;
  try {
    fs.writeSync(2, `saltzer trace ${seconds.toFixed(2).padStart(7)} s  ${thread.padEnd(6)} ${step}\n`);
  } catch (error) {
    // Best effort: a closed or full stderr loses a trace line, never the scan.
    if (!["EPIPE", "EBADF", "EAGAIN"].includes((error as NodeJS.ErrnoException).code ?? "")) throw error;
  }
}
