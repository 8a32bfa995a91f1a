/**
 * The only writer of scans. A scan row is created first (status `running`, so progress is
 * visible); its records are then written in one transaction, so a scan that fails or is
 * interrupted leaves no half-written rows and never touches what earlier scans stored.
 */
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Edge, FunctionAnalysis } from "@/lib/analysis/types";
import type { CoverageGap, Snapshot } from "@/lib/snapshot/types";
import { storeScanAggregates } from "./scan-aggregates";
import type { Database, SqlRunner } from "./db";
import { serializeRow, snapshotRows, type SerializedRow, type StoredFunctionResult } from "./scan-rows";
import { analysisCopier, type AnalysisReuse } from "./reuse-analysis";

/**
 * What lets a later scan reuse this one's analysis (stored with it), and what this scan reuses
 * from an earlier one: those accounts' rows are copied, not written from `analysis`.
 */
export interface IncrementalStore {
  analysisKey: string;
  accountHashes: Map<string, string>;
  reuse: AnalysisReuse | null;
}

/** Analysis results for a whole snapshot, keyed by function ARN. */
export interface ScanAnalysis {
  functions: Map<string, FunctionAnalysis>;
  edges: Edge[];
}

/**
 * Analysis that hands over each function's rows as they are computed (possibly on another
 * thread); the store writes them into the open transaction, so results never accumulate for a
 * whole organization. Ends with the organization's graph edges.
 */
export interface StreamedAnalysis {
  stream(sink: { functionResult(result: StoredFunctionResult): Promise<void>; edges(rows: SerializedRow[]): Promise<void> }): Promise<void>;
}

/** Functions whose results are buffered before one insert. */
const FUNCTIONS_PER_FLUSH = 250;

export type ScanStatus = "running" | "succeeded" | "partial" | "failed" | "cancelled";

/** Rows per INSERT, and a byte budget so a batch of large JSON documents stays small. */
const BATCH_ROWS = 1_000;
const BATCH_BYTES = 1 * 2 ** 20;

/** Batches of serialized rows, each joined into one JSON array with the union of their columns. */
function* chunks(list: Iterable<SerializedRow>): Generator<{ json: string; columns: string[]; count: number }> {
  let parts: string[] = [];
  const columns = new Set<string>();
  let bytes = 0;
  const flush = () => {
    const batch = { json: `[${parts.join(",")}]`, columns: [...columns], count: parts.length };
    parts = [];
    columns.clear();
    bytes = 0;
    return batch;
  };
  for (const row of list) {
    for (const column of row.columns) columns.add(column);
    parts.push(row.json);
    bytes += row.json.length;
    if (parts.length >= BATCH_ROWS || bytes >= BATCH_BYTES) yield flush();
  }
  if (parts.length) yield flush();
}

function* serialized(rows: Iterable<object>): Generator<SerializedRow> {
  for (const row of rows) yield serializeRow(row);
}

/**
 * Bulk insert with one JSON parameter: the server expands it with json_populate_recordset,
 * far cheaper than one bound parameter per value. Columns not given take their defaults.
 */
async function insertRows(conn: SqlRunner, table: string, batch: { json: string; columns: string[] }): Promise<void> {
  const columns = batch.columns.map((c) => `"${c}"`).join(", ");
  const sql = `INSERT INTO ${table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${table}, $1::json)`;
  if (conn.queryJson) await conn.queryJson(sql, batch.json);
  else await conn.query(sql, [batch.json]);
}

/**
 * Every row written here references `scanId`, so the per-row foreign-key check against `scans`
 * (a lookup and a row lock per row, a seventh of the embedded database's insert time) is done
 * once: the scan row is locked as those checks would lock it, then the checks are switched off
 * until the transaction ends. Embedded database only: on PostgreSQL this setting needs a
 * superuser, and the server does the checks fast enough.
 */
async function skipScanForeignKeyChecks(conn: SqlRunner, scanId: number): Promise<void> {
  const [scan] = await conn.query(`SELECT id FROM scans WHERE id = $1 FOR KEY SHARE`, [scanId]);
  if (!scan) throw new Error(`Scan ${scanId} does not exist (deleted while it ran?): nothing was stored.`);
  await conn.exec("SET LOCAL session_replication_role = replica");
}

export async function createScan(db: Database, source: Snapshot["source"]): Promise<number> {
  const scan = await db.prisma.scan.create({
    data: { status: "running", sourceKind: source.kind, sourceLocation: source.location, phase: "starting", heartbeatAt: new Date() },
  });
  return scan.id;
}

