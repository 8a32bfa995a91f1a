/**
 * One scan: read a snapshot → analyse → store, with progress reported to the caller and
 * recorded on the scan row (so the dashboard can follow a scan the CLI started).
 * A failure at any point marks the scan failed with the reason; earlier scans are untouched.
 */
import type { Database } from "@/lib/store/db";
import { createScan, dropListedAhead, failScan, heartbeat, HEARTBEAT_MS, listAhead, storeSnapshot, updateScanProgress, type ListedAhead, type ScanAnalysis, type ScanStatus, type StreamedAnalysis } from "@/lib/store/save-scan";
import { readSnapshotDir, type ReadSnapshotProgress } from "@/lib/snapshot/read-snapshot-dir";
import { SEVERITIES, type BlastRadius, type Severity } from "@/lib/analysis/types";
import type { FunctionSummary } from "@/lib/store/scan-rows";
import { analysisWorkerFiles, prepareAnalysisWorker, startAnalysisWorker, type PreparedAnalysisWorker, type RunningAnalysis } from "./analyse-in-worker";
import { analyseToRows, type RowSink } from "./analyse-to-rows";
import type { AnalyzeOptions } from "@/lib/audit/analyze-snapshot";
import { crawlOrganization, type CrawlOptions } from "@/lib/collect/crawl-organization";
import { saveCrawlStats, type StoredCrawlStats } from "@/lib/store/crawl-stats";
import type { Snapshot } from "@/lib/snapshot/types";
import { createScanProgressMeter, type OverallProgress, type ScanCounts, type ScanStep } from "./scan-progress-meter";
import { anyReusableScan, findReusableAnalysis, reusedRiskiest, storedBlastRadii, type AnalysisReuse } from "@/lib/store/reuse-analysis";
import { readScanAggregates } from "@/lib/store/scan-aggregates";
import type { IncrementalStore } from "@/lib/store/save-scan";
import { analysisInputs, analysisInputsFrom, analysisKeyPrefix, type AnalysisInputs } from "./analysis-inputs";
import { analysisCodeVersion } from "./analysis-code-version";
import { traceStep } from "@/lib/scan-trace";

export type ScanPhase = "reading" | "analysing" | "storing" | "done";

export interface ScanProgress {
  scanId: number;
  phase: ScanPhase;
  accountsDone: number;
  accountsTotal: number;
  functions: number;
  /** 0..1 within the phase. */
  fraction: number;
  message: string;
  /** The whole scan's progress (lib/jobs/scan-progress-meter.ts): monotonic, with counts and time left. */
  overall: OverallProgress;
}

/** What a caller needs to summarize a scan without holding every function's results. */
export interface ScanSummary {
  findings: number;
  findingsBySeverity: Record<Severity, number>;
  /** The five riskiest functions (RISKIEST_IN_SUMMARY). */
  riskiest: { functionArn: string; score: number; severity: Severity }[];
}

/** What a scan read, counted: the scan keeps none of the snapshot once it is stored. */
export interface ScannedCounts {
  accounts: number;
  /** Regions with at least one function. */
  regions: number;
  functions: number;
  gaps: Snapshot["gaps"];
}

export interface ScanResult {
  scanId: number;
  status: ScanStatus;
  scanned: ScannedCounts;
  summary: ScanSummary | null;
  /**
   * storeMs counts every write. analyseMs is the analysis's own time: on a worker thread it
   * overlaps the writes, so analyse + store can exceed totalMs (read to commit, wall clock).
   */
  timings: { parseMs: number; analyseMs: number; storeMs: number; totalMs: number };
  /** Accounts whose analysis was copied from an earlier scan (incremental rescan), and from which. */
  reused: { accounts: number; fromScanId: number } | null;
  /** A live crawl's API calls, retries and throttles (also stored on the scan); null for a directory. */
  crawlStats: StoredCrawlStats | null;
}

const RISKIEST_IN_SUMMARY = 5;

