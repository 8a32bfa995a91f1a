/**
 * The only writer of scans. A scan row is created first (status `running`, so progress is
 * visible); its records are then written in one transaction, so a scan that fails or is
 * interrupted leaves no half-written rows and never touches what earlier scans stored.
 */
import type { Edge, FunctionAnalysis } from "@/lib/analysis/types";
import type { CoverageGap, Snapshot } from "@/lib/snapshot/types";
import { storeScanAggregates, VERDICT_COPIES } from "./scan-aggregates";
import type { Database, SqlRunner } from "./db";
import { encodedBatches, snapshotRows, type AnalysedRows, type EncodedRows } from "./scan-rows";
import { analysisCopier, likelyReusableScan, type AnalysisReuse } from "./reuse-analysis";
import { traceStep } from "@/lib/scan-trace";

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
 * Analysis that hands over its rows, encoded in batches, as they are computed (possibly on
 * another thread); the store writes them into the open transaction, so results never accumulate
 * for a whole organization. Ends with the organization's graph edges.
 */
export interface StreamedAnalysis {
  stream(sink: { rows(rows: AnalysedRows): Promise<void>; edges(batches: EncodedRows[]): Promise<void> }): Promise<void>;
}

export type ScanStatus = "running" | "succeeded" | "partial" | "failed" | "cancelled";

/**
 * Bulk insert with one JSON parameter: the server expands it with json_populate_recordset,
 * far cheaper than one bound parameter per value. Columns not given take their defaults.
 * With `withVerdicts`, a table that has a narrow verdict copy gets the copy in the same
 * statement, from the rows just inserted, so they are neither sent nor read a second time.
 */
async function insertRows(conn: SqlRunner, batch: EncodedRows, withVerdicts: boolean): Promise<void> {
  const columns = batch.columns.map((c) => `"${c}"`).join(", ");
  // The search index's rows are shared by every scan: one an earlier scan wrote is the same row.
  const key = SHARED_TABLE_KEYS[batch.table];
  const shared = key ? ` ORDER BY ${key} ON CONFLICT DO NOTHING` : "";
  const insert = `INSERT INTO ${batch.table} (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::${batch.table}, $1::json)${shared}`;
  const copy = withVerdicts ? VERDICT_COPIES[batch.table] : undefined;
  await conn.queryJson(copy ? `WITH written AS (${insert} RETURNING ${copy.from}) INSERT INTO ${copy.table} (${copy.columns}) SELECT ${copy.columns} FROM written` : insert, batch.bytes);
}

/**
 * Content-addressed tables without a scan id (finding-search-index.ts), with their keys. On
 * PostgreSQL another scan may be writing the same rows at the same time: inside a scan's
 * transaction, a row it inserted would make every other scan wait for that scan's commit (or
 * deadlock with it), so each batch is committed on its own, in key order (no two batches can then
 * wait on each other). A row of a scan that fails later stays: it is the same for every scan, and
 * a scan's index is what its findings name.
 */
const SHARED_TABLE_KEYS: Record<string, string> = { search_terms: "id", search_text_terms: "term_id, text_id" };

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

// The scan's own row is read and written with plain SQL: a CLI scan then never loads the Prisma
// query compiler (about half a second of CPU at start). Timestamps go over as UTC ISO text, as
// Prisma writes them into these TIMESTAMP columns (the database session's time zone plays no part).
const utcNow = () => new Date().toISOString();

export async function createScan(db: Database, source: Snapshot["source"]): Promise<number> {
  const now = utcNow();
  const [scan] = await db.query<{ id: number }>(
    `INSERT INTO scans (status, source_kind, source_location, phase, started_at, heartbeat_at) VALUES ('running', $1, $2, 'starting', $3::timestamp, $3::timestamp) RETURNING id`,
    [source.kind, source.location, now],
  );
  return scan.id;
}

