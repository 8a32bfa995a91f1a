/**
 * The analysis worker: analyses the snapshot it is given and posts its rows back as encoded
 * batches (their bytes transferred, not copied), at most a few messages ahead of the writer
 * (credits returned by "ack"), so results never pile up in memory when the database is the
 * slower side.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { EncodedRows } from "@/lib/store/scan-rows";
import { analyseToRows } from "./analyse-to-rows";
import type { AnalysisWorkerInput, FromAnalysisWorker } from "./analysis-worker-protocol";

const MESSAGES_IN_FLIGHT = 4;

const port = parentPort!;
const { scanId, snapshot, now, onlyAccounts, edges: withEdges } = workerData as AnalysisWorkerInput;
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
const postCounted = async (message: FromAnalysisWorker, batches: EncodedRows[]) => {
  const start = performance.now();
  while (credits === 0) await new Promise<void>((resolve) => (creditReturned = resolve));
  waitedMs += performance.now() - start;
  credits -= 1;
  port.postMessage(message, batches.map((b) => b.bytes.buffer as ArrayBuffer));
};

const started = performance.now();
try {
  const options = { now, onlyAccounts: onlyAccounts ? new Set(onlyAccounts) : undefined, edges: withEdges, onProgress: (fraction: number, message: string) => post({ type: "progress", fraction, message }) };
  await analyseToRows(scanId, snapshot, options, {
    rows: (rows) => postCounted({ type: "rows", ...rows }, rows.batches),
    edges: (batches) => postCounted({ type: "edges", batches }, batches),
  });
  post({ type: "done", busyMs: performance.now() - started - waitedMs });
} catch (error) {
  post({ type: "error", message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
