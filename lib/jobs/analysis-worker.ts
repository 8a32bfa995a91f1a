/**
 * The analysis worker: analyses the snapshot it is given and posts its rows back as encoded
 * batches (their bytes transferred, not copied), at most a few messages ahead of the writer
 * (credits returned by "ack"), so results never pile up in memory when the database is the
 * slower side.
 */
import { constants, PerformanceObserver } from "node:perf_hooks";
import v8 from "node:v8";
import { parentPort, workerData } from "node:worker_threads";
import type { EncodedRows } from "@/lib/store/scan-rows";
import { loadAnalysisData } from "@/lib/audit/analyze-snapshot";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import type { Snapshot } from "@/lib/snapshot/types";
import { analyseToRows } from "./analyse-to-rows";
import { analysisCodeVersion } from "./analysis-code-version";
import { analysisInputParts } from "./analysis-inputs";
import type { AnalysisWorkerInput, DeferredAnalysisWorkerData, FromAnalysisWorker, ReadErrorMessage, ToAnalysisWorker } from "./analysis-worker-protocol";
import { heapCapExceeded, type HeapSample } from "./heap-projection";
import { traceStep } from "@/lib/scan-trace";

const MESSAGES_IN_FLIGHT = 4;

const port = parentPort!;
let credits = MESSAGES_IN_FLIGHT;
let creditReturned: (() => void) | null = null;
let inputsFirst = false;
let start!: (input: AnalysisWorkerInput) => void;
const inputReady = new Promise<AnalysisWorkerInput>((resolve) => (start = resolve));
port.on("message", (message: ToAnalysisWorker) => {
  if (message.type === "start") start(message.input);
  if (message.type === "inputs-first") inputsFirst = true;
  if (message.type !== "ack") return;
  credits += 1;
  creditReturned?.();
  creditReturned = null;
});
const post = (message: FromAnalysisWorker) => port.postMessage(message);

/** Reads the snapshot directory and posts it (or why it could not) to the scan, which stores what it reads. */
async function readOwnSnapshot(dir: string, readCacheDir: string | undefined): Promise<Snapshot | null> {
  try {
    const cache = readCacheDir === undefined ? undefined : { dir: readCacheDir, codeVersion: analysisCodeVersion((workerData as DeferredAnalysisWorkerData).entry), saveAfterReturn: true };
    traceStep("worker", "reading the snapshot");
    let unchanged = false;
    const read = await readSnapshotDir(dir, { onProgress: (progress) => post({ type: "reading", progress }), cache, onCacheUse: (same, accounts) => (unchanged = same * 2 >= accounts && accounts > 0) });
    // The scan decides what to reuse from the input hashes. After a first scan it starts the analysis
    // from them, on this copy, while the snapshot is handed over: they go first. A rescan (most
    // accounts unchanged) needs the snapshot to write its rows: it goes first, and the hashes are
    // computed while the scan receives it.
    const postInputs = () => post({ type: "inputs", parts: analysisInputParts(read) });
    const postSnapshot = () => post({ type: "snapshot", snapshot: read });
    const snapshotFirst = unchanged && !inputsFirst;
    traceStep("worker", snapshotFirst ? "snapshot read, mostly unchanged; handing it to the scan, then hashing its inputs" : "snapshot read; hashing its inputs, then handing it to the scan");
    for (const send of snapshotFirst ? [postSnapshot, postInputs] : [postInputs, postSnapshot]) send();
    return read;
  } catch (error) {
    post({ type: "read-error", error: readErrorMessage(error) });
    return null;
  }
}

function readErrorMessage(error: unknown): ReadErrorMessage {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const code = (error as NodeJS.ErrnoException).code;
  return {
    name: error.name,
    message: error.message,
    stack: error.stack,
    ...(typeof code === "string" ? { code } : {}),
    ...(error instanceof SnapshotError ? { snapshotError: { file: error.file, jsonPath: error.jsonPath, detail: error.detail } } : {}),
  };
}