export async function updateScanProgress(db: Database, scanId: number, phase: string, progress: Record<string, unknown>): Promise<void> {
  // Only while running: a progress write that lands after the scan ended must not reopen its phase.
  await db.query(`UPDATE scans SET phase = $2, progress = $3::jsonb, heartbeat_at = $4::timestamp WHERE id = $1 AND status = 'running'`, [scanId, phase, JSON.stringify(progress), utcNow()]);
}

/** How often a running scan refreshes its heartbeat, and how old one may get before the scan counts as dead. */
export const HEARTBEAT_MS = 10_000;
export const STALE_AFTER_MS = 2 * 60_000;

export async function heartbeat(db: Database, scanId: number): Promise<void> {
  await db.query(`UPDATE scans SET heartbeat_at = $2::timestamp WHERE id = $1 AND status = 'running'`, [scanId, utcNow()]);
}

export async function failScan(db: Database, scanId: number, error: unknown, status: "failed" | "cancelled" = "failed"): Promise<void> {
  const message = error instanceof Error ? error.message : String(error);
  await db.query(`UPDATE scans SET status = $2, error = $3, finished_at = $4::timestamp, phase = $2 WHERE id = $1`, [scanId, status, message, utcNow()]);
}

/**
 * Scans left `running` by a process that stopped (crash, kill): marked failed, their rows were
 * never committed. The embedded database has one owner, so every running scan there is such a
 * leftover; on a shared PostgreSQL only those whose heartbeat went stale.
 */
export async function markInterruptedScans(db: Database): Promise<number> {
  const stale = new Date(Date.now() - STALE_AFTER_MS).toISOString();
  const staleOnly = db.kind === "pglite" ? "" : `AND (heartbeat_at < $2::timestamp OR (heartbeat_at IS NULL AND started_at < $2::timestamp))`;
  const [{ count }] = await db.query<{ count: number }>(
    `WITH marked AS (
       UPDATE scans SET status = 'failed', phase = 'failed', finished_at = $1::timestamp, error = 'Interrupted: the process stopped mid-scan; nothing of this scan was stored.'
        WHERE status = 'running' ${staleOnly} RETURNING 1)
     SELECT count(*)::int AS count FROM marked`,
    db.kind === "pglite" ? [utcNow()] : [utcNow(), stale],
  );
  return count;
}

/**
 * An embedded database's scan transaction opened before its snapshot is read, with the accounts
 * of the scan it will likely reuse already listed (under a savepoint): an incremental rescan's
 * largest write, done while the analysis worker still reads the snapshot and this thread has
 * nothing else to do. storeSnapshot keeps what it reuses and takes the rest out, or rolls the
 * listing back when it reuses another scan or none.
 */
export interface ListedAhead {
  fromScanId: number;
  accountIds: string[];
  functions: number;
  findings: number;
  /** Set once storeSnapshot took the transaction over (it commits or rolls it back). */
  taken: boolean;
}

const LISTED_AHEAD = "listed_ahead";

/**
 * Opens the scan's transaction and lists the accounts of the newest scan with `keyPrefix`
 * (analysisKeyPrefix: the same code and day), or does nothing and returns null when there is no
 * such scan or the database is not the embedded one (a PostgreSQL transaction is a pooled
 * connection's, which the store takes later). `beforeListing` is called when the listing starts:
 * this thread is then busy for as long as it takes. The caller ends the transaction with
 * storeSnapshot or dropListedAhead.
 */
export async function listAhead(db: Database, scanId: number, keyPrefix: string, beforeListing?: () => void): Promise<ListedAhead | null> {
  if (db.kind !== "pglite") return null;
  const likely = await likelyReusableScan(db, keyPrefix);
  if (!likely) return null;
  beforeListing?.();
  await db.exec("BEGIN");
  try {
    await skipScanForeignKeyChecks(db, scanId);
    await db.exec(`SAVEPOINT ${LISTED_AHEAD}`);
    traceStep("main", `listing ahead the ${likely.accountIds.length} account(s) of scan ${likely.scanId}`);
    const listed = await analysisCopier(db, likely.scanId, scanId).accounts(likely.accountIds);
    traceStep("main", "listed ahead");
    return { fromScanId: likely.scanId, accountIds: likely.accountIds, ...listed, taken: false };
  } catch (error) {
    await db.exec("ROLLBACK");
    throw error;
  }
}

