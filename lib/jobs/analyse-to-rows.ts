/**
 * The analysis of a snapshot as the rows a scan stores, one function at a time. Runs on the
 * analysis worker (or in process when there is none), so serialization stays off the thread
 * that writes to the database.
 */
import { streamAnalysis, type AnalyzeOptions } from "@/lib/audit/analyze-snapshot";
import { countFunctionsPerRole, edgeRows, functionRows, serializeRow, storedFunctionResult, type SerializedRow, type StoredFunctionResult } from "@/lib/store/scan-rows";
import type { Snapshot } from "@/lib/snapshot/types";

/** Where analysed rows go: each function's as it is computed, then the graph's edges in batches. */
export interface RowSink {
  functionResult(result: StoredFunctionResult): void | Promise<void>;
  edges(rows: SerializedRow[]): void | Promise<void>;
}

/** Edge rows per hand-over: the graph has ~11 edges per function, so it is never handed over whole. */
const EDGES_PER_BATCH = 5_000;

/** `edges: false` leaves out the graph's edges (an incremental rescan copies them). */
export async function analyseToRows(scanId: number, snapshot: Snapshot, options: AnalyzeOptions & { edges?: boolean }, sink: RowSink): Promise<void> {
  const analysed = options.onlyAccounts ? snapshot.accounts.filter((a) => options.onlyAccounts!.has(a.accountId)) : snapshot.accounts;
  const bases = new Map(analysed.flatMap((account) => functionRows(scanId, account)).map((row) => [row.arn, row]));
  const permissionSets = new Set<string>();
  const functionsPerRole = new Map(snapshot.accounts.flatMap((account) => [...countFunctionsPerRole(account)]));
  const rolesStored = new Set<string>();
  const { edges } = await streamAnalysis(snapshot, options, (result) => {
    const base = bases.get(result.functionArn);
    if (!base) throw new Error(`Analysis returned ${result.functionArn}, which is not in the snapshot.`);
    const first = !permissionSets.has(result.permissionsKey);
    permissionSets.add(result.permissionsKey);
    const firstOfRole = rolesStored.has(result.roleArn) ? null : { functionCount: functionsPerRole.get(result.roleArn) ?? 1 };
    rolesStored.add(result.roleArn);
    return sink.functionResult(storedFunctionResult(scanId, base, result, first, firstOfRole));
  });
  if (options.edges === false) return;
  let batch: SerializedRow[] = [];
  for (const row of edgeRows(scanId, edges)) {
    batch.push(serializeRow(row));
    if (batch.length >= EDGES_PER_BATCH) {
      await sink.edges(batch);
      batch = [];
    }
  }
  if (batch.length) await sink.edges(batch);
}
