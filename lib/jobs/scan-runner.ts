/**
 * The dashboard's scan runner: one scan at a time per process, in the background, cancellable.
 * Progress lives on the scan row (see run-scan.ts), so pages and the SSE stream read it from
 * the database — which also shows scans the CLI started against the same PostgreSQL.
 */
import { runningScanId } from "@/lib/queries/scan-progress";
import { parseArgs } from "node:util";
import { CRAWL_FLAG_OPTIONS, parseCrawlFlags } from "@/lib/collect/crawl-organization";
import type { Env } from "@/lib/env";
import type { Database } from "@/lib/store/db";
import { markInterruptedScans } from "@/lib/store/save-scan";
import { runScan, type ScanSource } from "./run-scan";

interface RunnerState {
  running: { scanId: number | null; controller: AbortController; promise: Promise<void> } | null;
  timer: NodeJS.Timeout | null;
}

const holder = globalThis as unknown as { __saltzerRunner?: RunnerState };
const state: RunnerState = (holder.__saltzerRunner ??= { running: null, timer: null });

export class ScanBusyError extends Error {}

/** The source a dashboard rescan reads, from configuration. */
export function configuredSource(config: Env): ScanSource {
  if (config.SALTZER_SCAN_SOURCE === "snapshot") return { kind: "directory", dir: config.snapshotDir };
  const args = config.SALTZER_AWS_FLAGS.split(/\s+/).filter(Boolean);
  const { values } = parseArgs({ args, strict: true, options: CRAWL_FLAG_OPTIONS });
  return { kind: "aws", crawl: parseCrawlFlags(values) };
}

/**
 * Starts a scan in the background; resolves with its id once the scan row exists.
 * `full`: recompute every account rather than reuse the analysis of unchanged ones (`saltzer scan --full`).
 */
export async function startScan(db: Database, source: ScanSource, options: { full?: boolean; readCacheDir?: string } = {}): Promise<number> {
  if (state.running) throw new ScanBusyError(`Scan ${state.running.scanId ?? ""} is still running: one scan at a time.`);
  // Claimed before the first await: a second click or timer tick in the meantime finds it busy.
  const entry: NonNullable<RunnerState["running"]> = { scanId: null, controller: new AbortController(), promise: Promise.resolve() };
  state.running = entry;
  let resolveId!: (id: number) => void;
  let rejectId!: (e: unknown) => void;
  const idKnown = new Promise<number>((resolve, reject) => {
    resolveId = resolve;
    rejectId = reject;
  });
  entry.promise = (async () => {
    await markInterruptedScans(db);
    const running = await runningScanId(db);
    if (running !== null) throw new ScanBusyError(`Scan ${running} is still running (started elsewhere): one scan at a time.`);
    await runScan(db, source, {
      signal: entry.controller.signal,
      reuse: !options.full,
      readCacheDir: options.readCacheDir,
      onProgress: (p) => {
        if (entry.scanId === null) {
          entry.scanId = p.scanId;
          resolveId(p.scanId);
        }
      },
    });
  })()
    .catch((error: unknown) => {
      // Before the scan row exists this reaches the caller; after, the row records the failure.
      rejectId(error);
    })
    .finally(() => {
      if (state.running === entry) state.running = null;
    });
  return idKnown;
}

/** Cancels the running scan of this process; false when none runs here. */
export function cancelScan(scanId: number): boolean {
  if (!state.running || state.running.scanId !== scanId) return false;
  state.running.controller.abort();
  return true;
}

/** Continuous auditing: a rescan every `seconds` (skipped while one runs). */
export function startInterval(db: Database, config: Env, seconds: number): void {
  if (state.timer) return;
  state.timer = setInterval(() => {
    if (state.running) return;
    startScan(db, configuredSource(config), { readCacheDir: config.readCacheDir }).catch((error: unknown) => {
      console.error(`saltzer: scheduled rescan did not start: ${(error as Error).message}`);
    });
  }, seconds * 1000);
  state.timer.unref();
}

/** Stops automatic rescans (a running scan continues). */
export function stopInterval(): void {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

/** Resolves when the scan this process runs (if any) has ended. */
export async function runningScanSettled(): Promise<void> {
  await state.running?.promise;
}
