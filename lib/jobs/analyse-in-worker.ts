/**
 * Runs the analysis on a worker thread while this thread writes its rows: the embedded
 * database executes on the thread that opened it, so analysis and storage use both cores
 * instead of taking turns on one.
 */
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import type { AnalyzeOptions } from "@/lib/analysis/analyze-snapshot";
import type { Snapshot } from "@/lib/snapshot/types";
import type { RowSink } from "./analyse-to-rows";
import type { AnalysisWorkerInput, FromAnalysisWorker } from "./analysis-worker-protocol";

interface WorkerFiles {
  bootstrap: string;
  entry: string;
  tsconfig: string;
}

/** The worker's files, from the sources (next to this module, or under the working directory when bundled). */
export function analysisWorkerFiles(): WorkerFiles | null {
  const dirs = [import.meta.dirname, path.resolve(process.cwd(), "lib", "jobs")].filter((d): d is string => typeof d === "string");
  for (const dir of dirs) {
    const files = { bootstrap: path.join(dir, "analysis-worker-bootstrap.mjs"), entry: path.join(dir, "analysis-worker.ts"), tsconfig: path.resolve(dir, "..", "..", "tsconfig.json") };
    if (Object.values(files).every((f) => fs.existsSync(f))) return files;
  }
  return null;
}

export function analyseInWorker(
  files: WorkerFiles,
  scanId: number,
  snapshot: Snapshot,
  options: AnalyzeOptions,
  sink: RowSink,
  // The worker gets the heap cap this thread runs with (bin/saltzer.mjs sets it), so it collects as eagerly.
  heapMb = Math.round(v8.getHeapStatistics().heap_size_limit / 2 ** 20),
): Promise<{ busyMs: number }> {
  const input: AnalysisWorkerInput = { scanId, snapshot, now: options.now, entry: files.entry, tsconfig: files.tsconfig };
  const worker = new Worker(files.bootstrap, { workerData: input, resourceLimits: { maxOldGenerationSizeMb: heapMb } });
  return new Promise((resolve, reject) => {
    let settled = false;
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
            case "results":
              for (const result of message.results) await sink.functionResult(result);
              worker.postMessage({ type: "ack" });
              break;
            case "edges":
              await sink.edges(message.rows);
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
  });
}
