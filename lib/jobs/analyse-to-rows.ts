/**
 * The analysis of a snapshot as the rows a scan stores, encoded in batches as they fill. Runs on
 * the analysis worker (or in process when there is none), so serialization and encoding stay off
 * the thread that writes to the database.
 */
import { streamAnalysis, type AnalyzeOptions } from "@/lib/audit/analyze-snapshot";
import { addFunctionRows, countFunctionsPerRole, edgeRow, functionRows, RowBatcher, type AnalysedRows, type EncodedRows, type FunctionSummary } from "@/lib/store/scan-rows";
import { FindingSearchIndex } from "@/lib/store/finding-search-index";
import type { Account, Snapshot } from "@/lib/snapshot/types";
import type { Edge } from "@/lib/analysis/types";

export type { AnalysedRows };

/** Where analysed rows go: the graph's edges once it is built, then the functions' as batches fill. */
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
  // A function's row before analysis, made for one account at a time (results come account by account).
  const accountOf = new Map(analysed.flatMap((a) => a.functions.map((fn) => [fn.arn, a] as const)));
  let basesOf: Account | null = null;
  let bases = new Map<string, ReturnType<typeof functionRows>[number]>();
  const baseOf = (arn: string) => {
    const owner = accountOf.get(arn);
    if (owner && owner !== basesOf) {
      basesOf = owner;
      bases = new Map(functionRows(scanId, owner).map((row) => [row.arn, row]));
    }
    return bases.get(arn);
  };
  const permissionSets = new Set<string>();
  const functionsPerRole = new Map(snapshot.accounts.flatMap((account) => [...countFunctionsPerRole(account)]));
  const rolesStored = new Set<string>();
  const batcher = new RowBatcher();
  const search = new FindingSearchIndex();
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
  // The graph's edges go out first, encoded as they are made: kept until the last function, they
  // would be a large organization's largest retained structure.
  const writeEdges = async (edges: Iterable<Edge>) => {
    const edgeBatcher = new RowBatcher();
    for (const edge of edges) {
      edgeBatcher.add("edges", edgeRow(scanId, edge));
      if (edgeBatcher.hasReady) await sink.edges(edgeBatcher.take());
    }
    edgeBatcher.flush();
    const last = edgeBatcher.take();
    if (last.length) await sink.edges(last);
  };
  // The store keeps no blast radius' list of reached functions (scan-rows.ts): none is built.
  await streamAnalysis(snapshot, { ...options, listReachedFunctions: false }, async (result) => {
    const base = baseOf(result.functionArn);
    if (!base) throw new Error(`Analysis returned ${result.functionArn}, which is not in the snapshot.`);
    if (cutAtAccounts && account !== undefined && base.accountId !== account) await handOver(true);
    account = base.accountId;
    const first = !permissionSets.has(result.permissionsKey);
    permissionSets.add(result.permissionsKey);
    const firstOfRole = rolesStored.has(result.roleArn) ? null : { functionCount: functionsPerRole.get(result.roleArn) ?? 1 };
    rolesStored.add(result.roleArn);
    functions.push(addFunctionRows(batcher, scanId, base, result, first, firstOfRole, search));
    if (batcher.hasReady) await handOver(false);
  }, options.edges === false ? async () => {} : writeEdges);
  await handOver(true);
}