export async function updateScanProgress(db: Database, scanId: number, phase: string, progress: Record<string, unknown>): Promise<void> {
  // Only while running: a progress write that lands after the scan ended must not reopen its phase.
  await db.prisma.scan.updateMany({ where: { id: scanId, status: "running" }, data: { phase, progress: progress as Prisma.InputJsonValue, heartbeatAt: new Date() } });
}

/** How often a running scan refreshes its heartbeat, and how old one may get before the scan counts as dead. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 2 * 60_000;

export async function heartbeat(db: Database, scanId: number): Promise<void> {
  await db.prisma.scan.updateMany({ where: { id: scanId, status: "running" }, data: { heartbeatAt: new Date() } });
}

export async function failScan(db: Database, scanId: number, error: unknown, status: "failed" | "cancelled" = "failed"): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.prisma.scan.update({
    where: { id: scanId },
    data: { status, error: message, finishedAt: new Date(), phase: status },
  });
}

/**
 * Scans left `running` by a process that stopped (crash, kill): marked failed, their rows were
 * never committed. The embedded database has one owner, so every running scan there is such a
 * leftover; on a shared PostgreSQL only those whose heartbeat went stale.
 */
export async function markInterruptedScans(db: Database): Promise<number> {
  const stale = new Date(Date.now() - STALE_AFTER_MS);
  const { count } = await db.prisma.scan.updateMany({
    where:
      db.kind === "pglite"
        ? { status: "running" }
        : { status: "running", OR: [{ heartbeatAt: { lt: stale } }, { heartbeatAt: null, startedAt: { lt: stale } }] },
    data: { status: "failed", phase: "failed", finishedAt: new Date(), error: "Interrupted: the process stopped mid-scan; nothing of this scan was stored." },
  });
  return count;
}

/**
 * Writes every record of the snapshot (and its analysis, when given) under `scanId` and marks
 * the scan succeeded, or partial when the snapshot lists coverage gaps.
 */
