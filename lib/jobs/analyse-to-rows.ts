/**
 * The analysis of a snapshot as the rows a scan stores, encoded in batches as they fill. Runs on
 * the analysis worker (or in process when there is none), so serialization and encoding stay off
 * the thread that writes to the database.
 */
import { streamAnalysis, type AnalyzeOptions } from "@/lib/audit/analyze-snapshot";
import { addFunctionRows, countFunctionsPerRole, edgeRows, functionRows, RowBatcher, type AnalysedRows, type EncodedRows, type FunctionSummary } from "@/lib/store/scan-rows";
import type { Snapshot } from "@/lib/snapshot/types";

export type { AnalysedRows };

/** Where analysed rows go: the functions' as batches fill, then the graph's edges. */
export interface RowSink {
  rows(rows: AnalysedRows): void | Promise<void>;
  edges(batches: EncodedRows[]): void | Promise<void>;
}

/**
 * `edges: false` leaves out the graph's edges (an incremental rescan copies them). With
 * `onlyAccounts` (a rescan that copies the other accounts' rows), every hand-over holds one
 * account's rows, so the writer can copy a reused account's rows in between and keep a full
 * scan's row order.
 */
export async function analyseToRows(scanId: number, snapshot: Snapshot, options: AnalyzeOptions & { edges?: boolean }, sink: RowSink): Promise<void> {
  const analysed = options.onlyAccounts ? snapshot.accounts.filter((a) => options.onlyAccounts!.has(a.accountId)) : snapshot.accounts;
  const bases = new Map(analysed.flatMap((account) => functionRows(scanId, account)).map((row) => [row.arn, row]));
  const permissionSets = new Set<string>();
  const functionsPerRole = new Map(snapshot.accounts.flatMap((account) => [...countFunctionsPerRole(account)]));
  const rolesStored = new Set<string>();
  const batcher = new RowBatcher();
  const cutAtAccounts = options.onlyAccounts !== undefined;
  let functions: FunctionSummary[] = [];
  let account: string | undefined;
  const handOver = async (all: boolean) => {
    if (all) batcher.flush();
    const batches = batcher.take();
    if (!batches.length && !functions.length) return;
    const rows = { functions, batches };
    functions = [];
    await sink.rows(rows);
  };
  const { edges } = await streamAnalysis(snapshot, options, async (result) => {
    const base = bases.get(result.functionArn);
    if (!base) throw new Error(`Analysis returned ${result.functionArn}, which is not in the snapshot.`);
    if (cutAtAccounts && account !== undefined && base.accountId !== account) await handOver(true);
    account = base.accountId;
    const first = !permissionSets.has(result.permissionsKey);
    permissionSets.add(result.permissionsKey);
    const firstOfRole = rolesStored.has(result.roleArn) ? null : { functionCount: functionsPerRole.get(result.roleArn) ?? 1 };
    rolesStored.add(result.roleArn);
    functions.push(addFunctionRows(batcher, scanId, base, result, first, firstOfRole));
    if (batcher.hasReady) await handOver(false);
  });
  await handOver(true);
  if (options.edges === false) return;
  for (const row of edgeRows(scanId, edges)) {
    batcher.add("edges", row);
    if (batcher.hasReady) await sink.edges(batcher.take());
  }
  batcher.flush();
  const last = batcher.take();
  if (last.length) await sink.edges(last);
}