const data = workerData as AnalysisWorkerInput | DeferredAnalysisWorkerData;
let ownSnapshot: Snapshot | null = null;
if (!("deferred" in data)) start(data);
else {
  // Started ahead of its input (prepareAnalysisWorker), this worker loads its code, reads the
  // snapshot when given its directory, and loads its action data while the scan opens its
  // database. A failure of the last recurs when the analysis loads it, and is reported from there.
  if (data.snapshotDir !== undefined) ownSnapshot = await readOwnSnapshot(data.snapshotDir, data.readCacheDir);
  await loadAnalysisData().catch(() => undefined);
  traceStep("worker", "analysis data loaded; waiting for the scan");
}
const { scanId, snapshot: given, now, onlyAccounts, edges: withEdges, storedBlastRadius } = await inputReady;
const snapshot = given ?? ownSnapshot;
if (!snapshot) throw new Error("The analysis worker was given no snapshot and read none.");

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

// The heap left after each full collection, against the share of functions analysed: an org too
// large for the cap fails after a few percent of the work, not after many minutes of collecting.
let totalFunctions = 0;
/** How many functions this run analyses (read once the analysis has read the snapshot: its errors are the analysis's own). */
const countFunctions = () => snapshot.accounts.filter((a) => !onlyAccounts || onlyAccounts.includes(a.accountId)).reduce((n, a) => n + a.functions.length, 0);
const heapCap = v8.getHeapStatistics().heap_size_limit;
const heapSamples: HeapSample[] = [];
let analysed = 0;
let tooLarge: string | null = null;
const gcWatch = new PerformanceObserver((list) => {
  if (analysed === 0 || tooLarge) return;
  if (!list.getEntries().some((e) => (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) return;
  heapSamples.push({ fraction: analysed / totalFunctions, retained: v8.getHeapStatistics().used_heap_size });
  tooLarge = heapCapExceeded(heapSamples, heapCap, totalFunctions);
});
gcWatch.observe({ entryTypes: ["gc"] });

// While the graph is built (synchronous: the watcher above cannot run), a drop in the used heap
// between two progress calls means a full collection: if what it left is near the cap, the build
// would only collect ever more often until the worker is stopped.
let setupHeapUsed = 0;
const checkSetupHeap = () => {
  const used = v8.getHeapStatistics().used_heap_size;
  const collected = used < setupHeapUsed;
  setupHeapUsed = used;
  if (collected && used > 0.9 * heapCap) {
    const mib = (bytes: number) => Math.ceil(bytes / 2 ** 20);
    throw new Error(
      `The analysis would run out of memory: building the permission graph of ${countFunctions()} functions already keeps ${mib(used)} MiB (heap cap ${mib(heapCap)} MiB); nothing of this scan was stored. ` +
        `Set SALTZER_HEAP_MB to at least ${Math.ceil((mib(used) * 2) / 256) * 256} and scan again.`,
    );
  }
};

/** Posts a batch, then lets the collection watcher see the latest full collection and stop an org too large for the cap. */
const postRows = async (message: FromAnalysisWorker, batches: EncodedRows[]) => {
  await postCounted(message, batches);
  await new Promise((resolve) => setImmediate(resolve));
  if (tooLarge) throw new Error(tooLarge);
};

const started = performance.now();
traceStep("worker", "analysing");
let firstRows = true;
try {
  const options = {
    now,
    onlyAccounts: onlyAccounts ? new Set(onlyAccounts) : undefined,
    edges: withEdges,
    storedBlastRadius: storedBlastRadius ?? undefined,
    onProgress: (fraction: number, message: string) => {
      if (fraction === 0) checkSetupHeap();
      post({ type: "progress", fraction, message });
    },
  };
  await analyseToRows(scanId, snapshot, options, {
    rows: (rows) => {
      if (firstRows) traceStep("worker", "first rows analysed");
      firstRows = false;
      totalFunctions ||= countFunctions();
      analysed += rows.functions.length;
      return postRows({ type: "rows", ...rows }, rows.batches);
    },
    edges: (batches) => postCounted({ type: "edges", batches }, batches),
  });
  gcWatch.disconnect();
  traceStep("worker", "analysis done");
  post({ type: "done", busyMs: performance.now() - started - waitedMs });
} catch (error) {
  post({ type: "error", message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined });
}
