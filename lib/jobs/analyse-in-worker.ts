/**
 * Runs the analysis on a worker thread while this thread writes its rows: the embedded
 * database executes on the thread that opened it, so analysis and storage use both cores
 * instead of taking turns on one.
 */
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import type { AnalyzeOptions } from "@/lib/audit/analyze-snapshot";
import type { ReadSnapshotProgress } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import type { Snapshot } from "@/lib/snapshot/types";
import type { AnalysisInputParts } from "./analysis-inputs";
import type { RowSink } from "./analyse-to-rows";
import type { AnalysisWorkerInput, DeferredAnalysisWorkerData, FromAnalysisWorker, ReadErrorMessage, ToAnalysisWorker } from "./analysis-worker-protocol";

export interface WorkerFiles {
  /** The TypeScript loader that runs `entry` (sources only); null for the compiled worker. */
  bootstrap: string | null;
  entry: string;
  tsconfig: string | null;
}

/**
 * The analysis worker's files. The build (dist/analysis-worker.mjs) sits beside this module when
 * this module is itself the build (dist/cli.mjs); the sources, loaded through tsx, beside it when
 * it runs from TypeScript (tests, scripts). Under Next.js `import.meta.dirname` is undefined and the
 * server's working directory is the package: its build first, its sources as a dev checkout's fallback.
 */
export function analysisWorkerFiles(): WorkerFiles | null {
  const here = import.meta.dirname as string | undefined;
  if (here) return compiledWorker(here) ?? sourceWorker(here);
  const root = process.cwd();
  const sources = () => sourceWorker(path.join(root, "lib", "jobs"));
  // `next dev` recompiles the sources on every change; the build would lag behind them.
  if (process.env.NODE_ENV === "development") return sources() ?? compiledWorker(path.join(root, "dist"));
  return compiledWorker(path.join(root, "dist")) ?? sources();
}

function compiledWorker(dir: string): WorkerFiles | null {
  const entry = path.join(dir, "analysis-worker.mjs");
  return fs.existsSync(entry) ? { bootstrap: null, entry, tsconfig: null } : null;
}

function sourceWorker(dir: string): WorkerFiles | null {
  const files = { bootstrap: path.join(dir, "analysis-worker-bootstrap.mjs"), entry: path.join(dir, "analysis-worker.ts"), tsconfig: path.resolve(dir, "..", "..", "tsconfig.json") };
  return Object.values(files).every((f) => fs.existsSync(f)) ? files : null;
}

export function analyseInWorker(
  files: WorkerFiles,
  scanId: number,
  snapshot: Snapshot,
  options: AnalyzeOptions & { edges?: boolean },
  sink: RowSink,
  heapMb?: number,
): Promise<{ busyMs: number }> {
  return startAnalysisWorker(files, scanId, snapshot, options, heapMb).result(sink);
}

/** A worker thread started before its input is known (`startAnalysisWorker` hands it over). */
export interface PreparedAnalysisWorker {
  worker: Worker;
  heapMb: number;
  /** Ends the worker unused. */
  stop(): void;
  /** How it ended if it did before it was given its input. */
  early: { error?: Error & { code?: string }; exitCode?: number };
  /**
   * The snapshot of the directory the worker was given (null without one): the worker's progress
   * reading it goes to `onProgress`, the latest one first; it rejects with the read's own error.
   * The worker keeps its copy to analyse.
   */
  readSnapshot: ((onProgress: (progress: ReadSnapshotProgress) => void) => Promise<Snapshot>) | null;
  /**
   * The input hashes of the snapshot the worker reads (null without one), posted before or after the
   * snapshot (analysis-worker.ts): resolves null when the read fails (`readSnapshot` then rejects with its error).
   */
  readInputs: Promise<AnalysisInputParts | null> | null;
  /** Asks the worker to post its input hashes before the snapshot, however much of it is unchanged. */
  inputsFirst(): void;
}

/**
 * Starts a worker that loads the analysis code (and the access-level data) while this thread is
 * still opening the database or reading the snapshot; `startAnalysisWorker` gives it its input.
 * Given `snapshotDir`, the worker reads the snapshot itself meanwhile and posts it back, so the
 * read overlaps whatever this thread does before it needs the snapshot (opening the database).
 */