export async function storeSnapshot(
  db: Database,
  scanId: number,
  snapshot: Snapshot,
  analysis: ScanAnalysis | StreamedAnalysis | null,
  onProgress?: (rowsWritten: number, rowsTotal: number) => void,
  incremental: IncrementalStore | null = null,
): Promise<ScanStatus> {
  const streamed = analysis !== null && "stream" in analysis ? analysis : null;
  if (incremental?.reuse && !streamed) throw new Error("Reusing an earlier scan's analysis needs the streamed analysis.");
  const rows = snapshotRows(scanId, snapshot, streamed ? null : (analysis as ScanAnalysis | null));
  if (incremental) for (const account of rows.accounts) account.inputHash = incremental.accountHashes.get(account.accountId) ?? null;
  const reuse = incremental?.reuse ?? null;
  const functionCount = rows.functions.length;
  let total =
    rows.accounts.length + rows.roles.length + rows.policies.length + functionCount + rows.mappings.length + rows.findings.length + rows.permissionSets.length + rows.roleReach.length + rows.roleRecommendations.length + rows.edges.length;
  let written = 0;
  let findingCount = rows.findings.length;
  const status: ScanStatus = snapshot.gaps.length > 0 ? "partial" : "succeeded";

  // One transaction on one connection: the scan's rows appear all at once or not at all.
  await db.withConnection(async (conn) => {
    const writeSerialized = async (table: string, list: Iterable<SerializedRow>) => {
      for (const batch of chunks(list)) {
        await insertRows(conn, table, batch);
        written += batch.count;
        onProgress?.(written, total);
      }
    };
    const write = (table: string, list: Iterable<object>) => writeSerialized(table, serialized(list));
    await conn.exec("BEGIN");
    try {
      if (db.kind === "pglite") await skipScanForeignKeyChecks(conn, scanId);
      await write("accounts", rows.accounts);
      await write("roles", rows.roles);
      await write("managed_policies", rows.policies);
      await write("event_source_mappings", rows.mappings);
      if (streamed) {
        const unanalysed = new Map(rows.functions.map((r) => [r.arn, r]));
        // Reused accounts are copied in snapshot order between the analysed ones, so rows keep
        // the order a full scan writes them in.
        const copier = reuse ? analysisCopier(conn, reuse, scanId) : null;
        const accountOrder = snapshot.accounts.map((a) => a.accountId);
        let nextAccount = 0;
        let currentAccount: string | undefined;
        /** Copies the reused accounts that come before `accountId` (null: all that remain), each run of them at once. */
        const copyReusedBefore = async (accountId: string | null) => {
          if (!copier || (accountId !== null && accountId === currentAccount)) return;
          const run: string[] = [];
          while (nextAccount < accountOrder.length) {
            const id = accountOrder[nextAccount++];
            if (id === accountId) break;
            if (reuse!.accountIds.has(id)) run.push(id);
          }
          currentAccount = accountId ?? undefined;
          if (run.length === 0) return;
          await flush();
          const copied = await copier.accounts(run);
          const copiedAccounts = new Set(run);
          for (const row of rows.functions) if (copiedAccounts.has(row.accountId)) unanalysed.delete(row.arn);
          findingCount += copied.findings;
          total += copied.findings;
          written += copied.functions + copied.findings;
          onProgress?.(written, total);
        };
        let pendingFunctions: SerializedRow[] = [];
        let pendingFindings: SerializedRow[] = [];
        let pendingSets: SerializedRow[] = [];
        let pendingReach: SerializedRow[] = [];
        let pendingRecommendations: SerializedRow[] = [];
        const flush = async () => {
          const [f, g, p, r, rr] = [pendingFunctions, pendingFindings, pendingSets, pendingReach, pendingRecommendations];
          pendingFunctions = [];
          pendingFindings = [];
          pendingSets = [];
          pendingReach = [];
          pendingRecommendations = [];
          total += g.length + p.length + r.length + rr.length;
          await writeSerialized("functions", f);
          await writeSerialized("findings", g);
          await writeSerialized("permission_sets", p);
          await writeSerialized("role_reach", r);
          await writeSerialized("role_recommendations", rr);
        };
        await streamed.stream({
          functionResult: async (result) => {
            const accountId = unanalysed.get(result.functionArn)?.accountId;
            if (accountId && reuse?.accountIds.has(accountId)) throw new Error(`Analysis returned ${result.functionArn}, whose account's results are reused.`);
            if (accountId) await copyReusedBefore(accountId);
            if (!unanalysed.delete(result.functionArn)) throw new Error(`Analysis returned ${result.functionArn}, which is not in the snapshot or came twice.`);
            pendingFunctions.push(result.functionRow);
            pendingFindings.push(...result.findingRows);
            // Reusing: permission sets and reach are copied whole (organization-level rows).
            if (result.permissionSetRow && !copier) pendingSets.push(result.permissionSetRow);
            if (result.roleReachRow && !copier) pendingReach.push(result.roleReachRow);
            if (result.roleRecommendationRow) pendingRecommendations.push(result.roleRecommendationRow);
            findingCount += result.findingRows.length;
            if (pendingFunctions.length >= FUNCTIONS_PER_FLUSH) await flush();
          },
          edges: async (edgeRows) => {
            await copyReusedBefore(null);
            await flush();
            total += edgeRows.length;
            await writeSerialized("edges", edgeRows);
          },
        });
        await copyReusedBefore(null);
        await flush();
        if (copier) {
          const copied = await copier.organizationTables();
          written += copied;
          total += copied;
        }
        // Functions the analysis skipped (none expected) are still stored, unanalysed.
        await write("functions", unanalysed.values());
      } else {
        await write("functions", rows.functions);
        await write("findings", rows.findings);
        await write("permission_sets", rows.permissionSets);
        await write("role_reach", rows.roleReach);
        await write("role_recommendations", rows.roleRecommendations);
        await write("edges", rows.edges);
      }
      const scanUpdate = {
        status,
        phase: "done",
        finished_at: new Date().toISOString(),
        gaps: snapshot.gaps,
        organization_id: snapshot.organization?.id ?? null,
        organization: snapshot.organization ?? null,
        account_count: snapshot.accounts.length,
        function_count: functionCount,
        finding_count: findingCount,
        analyzed: analysis !== null,
        analysis_key: incremental?.analysisKey ?? null,
        reused_accounts: reuse?.accountIds.size ?? 0,
      };
      await conn.query(
        `UPDATE scans s SET status = u.status, phase = u.phase, finished_at = u.finished_at, gaps = u.gaps, organization_id = u.organization_id,
                organization = u.organization, account_count = u.account_count, function_count = u.function_count,
                finding_count = u.finding_count, analyzed = u.analyzed, analysis_key = u.analysis_key, reused_accounts = u.reused_accounts
           FROM json_populate_record(NULL::scans, $2::json) u WHERE s.id = $1`,
        [scanId, JSON.stringify(scanUpdate)],
      );
      await storeScanAggregates(conn, scanId);
      await conn.exec("COMMIT");
    } catch (error) {
      await conn.exec("ROLLBACK");
      throw error;
    }
  });
  return status;
}

export type { CoverageGap };
