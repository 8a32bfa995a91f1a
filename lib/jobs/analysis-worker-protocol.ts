/** Messages between a scan and its analysis worker. */
import type { EncodedRows, FunctionSummary } from "@/lib/store/scan-rows";
import type { BlastRadius } from "@/lib/analysis/types";
import type { Snapshot } from "@/lib/snapshot/types";
import type { ReadSnapshotProgress } from "@/lib/snapshot/read-snapshot-dir";
import type { AnalysisInputParts } from "./analysis-inputs";

export interface AnalysisWorkerInput {
  scanId: number;
  /** Null: the snapshot the worker read itself (DeferredAnalysisWorkerData.snapshotDir). */
  snapshot: Snapshot | null;
  now?: string;
  /** Accounts to analyse (null: all); the others' results are reused from an earlier scan. */
  onlyAccounts: string[] | null;
  /** False when the graph's edges are copied from an earlier scan instead. */
  edges: boolean;
  /** Stored blast radius of the analysed functions, by ARN (AnalyzeOptions.storedBlastRadius). */
  storedBlastRadius: Map<string, BlastRadius> | null;
  /** For the TypeScript bootstrap: the worker module and the tsconfig that resolves its imports (null for the compiled worker). */
  entry: string;
  tsconfig: string | null;
}

/**
 * What a worker started ahead of its input (prepareAnalysisWorker) is given: the files it needs to
 * load itself; its input then comes as a "start" message.
 */
export interface DeferredAnalysisWorkerData {
  deferred: true;
  entry: string;
  tsconfig: string | null;
  /** A snapshot directory the worker reads while the scan opens its database, and posts back ("snapshot"). */
  snapshotDir?: string;
  /** Where the worker keeps its reads of snapshotDir's accounts (lib/snapshot/account-read-cache.ts). */
  readCacheDir?: string;
}

/** An error of the worker's snapshot read, as a message: a SnapshotError keeps its parts. */
export interface ReadErrorMessage {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  snapshotError?: { file: string; jsonPath: string; detail: string };
}

export type ToAnalysisWorker =
  | { type: "start"; input: AnalysisWorkerInput }
  | { type: "ack" }
  /** The scan is busy while the worker reads (it lists ahead, lib/store/save-scan.ts): the input hashes go before the snapshot. */
  | { type: "inputs-first" };

export type FromAnalysisWorker =
  /** The snapshot read of a worker given snapshotDir: its progress, then the snapshot or the error it ended with. */
  | { type: "reading"; progress: ReadSnapshotProgress }
  /** The read snapshot's input hashes (lib/jobs/analysis-inputs.ts): before the snapshot after a first read, after it on a rescan. */
  | { type: "inputs"; parts: AnalysisInputParts }
  | { type: "snapshot"; snapshot: Snapshot }
  | { type: "read-error"; error: ReadErrorMessage }
  /** Functions analysed since the last message, and the batches of rows that filled (their bytes transferred). */
  | { type: "rows"; functions: FunctionSummary[]; batches: EncodedRows[] }
  | { type: "progress"; fraction: number; message: string }
  | { type: "edges"; batches: EncodedRows[] }
  /** busyMs: the worker's time analysing and serializing, without waiting on the writer. */
  | { type: "done"; busyMs: number }
  | { type: "error"; message: string; stack?: string };
