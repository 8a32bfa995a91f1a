/**
 * The analysis worker: analyses the snapshot it is given and posts each function's serialized
 * rows back in batches, at most a few batches ahead of the writer (credits returned by "ack"),
 * so results never pile up in memory when the database is the slower side.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { StoredFunctionResult } from "@/lib/store/scan-rows";
import { analyseToRows } from "./analyse-to-rows";
import type { AnalysisWorkerInput, FromAnalysisWorker } from "./analysis-worker-protocol";

const FUNCTIONS_PER_MESSAGE = 50;
const MESSAGES_IN_FLIGHT = 8;

const port = parentPort!;
const { scanId, snapshot, now, onlyAccounts, edges: withEdges, storedBlastRadius } = workerData as AnalysisWorkerInput;
let credits = MESSAGES_IN_FLIGHT;
let creditReturned: (() => void) | null = null;
port.on("message", (message: { type: "ack" }) => {
  if (message.type !== "ack") return;
  credits += 1;
  creditReturned?.();
  creditReturned = null;
});
const post = (message: FromAnalysisWorker) => port.postMessage(message);

/** Time spent waiting on the writer, left out of the worker's busy time. */
let waitedMs = 0;
/** Posts a message that the writer acknowledges once written, waiting while too many are unacknowledged. */
const postCounted = async (message: FromAnalysisWorker) => {
  const start = performance.now();
  while (credits === 0) await new Promise<void>((resolve) => (creditReturned = resolve));
  waitedMs += performance.now() - start;
  credits -= 1;
  post(message);
};

let batch: StoredFunctionResult[] = [];
const sendBatch = async () => {
  const results = batch;
  batch = [];
  await postCounted({ type: "results", results });
};

const started = performance.now();
try {
  const options = { now, onlyAccounts: onlyAccounts ? new Set(onlyAccounts) : undefined, edges: withEdges, storedBlastRadius: storedBlastRadius ?? undefined, onProgress: (fraction: number, message: string) => post({ type: "progress", fraction, message }) };
  await analyseToRows(scanId, snapshot, options, {
    functionResult: async (result) => {
      batch.push(result);
      if (batch.length >= FUNCTIONS_PER_MESSAGE) await sendBatch();
    },
    edges: async (rows) => {
      if (batch.length) await sendBatch();
      await postCounted({ type: "edges", rows });
    },
  });
  if (batch.length) await sendBatch();
  post({ type: "done", busyMs: performance.now() - started - waitedMs });
} catch (error) {
  post({ type: "error", message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