type SummaryInput = FunctionSummary;

function summarize(): { add(result: SummaryInput): void; summary: ScanSummary } {
  const summary: ScanSummary = { findings: 0, findingsBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>, riskiest: [] };
  return {
    summary,
    add(result) {
      summary.findings += result.findingSeverities.length;
      for (const severity of result.findingSeverities) summary.findingsBySeverity[severity] += 1;
      summary.riskiest.push({ functionArn: result.functionArn, score: result.riskScore, severity: result.severity });
      summary.riskiest.sort((a, b) => b.score - a.score || a.functionArn.localeCompare(b.functionArn));
      summary.riskiest.length = Math.min(summary.riskiest.length, RISKIEST_IN_SUMMARY);
    },
  };
}

export interface ScanOptions {
  onProgress?: (progress: ScanProgress) => void;
  /** Analysis of the snapshot (default: the full analysis); null skips it. */
  analyse?: ((snapshot: Snapshot, onProgress: (fraction: number, message: string) => void) => ScanAnalysis | Promise<ScanAnalysis>) | null;
  /** Reference time for date-based rules (ISO), for reproducible tests. */
  now?: string;
  /** Cancels the scan between steps; it ends `cancelled` and stores nothing. */
  signal?: AbortSignal;
  /**
   * Where the default analysis runs: on a worker thread while this one writes (default, when
   * the worker's sources are present), or on this thread between writes.
   */
  analysisThread?: "worker" | "main";
  /**
   * The analysis worker, started by the caller before it opened the database (prepareAnalysisWorker
   * given the scanned directory): it reads the snapshot meanwhile. Stopped unused when the analysis
   * runs elsewhere.
   */
  preparedWorker?: PreparedAnalysisWorker;
  /**
   * Reuse the stored analysis of accounts whose inputs did not change since an earlier scan
   * (default true; lib/jobs/analysis-inputs.ts says what counts as an input). False recomputes all.
   */
  reuse?: boolean;
  /**
   * Where reads of a snapshot directory's accounts are kept, so a rescan reads only what changed
   * (lib/snapshot/account-read-cache.ts); none when absent. A prepared worker was given its own.
   */
  readCacheDir?: string;
  /** Called with the snapshot as read, before it is analysed and stored (the scan lets go of it once stored). */
  onSnapshot?: (snapshot: Snapshot) => void;
}

/** Where a scan reads from: an offline snapshot directory, or AWS through the crawler. */
export type ScanSource = { kind: "directory"; dir: string } | { kind: "aws"; crawl: CrawlOptions };

export class ScanCancelledError extends Error {
  constructor() {
    super("Scan cancelled; nothing of it was stored.");
  }
}

const PERSIST_EVERY_MS = 400;
/** Up to this many changed functions with a stored blast radius, an incremental rescan analyses them on this thread. */
const LIGHT_ANALYSIS_FUNCTIONS = 1_000;

export function scanSnapshotDir(db: Database, dir: string, options: ScanOptions = {}): Promise<ScanResult> {
  return runScan(db, { kind: "directory", dir }, options);
}