/** Rolls back a transaction listAhead opened, unless storeSnapshot took it over. */
export async function dropListedAhead(db: Database, ahead: ListedAhead | null): Promise<void> {
  if (!ahead || ahead.taken) return;
  ahead.taken = true;
  await db.exec("ROLLBACK");
}

/**
 * Writes every record of the snapshot (and its analysis, when given) under `scanId` and marks
 * the scan succeeded, or partial when the snapshot lists coverage gaps. What it writes is taken
 * from the snapshot before the first write, and the snapshot's own rows are let go once written:
 * with a streamed analysis, a large snapshot is collected while the analysis's rows come in.
 */
export function storeSnapshot(
  db: Database,
  scanId: number,
  snapshot: Snapshot,
  analysis: ScanAnalysis | StreamedAnalysis | null,
  onProgress?: (rowsWritten: number, rowsTotal: number) => void,
  incremental: IncrementalStore | null = null,
  ahead: ListedAhead | null = null,
): Promise<ScanStatus> {
  const streamed = analysis !== null && "stream" in analysis ? analysis : null;
  if (incremental?.reuse && !streamed) return Promise.reject(new Error("Reusing an earlier scan's analysis needs the streamed analysis."));
  const write = scanWrite(scanId, snapshot, streamed ? null : (analysis as ScanAnalysis | null), streamed !== null, incremental);
  if (ahead) ahead.taken = true;
  return writeScan(db, scanId, write, streamed, analysis !== null, onProgress, incremental, ahead);
}

/** What storing a scan writes, taken from its snapshot: none of it holds the snapshot but `own`, until it is written. */
interface ScanWrite {
  /** The snapshot's own rows (a reused account's roles, managed policies and mappings stay where they were written). */
  own: Pick<ReturnType<typeof snapshotRows>, "accounts" | "roles" | "policies" | "mappings"> | null;
  /** Without a streamed analysis: the functions' rows, with their analysis when given. */
  analysed: Omit<ReturnType<typeof snapshotRows>, "accounts" | "roles" | "policies" | "mappings"> | null;
  /** Each function's account, by ARN. */
  accountOf: Map<string, string>;
  accountIds: string[];
  gaps: CoverageGap[];
  organization: Snapshot["organization"];
}

function scanWrite(scanId: number, snapshot: Snapshot, analysis: ScanAnalysis | null, streamed: boolean, incremental: IncrementalStore | null): ScanWrite {
  const { accounts, roles, policies, mappings, ...analysed } = snapshotRows(scanId, snapshot, analysis);
  const reuse = incremental?.reuse ?? null;
  for (const account of accounts) {
    if (incremental) account.inputHash = incremental.accountHashes.get(account.accountId) ?? null;
    // A reused account's role recommendations stay where they were written (shared-rows.ts).
    if (reuse?.accountIds.has(account.accountId)) account.analysedIn = reuse.analysedIn.get(account.accountId) ?? null;
  }
  // A reused account's roles, managed policies and mappings stay where its analysis was written (shared-rows.ts).
  const own = <T extends { accountId: string }>(list: T[]): T[] => (reuse ? list.filter((r) => !reuse.accountIds.has(r.accountId)) : list);
  return {
    own: { accounts, roles: own(roles), policies: own(policies), mappings: own(mappings) },
    analysed: streamed ? null : analysed,
    accountOf: new Map(analysed.functions.map((r) => [r.arn, r.accountId])),
    accountIds: snapshot.accounts.map((a) => a.accountId),
    gaps: snapshot.gaps,
    organization: snapshot.organization ?? null,
  };
}

