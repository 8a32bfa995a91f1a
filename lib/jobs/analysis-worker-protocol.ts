/** Messages between a scan and its analysis worker. */
import type { EncodedRows, FunctionSummary } from "@/lib/store/scan-rows";
import type { BlastRadius } from "@/lib/analysis/types";
import type { Snapshot } from "@/lib/snapshot/types";

export interface AnalysisWorkerInput {
  scanId: number;
  snapshot: Snapshot;
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
}

export type ToAnalysisWorker = { type: "start"; input: AnalysisWorkerInput } | { type: "ack" };

export type FromAnalysisWorker =
  /** Functions analysed since the last message, and the batches of rows that filled (their bytes transferred). */
  | { type: "rows"; functions: FunctionSummary[]; batches: EncodedRows[] }
  | { type: "progress"; fraction: number; message: string }
  | { type: "edges"; batches: EncodedRows[] }
  /** busyMs: the worker's time analysing and serializing, without waiting on the writer. */
  | { type: "done"; busyMs: number }
  | { type: "error"; message: string; stack?: string };