export async function runScan(db: Database, source: ScanSource, options: ScanOptions = {}): Promise<ScanResult> {
  const location = source.kind === "directory" ? source.dir : describeCrawl(source.crawl);
  const scanId = await createScan(db, { kind: source.kind, location });
  const checkCancelled = () => {
    if (options.signal?.aborted) throw new ScanCancelledError();
  };
  let lastPersist = 0;
  const meter = createScanProgressMeter(source.kind);
  // Progress writes in order, one at a time: a late write must not show an earlier state.
  let persisting: Promise<void> = Promise.resolve();
  const STEP_PHASE: Record<ScanStep, ScanPhase> = { reading: "reading", graph: "analysing", functions: "analysing", storing: "storing" };
  const publish = (overall: OverallProgress, fraction: number, message: string, force: boolean) => {
    const phase: ScanPhase = overall.step === "done" ? "done" : STEP_PHASE[overall.step];
    const c = overall.counts;
    const full: ScanProgress = { scanId, phase, accountsDone: c.accountsRead, accountsTotal: c.accountsTotal, functions: c.functionsTotal, fraction, message, overall };
    options.onProgress?.(full);
    const now = Date.now();
    if (phase !== "done" && (force || now - lastPersist > PERSIST_EVERY_MS)) {
      lastPersist = now;
      persisting = persisting.then(() => updateScanProgress(db, scanId, phase, full as unknown as Record<string, unknown>)).catch(() => undefined);
    }
  };
  const report = (step: ScanStep, fraction: number, message: string, counts: Partial<ScanCounts> = {}, force = false) =>
    publish(meter.update(step, fraction, counts), fraction, message, force);

  // Proof of life between progress events (a slow API call, a long phase).
  const beat = setInterval(() => void heartbeat(db, scanId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  let worker: RunningAnalysis | null = null;
  let prepared: PreparedAnalysisWorker | null = null;
  let ahead: ListedAhead | null = null;
  try {
    const t0 = performance.now();
    const workerFiles = options.analyse !== undefined || options.analysisThread === "main" ? null : analysisWorkerFiles();
    /** The analysis code's name: part of the reuse key and of the read cache's (the worker's, or its sources'). */
    const codeVersion = () => analysisCodeVersion((workerFiles ?? analysisWorkerFiles())?.entry ?? null);
    // A worker the caller started while it opened the database reads the directory itself. Else, with
    // nothing to reuse, the whole snapshot will be analysed on the worker, which loads its code while
    // this thread reads the directory (a crawl takes long enough that this would only hold memory).
    if (workerFiles && source.kind === "directory") {
      prepared = options.preparedWorker ?? (options.reuse === false || !(await anyReusableScan(db)) ? prepareAnalysisWorker(workerFiles) : null);
    } else options.preparedWorker?.stop();
    report("reading", 0, `reading ${location}`, {}, true);
    let crawlStats: StoredCrawlStats | null = null;
    // Throwing here ends the read when the next account is done, so a signal is not kept waiting on a large snapshot.
    const onReadProgress = (p: ReadSnapshotProgress) => {
      checkCancelled();
      report("reading", p.accountsTotal ? p.accountsDone / p.accountsTotal : 0, `${p.phase}: ${p.filesRead} files read`, { accountsRead: p.accountsDone, accountsTotal: p.accountsTotal });
    };
    // Let go of once awaited (as is the snapshot once stored): a large snapshot is collected while the analysis streams in.
    let snapshotRead: Promise<Snapshot> | null =
      source.kind === "directory"
        ? (prepared?.readSnapshot
            ? prepared.readSnapshot(onReadProgress)
            : readSnapshotDir(source.dir, {
                onProgress: onReadProgress,
                cache: options.readCacheDir === undefined ? undefined : { dir: options.readCacheDir, codeVersion: codeVersion() },
              }))
        : (source.crawl.queue ? async (crawl: CrawlOptions) => (await import("./crawl-queue")).crawlThroughQueue(db, scanId, crawl) : crawlOrganization)({
            ...source.crawl,
            signal: options.signal,
            onProgress: (p) =>
              report("reading", p.jobsTotal ? p.jobsDone / p.jobsTotal : 0, `${p.regionsDone}/${p.regionsTotal} regions, ${p.jobsDone}/${p.jobsTotal} jobs, ${p.apiCalls} API calls, ${p.retries} retries, ${p.errors} errors${p.note ? `: ${p.note}` : ""}`, {
                accountsRead: p.accountsDone,
                accountsTotal: p.accountsTotal,
                functionsTotal: p.functions,
              }),
          }).then(async ({ snapshot, stats }) => {
            crawlStats = stats;
            await saveCrawlStats(db, scanId, stats);
            return snapshot;
          });
    // Until awaited below, a failed read is that await's to report.
    snapshotRead.catch(() => undefined);

    // A worker that reads the snapshot also posts its input hashes: what to reuse is decided from
    // them, and with nothing to reuse the analysis starts on the worker's own copy, while this thread
    // may still be receiving the snapshot (seconds at 100,000 functions).
    /** The snapshot's functions, once it is here (an analysis started before reports only its graph's progress until then). */
    let functions = 0;
    // The analysis reports 0 while it builds the permission graph, then the share of functions done.
    const analysisProgress = (fraction: number, message: string) =>
      fraction > 0
        ? report("functions", fraction, message, { functionsAnalysed: Math.round(fraction * functions) })
        : report("graph", 0, message);
    // While the worker reads, this thread lists the accounts of the scan a rescan likely reuses
    // (save-scan.ts); the worker then hands over its input hashes first, so the analysis of the
    // changed accounts starts before this thread has received the snapshot.
    if (options.analyse === undefined && options.reuse !== false && prepared?.readInputs) {
      const reader = prepared;
      ahead = await listAhead(db, scanId, analysisKeyPrefix(codeVersion(), options.now), () => reader.inputsFirst());
    }
    const earlyParts = options.analyse === undefined && prepared?.readInputs ? await prepared.readInputs : null;
    let inputs = earlyParts ? analysisInputsFrom(earlyParts, codeVersion(), options.now) : null;
    const findReuse = (found: AnalysisInputs) => (options.reuse === false ? null : findReusableAnalysis(db, found.analysisKey, found.accountHashes));
    /** Decided from the worker's input hashes (undefined: not yet). */
    let earlyReuse: AnalysisReuse | null | undefined;
    /** What a reusing scan analyses, when decided from the worker's input hashes. */
    let early: ReusePlan | null = null;
    const fullAnalyseOptions = (): AnalyzeOptions & { edges?: boolean } => ({
      now: options.now,
      edges: true,
      onProgress: (fraction: number, message: string) => {
        checkCancelled();
        analysisProgress(fraction, message);
      },
    });
    if (inputs) {
      traceStep("main", "inputs received; looking for an analysis to reuse");
      earlyReuse = await findReuse(inputs);
      if (!earlyReuse && workerFiles && prepared) {
        worker = startAnalysisWorker(workerFiles, scanId, null, fullAnalyseOptions(), prepared);
        prepared = null;
        traceStep("main", "nothing to reuse; the worker analyses its copy while the snapshot is handed over");
      } else if (earlyReuse && workerFiles && prepared?.readSnapshot) {
        early = await reusePlan(db, earlyReuse, [...inputs.accountHashes.keys()]);
        if (early.onlyAccounts.size > 0) {
          const { onlyAccounts, storedBlastRadius } = early;
          worker = startAnalysisWorker(workerFiles, scanId, null, { ...fullAnalyseOptions(), onlyAccounts, storedBlastRadius, edges: false }, prepared);
          prepared = null;
          traceStep("main", `reusing ${earlyReuse.accountIds.size} account(s); the worker analyses the ${onlyAccounts.size} other(s) while the snapshot is handed over`);
        }
      }
    }
    let snapshot: Snapshot | null = await snapshotRead;
    snapshotRead = null;
    traceStep("main", "snapshot received");
    checkCancelled();
    options.onSnapshot?.(snapshot);
    functions = snapshot.accounts.reduce((n, a) => n + a.functions.length, 0);
    const scanned: ScannedCounts = { accounts: snapshot.accounts.length, regions: new Set(snapshot.accounts.flatMap((a) => a.functions.map((fn) => fn.region))).size, functions, gaps: snapshot.gaps };
    const accountsTotal = snapshot.accounts.length;
    const t1 = performance.now();
    report("reading", 1, `${accountsTotal} accounts read`, { accountsRead: accountsTotal, accountsTotal, functionsTotal: functions }, true);

    // By default the analysis streams into the store: each function's results are written as
    // they are computed, inside the scan's one transaction.
    const tally = summarize();
    let analysisDone = false;
    let writesDuringAnalysisMs = 0;
    let streamMs = 0;
    let workerBusyMs: number | null = null;
    let analysis: ScanAnalysis | StreamedAnalysis | null = null;
    let incremental: IncrementalStore | null = null;
    if (options.analyse === undefined) {
      if (!inputs) {
        inputs = analysisInputs(snapshot, codeVersion(), options.now);
        traceStep("main", "inputs hashed; looking for an analysis to reuse");
      }
      const reuse = earlyReuse !== undefined ? earlyReuse : await findReuse(inputs);
      incremental = { ...inputs, reuse };
      const plan = early ?? (reuse ? await reusePlan(db, reuse, snapshot.accounts.map((a) => a.accountId)) : null);
      const onlyAccounts = plan?.onlyAccounts;
      const storedBlastRadius = plan?.storedBlastRadius;
      // Every analysed function keeps its stored blast radius: the little work left is cheaper here
      // than starting a worker and handing it the whole snapshot. A worker that read the snapshot
      // itself holds it already, with the analysis data loaded: it analyses while this thread lists
      // the reused accounts (save-scan.ts), the two costs of a rescan side by side on two cores.
      const analysed = snapshot.accounts.filter((a) => onlyAccounts?.has(a.accountId)).flatMap((a) => a.functions);
      const light = storedBlastRadius !== undefined && analysed.length <= LIGHT_ANALYSIS_FUNCTIONS && analysed.every((fn) => storedBlastRadius.has(fn.arn));
      const analysisWorker = light && !prepared?.readSnapshot ? null : workerFiles;
      const where = worker || analysisWorker ? "on a worker thread while storing" : "in process";
      const toAnalyse = onlyAccounts ? analysed.length : functions;
      traceStep("main", `${reuse ? `reusing ${reuse.accountIds.size} account(s) of scan ${reuse.fromScanId}` : "nothing to reuse"}; ${toAnalyse ? `analysing ${toAnalyse} function(s) ${where}` : "nothing to analyse"}`);
      report("graph", 0, `analysing ${where}`, {}, true);
      const analyseOptions = { ...fullAnalyseOptions(), onlyAccounts, storedBlastRadius, edges: !reuse };
      // Started before the store writes the snapshot's rows (if not already, above): the worker loads and builds the graph meanwhile.
      const running = worker ?? (analysisWorker && onlyAccounts?.size !== 0 ? startAnalysisWorker(analysisWorker, scanId, snapshot, analyseOptions, prepared ?? undefined) : null);
      worker = running;
      // The analysis in process needs the snapshot until it is done; a worker has its own copy.
      const inProcess = running ? null : snapshot;
      if (!running) prepared?.stop();
      prepared = null;
      analysis = {
        stream: async (sink) => {
          const start = performance.now();
          const timed = async (write: () => Promise<void>) => {
            const t = performance.now();
            await write();
            writesDuringAnalysisMs += performance.now() - t;
          };
          const rowSink: RowSink = {
            rows: (rows) => {
              for (const fn of rows.functions) tally.add(fn);
              return timed(() => sink.rows(rows));
            },
            edges: (batches) => timed(() => sink.edges(batches)),
          };
          // Every account reused: nothing to analyse, not even the graph (its edges are copied).
          if (onlyAccounts?.size === 0) workerBusyMs = 0;
          else if (running) workerBusyMs = (await running.result(rowSink)).busyMs;
          else await analyseToRows(scanId, inProcess!, analyseOptions, rowSink);
          streamMs = performance.now() - start;
          traceStep("main", "analysis stored");
          analysisDone = true;
          checkCancelled();
          report("storing", 0.5, "finishing", {}, true);
        },
      };
    } else if (options.analyse) {
      report("graph", 0, "analysing", {}, true);
      const computed = await options.analyse(snapshot, (fraction, message) => {
        checkCancelled();
        analysisProgress(fraction, message);
      });
      for (const fa of computed.functions.values()) tally.add({ functionArn: fa.functionArn, riskScore: fa.risk.score, severity: fa.risk.severity, findingSeverities: fa.findings.map((f) => f.severity) });
      analysis = computed;
      analysisDone = true;
    } else analysisDone = true;
    checkCancelled();
    const t2 = performance.now();

    const storing = storeSnapshot(db, scanId, snapshot, analysis, (written, total) => {
      // Throwing here rolls the whole transaction back.
      checkCancelled();
      // Rows stream in while the analysis runs: counted all along, the storing step's own share after it.
      if (analysisDone) report("storing", total ? written / total : 1, `${written}/${total} rows`, { rowsStored: written, rowsTotal: total });
      else meter.count({ rowsStored: written, rowsTotal: total });
    }, incremental, ahead);
    // The store took what it writes: nothing below needs the snapshot.
    snapshot = null;
    const status = await storing;
    if (incremental?.reuse) {
      // The summary covers every function, reused ones included: its findings are the stored aggregates'.
      const { findingsBySeverity } = await readScanAggregates(db, scanId);
      tally.summary.findingsBySeverity = { ...findingsBySeverity };
      tally.summary.findings = SEVERITIES.reduce((n, s) => n + findingsBySeverity[s], 0);
      for (const f of await reusedRiskiest(db, scanId, [...incremental.reuse.accountIds], RISKIEST_IN_SUMMARY)) {
        tally.add({ functionArn: f.arn, riskScore: f.risk_score, severity: f.severity as Severity, findingSeverities: [] });
      }
    }
    const t3 = performance.now();
    traceStep("main", `scan ${scanId} committed`);
    await persisting;
    publish(meter.done(), 1, status, false);
    // Time this thread waited on the analysis; the rest after reading was spent writing.
    const waitedMs = streamMs ? streamMs - writesDuringAnalysisMs : t2 - t1;
    const timings = { parseMs: t1 - t0, analyseMs: workerBusyMs ?? waitedMs, storeMs: t3 - t1 - waitedMs, totalMs: t3 - t0 };
    const reused = incremental?.reuse ? { accounts: incremental.reuse.accountIds.size, fromScanId: incremental.reuse.fromScanId } : null;
    return { scanId, status, scanned, summary: analysis ? tally.summary : null, timings, crawlStats, reused };
  } catch (error) {
    await dropListedAhead(db, ahead).catch(() => undefined);
    await failScan(db, scanId, error, error instanceof ScanCancelledError || options.signal?.aborted ? "cancelled" : "failed");
    throw error;
  } finally {
    prepared?.stop();
    worker?.stop();
    clearInterval(beat);
  }
}

/** What a scan that reuses `reuse` analyses: the other accounts, each function with its stored blast radius. */
interface ReusePlan {
  onlyAccounts: Set<string>;
  storedBlastRadius: Map<string, BlastRadius> | undefined;
}

async function reusePlan(db: Database, reuse: AnalysisReuse, accountIds: string[]): Promise<ReusePlan> {
  const onlyAccounts = new Set(accountIds.filter((id) => !reuse.accountIds.has(id)));
  // The changed accounts' functions keep their blast radius: the graph it reads is unchanged.
  return { onlyAccounts, storedBlastRadius: onlyAccounts.size ? await storedBlastRadii(db, reuse.fromScanId, [...onlyAccounts]) : undefined };
}

function describeCrawl(crawl: CrawlOptions): string {
  const parts = ["aws", crawl.org ? "organization" : "account"];
  if (crawl.accounts?.length) parts.push(`accounts ${crawl.accounts.join(",")}`);
  if (crawl.regions?.length) parts.push(`regions ${crawl.regions.join(",")}`);
  return parts.join(" ");
}