/** The snapshot's own rows, let go as they are written: nothing then holds the snapshot. */
async function writeOwnRows(scan: ScanWrite, write: (table: string, list: Iterable<object>) => Promise<void>): Promise<void> {
  const own = scan.own!;
  scan.own = null;
  await write("accounts", own.accounts);
  await write("roles", own.roles);
  await write("managed_policies", own.policies);
  await write("event_source_mappings", own.mappings);
}

async function writeScan(
  db: Database,
  scanId: number,
  scan: ScanWrite,
  streamed: StreamedAnalysis | null,
  analysed: boolean,
  onProgress: ((rowsWritten: number, rowsTotal: number) => void) | undefined,
  incremental: IncrementalStore | null,
  ahead: ListedAhead | null,
): Promise<ScanStatus> {
  const reuse = incremental?.reuse ?? null;
  const rows = scan.analysed;
  const functionCount = scan.accountOf.size;
  let total =
    scan.own!.accounts.length + scan.own!.roles.length + scan.own!.policies.length + functionCount + scan.own!.mappings.length +
    (rows ? rows.findings.length + rows.searchTerms.length + rows.searchTextTerms.length + rows.permissionSets.length + rows.roleReach.length + rows.roleRecommendations.length + rows.edges.length : 0);
  let written = 0;
  let findingCount = rows?.findings.length ?? 0;
  const status: ScanStatus = scan.gaps.length > 0 ? "partial" : "succeeded";

  // One transaction on one connection: the scan's rows appear all at once or not at all.
  await db.withConnection(async (conn) => {
    // Verdict copies are written with their rows, copied ones too (reuse-analysis.ts); the shared
    // search index outside the transaction on PostgreSQL (PGlite has one connection and one writer).
    const insert = async (batch: EncodedRows) => {
      await insertRows(SHARED_TABLE_KEYS[batch.table] && db.kind !== "pglite" ? db : conn, batch, true);
      written += batch.count;
      onProgress?.(written, total);
    };
    const write = async (table: string, list: Iterable<object>) => {
      for (const batch of encodedBatches(table, list)) await insert(batch);
    };
    // A transaction listAhead opened is this one (the embedded database has one session).
    if (!ahead) await conn.exec("BEGIN");
    try {
      if (db.kind === "pglite" && !ahead) await skipScanForeignKeyChecks(conn, scanId);
      // Listed ahead (listAhead) from the scan reused: kept, less what is not reused (below).
      // From another scan, or none: rolled back before anything else is written.
      const listedAhead = ahead !== null && streamed !== null && ahead.fromScanId === reuse?.fromScanId;
      if (ahead && !listedAhead) await conn.exec(`ROLLBACK TO SAVEPOINT ${LISTED_AHEAD}`);
      traceStep("main", "writing the snapshot's rows");
      await writeOwnRows(scan, write);
      if (streamed) {
        // A reused account's functions are listed below, not written: only the others await their analysis.
        const unanalysed = new Set([...scan.accountOf].filter(([, accountId]) => !reuse?.accountIds.has(accountId)).map(([arn]) => arn));
        // The reused accounts are listed first, one statement per table for all of them: meanwhile
        // the analysis worker analyses the changed accounts (an incremental rescan's two costs
        // overlap). Readers order what they list, never by where a row was written.
        // What was listed ahead and is not reused (changed accounts, accounts no longer there) goes again.
        let copied: { functions: number; findings: number } | null = null;
        if (reuse && ahead && listedAhead) {
          const gone = await analysisCopier(conn, reuse.fromScanId, scanId).unlist(ahead.accountIds.filter((id) => !reuse.accountIds.has(id)));
          copied = { functions: ahead.functions - gone.functions, findings: ahead.findings - gone.findings };
        } else if (reuse) {
          const run = scan.accountIds.filter((id) => reuse.accountIds.has(id));
          if (run.length > 0) {
            traceStep("main", `listing ${run.length} reused account(s)`);
            copied = await analysisCopier(conn, reuse.fromScanId, scanId).accounts(run);
            traceStep("main", "reused accounts listed");
          }
        }
        if (copied) {
          findingCount += copied.findings;
          total += copied.findings;
          written += copied.functions + copied.findings;
          onProgress?.(written, total);
        }
        await streamed.stream({
          rows: async ({ functions, batches }) => {
            for (const fn of functions) {
              if (!unanalysed.delete(fn.functionArn)) {
                const accountId = scan.accountOf.get(fn.functionArn);
                const reused = accountId !== undefined && reuse?.accountIds.has(accountId);
                throw new Error(`Analysis returned ${fn.functionArn}, ${reused ? "whose account's results are reused" : "which is not in the snapshot or came twice"}.`);
              }
              findingCount += fn.findingSeverities.length;
            }
            // Reusing: the earlier scan's permission sets and reach are this scan's (organization-level rows).
            const kept = reuse ? batches.filter((b) => b.table !== "permission_sets" && b.table !== "role_reach") : batches;
            // Function rows are counted in the total from the start; the others as they come.
            for (const batch of kept) if (batch.table !== "functions") total += batch.count;
            for (const batch of kept) await insert(batch);
          },
          edges: async (batches) => {
            for (const batch of batches) total += batch.count;
            for (const batch of batches) await insert(batch);
          },
        });
        // A function stored without its analysis would look as if nothing were wrong with it.
        if (unanalysed.size > 0) {
          const [first] = unanalysed;
          throw new Error(`The analysis returned no result for ${unanalysed.size} function(s), ${first} among them; nothing of this scan was stored.`);
        }
      } else if (rows) {
        await write("functions", rows.functions);
        await write("findings", rows.findings);
        await write("search_terms", rows.searchTerms);
        await write("search_text_terms", rows.searchTextTerms);
        await write("permission_sets", rows.permissionSets);
        await write("role_reach", rows.roleReach);
        await write("role_recommendations", rows.roleRecommendations);
        await write("edges", rows.edges);
      }
      const scanUpdate = {
        status,
        phase: "done",
        finished_at: new Date().toISOString(),
        gaps: scan.gaps,
        organization_id: scan.organization?.id ?? null,
        organization: scan.organization ?? null,
        account_count: scan.accountIds.length,
        function_count: functionCount,
        finding_count: findingCount,
        analyzed: analysed,
        analysis_key: incremental?.analysisKey ?? null,
        reused_accounts: reuse?.accountIds.size ?? 0,
        // Equal analysis keys: the earlier scan's graph is this scan's (reuse-analysis.ts).
        graph_scan_id: reuse?.graphScanId ?? null,
      };
      await conn.query(
        `UPDATE scans s SET status = u.status, phase = u.phase, finished_at = u.finished_at, gaps = u.gaps, organization_id = u.organization_id,
                organization = u.organization, account_count = u.account_count, function_count = u.function_count,
                finding_count = u.finding_count, analyzed = u.analyzed, analysis_key = u.analysis_key, reused_accounts = u.reused_accounts,
                graph_scan_id = u.graph_scan_id
           FROM json_populate_record(NULL::scans, $2::json) u WHERE s.id = $1`,
        [scanId, JSON.stringify(scanUpdate)],
      );
      // Every account reused (and the same organization-level key): the earlier scan's verdicts are this scan's.
      const listedFrom = reuse ? { scanId: reuse.fromScanId, accounts: [...reuse.accountIds], all: reuse.accountIds.size === scan.accountIds.length } : null;
      traceStep("main", "deriving page data");
      await storeScanAggregates(conn, scanId, { verdictsWritten: true, listedFrom });
      await conn.exec("COMMIT");
    } catch (error) {
      await conn.exec("ROLLBACK");
      throw error;
    }
  });
  return status;
}

export type { CoverageGap };