export function prepareAnalysisWorker(
  files: WorkerFiles,
  {
    // The worker gets the heap cap this thread runs with (bin/saltzer.mjs sets it, bin/heap-cap.mjs
    // for a large snapshot), so it collects as eagerly: V8's process-wide flag would override more.
    heapMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20),
    snapshotDir,
    readCacheDir,
  }: { heapMb?: number; snapshotDir?: string; readCacheDir?: string } = {},
): PreparedAnalysisWorker {
  const data: DeferredAnalysisWorkerData = {
    deferred: true,
    entry: files.entry,
    tsconfig: files.tsconfig,
    ...(snapshotDir === undefined ? {} : { snapshotDir }),
    ...(snapshotDir === undefined || readCacheDir === undefined ? {} : { readCacheDir }),
  };
  const worker = new Worker(files.bootstrap ?? files.entry, { workerData: data, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  // Kept until startAnalysisWorker listens (nothing is reported for a worker never used).
  const early: PreparedAnalysisWorker["early"] = {};
  worker.once("error", (error) => (early.error = error));
  worker.once("exit", (code) => (early.exitCode = code));
  const read = snapshotDir === undefined ? null : snapshotFromWorker(worker);
  return {
    worker,
    heapMb,
    stop: () => void worker.terminate(),
    early,
    readSnapshot: read?.readSnapshot ?? null,
    readInputs: read?.inputs ?? null,
    inputsFirst: () => worker.postMessage({ type: "inputs-first" } satisfies ToAnalysisWorker),
  };
}

/** The snapshot a worker reads (its "reading", "inputs", "snapshot" and "read-error" messages), listened to from its start. */
function snapshotFromWorker(worker: Worker): { readSnapshot: NonNullable<PreparedAnalysisWorker["readSnapshot"]>; inputs: Promise<AnalysisInputParts | null> } {
  let inputsArrived!: (parts: AnalysisInputParts | null) => void;
  const inputs = new Promise<AnalysisInputParts | null>((resolve) => (inputsArrived = resolve));
  let latest: ReadSnapshotProgress | null = null;
  let hashed: AnalysisInputParts | null = null;
  let received: Snapshot | null = null;
  let arrived = false;
  let forward: ((progress: ReadSnapshotProgress) => void) | null = null;
  // `read` settles when the snapshot is here but does not hold it: the prepared worker outlives the
  // scan's use of the snapshot, which is collected once its rows are written.
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const read = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Until readSnapshot is called nobody awaits it: a failure meanwhile is reported there, not as unhandled.
  read.catch(() => undefined);
  const onMessage = (message: FromAnalysisWorker) => {
    if (message.type === "reading") {
      latest = message.progress;
      // The caller may end the read here (a scan cancelled between accounts).
      try {
        forward?.(message.progress);
      } catch (error) {
        forward = null;
        settle.reject(error as Error);
      }
    } else if (message.type === "inputs" || message.type === "snapshot") {
      // Either may come first (analysis-worker.ts): listened to until both are here.
      if (message.type === "inputs") inputsArrived((hashed = message.parts));
      else {
        received = message.snapshot;
        arrived = true;
        settle.resolve();
      }
      if (hashed && arrived) worker.off("message", onMessage);
    } else if (message.type === "read-error") {
      worker.off("message", onMessage);
      inputsArrived(null);
      settle.reject(readError(message.error));
    }
  };
  worker.on("message", onMessage);
  worker.once("error", (error) => {
    inputsArrived(null);
    settle.reject(new Error(`The analysis worker failed while reading the snapshot: ${error.message}`));
  });
  worker.once("exit", (code) => {
    inputsArrived(null);
    settle.reject(new Error(`The analysis worker stopped (exit code ${code}) before it read the snapshot.`));
  });
  return {
    readSnapshot: (onProgress) => {
      forward = onProgress;
      if (latest) onProgress(latest);
      return read.then(() => {
        const snapshot = received;
        received = null;
        if (!snapshot) throw new Error("The snapshot the analysis worker read was already taken.");
        return snapshot;
      });
    },
    inputs,
  };
}

/** The worker's read error as this thread's: a SnapshotError stays one (the CLI names the file and exits 2). */
function readError(error: ReadErrorMessage): Error {
  const rebuilt = error.snapshotError ? new SnapshotError(error.snapshotError.file, error.snapshotError.jsonPath, error.snapshotError.detail) : Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) rebuilt.stack = error.stack;
  if (error.code) Object.assign(rebuilt, { code: error.code });
  return rebuilt;
}

/** An analysis worker already at work, whose rows wait until `result` names where they go. */
export interface RunningAnalysis {
  /** Hands the rows to `sink` (once) and resolves when the analysis is done. */
  result(sink: RowSink): Promise<{ busyMs: number }>;
  /** Stops the worker if it still runs (the scan failed before it took the rows). */
  stop(): void;
}

/**
 * Starts the analysis now, so the worker loads its code and builds the graph while this thread
 * writes the snapshot's own rows; its first rows wait for the sink.
 */
export function startAnalysisWorker(
  files: WorkerFiles,
  scanId: number,
  /** Null only for a prepared worker that read the snapshot itself. */
  snapshot: Snapshot | null,
  options: AnalyzeOptions & { edges?: boolean },
  heapMbOrPrepared?: number | PreparedAnalysisWorker,
): RunningAnalysis {
  const prepared = typeof heapMbOrPrepared === "object" ? heapMbOrPrepared : null;
  // The worker gets the heap cap this thread runs with (bin/saltzer.mjs sets it), so it collects as eagerly.
  const heapMb = prepared?.heapMb ?? (heapMbOrPrepared as number | undefined) ?? Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20);
  let attach!: (sink: RowSink) => void;
  const sinkReady = new Promise<RowSink>((resolve) => (attach = resolve));
  const input: AnalysisWorkerInput = {
    scanId,
    // A worker that read the snapshot analyses its own copy: this one is the clone it posted.
    snapshot: prepared?.readSnapshot ? null : snapshot,
    now: options.now,
    onlyAccounts: options.onlyAccounts ? [...options.onlyAccounts] : null,
    edges: options.edges !== false,
    storedBlastRadius: options.storedBlastRadius ? new Map(options.storedBlastRadius) : null,
    entry: files.entry,
    tsconfig: files.tsconfig,
  };
  const worker = prepared?.worker ?? new Worker(files.bootstrap ?? files.entry, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  if (prepared) worker.postMessage({ type: "start", input } satisfies ToAnalysisWorker);
  let settled = false;
  const done = new Promise<{ busyMs: number }>((resolve, reject) => {
    let queue = Promise.resolve();
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on("message", (message: FromAnalysisWorker) => {
      // Handled strictly in order: each batch is written before the next one is looked at.
      queue = queue
        .then(async () => {
          if (settled) return;
          switch (message.type) {
            case "rows":
              await (await sinkReady).rows({ functions: message.functions, batches: message.batches });
              worker.postMessage({ type: "ack" });
              break;
            case "edges":
              await (await sinkReady).edges(message.batches);
              worker.postMessage({ type: "ack" });
              break;
            case "progress":
              options.onProgress?.(message.fraction, message.message);
              break;
            case "done":
              settled = true;
              void worker.terminate();
              resolve({ busyMs: message.busyMs });
              break;
            case "error":
              fail(Object.assign(new Error(message.message), { stack: message.stack }));
              break;
          }
        })
        .catch(fail);
    });
    worker.on("error", (error: Error & { code?: string }) =>
      fail(
        new Error(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? `The analysis ran out of memory (heap cap ${heapMb} MiB); nothing of this scan was stored. Raise SALTZER_HEAP_MB and scan again.`
            : `The analysis worker failed: ${error.message}`,
        ),
      ),
    );
    worker.on("exit", (code) => fail(new Error(`The analysis worker stopped (exit code ${code}) before it finished.`)));
    if (prepared?.early.error) worker.emit("error", prepared.early.error);
    if (prepared?.early.exitCode !== undefined) worker.emit("exit", prepared.early.exitCode);
  });
  // Until `result` is called nobody awaits `done`: a failure meanwhile is reported there, not as unhandled.
  done.catch(() => undefined);
  return {
    result(sink) {
      attach(sink);
      return done;
    },
    stop() {
      if (settled) return;
      settled = true;
      void worker.terminate();
    },
  };
}
