/**
 * One scan: read a snapshot → analyse → store, with progress reported to the caller and
 * recorded on the scan row (so the dashboard can follow a scan the CLI started).
 * A failure at any point marks the scan failed with the reason; earlier scans are untouched.
 */
import type { Database } from "@/lib/store/db";
import { createScan, failScan, heartbeat, HEARTBEAT_MS, storeSnapshot, updateScanProgress, type ScanAnalysis, type ScanStatus, type StreamedAnalysis } from "@/lib/store/save-scan";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { StoredFunctionResult } from "@/lib/store/scan-rows";
import { analyseInWorker, analysisWorkerFiles } from "./analyse-in-worker";
import { analyseToRows, type RowSink } from "./analyse-to-rows";
import { crawlOrganization, type CrawlOptions } from "@/lib/collect/crawl-organization";
import { saveCrawlStats, type StoredCrawlStats } from "@/lib/store/crawl-stats";
import type { Snapshot } from "@/lib/snapshot/types";

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
}

/** What a caller needs to summarize a scan without holding every function's results. */
export interface ScanSummary {
  findings: number;
  findingsBySeverity: Record<Severity, number>;
  /** The five riskiest functions. */
  riskiest: { functionArn: string; score: number; severity: Severity }[];
}

export interface ScanResult {
  scanId: number;
  status: ScanStatus;
  snapshot: Snapshot;
  summary: ScanSummary | null;
  /**
   * storeMs counts every write. analyseMs is the analysis's own time: on a worker thread it
   * overlaps the writes, so analyse + store can exceed totalMs (read to commit, wall clock).
   */
  timings: { parseMs: number; analyseMs: number; storeMs: number; totalMs: number };
  /** A live crawl's API calls, retries and throttles (also stored on the scan); null for a directory. */
  crawlStats: StoredCrawlStats | null;
}

type SummaryInput = Pick<StoredFunctionResult, "functionArn" | "riskScore" | "severity" | "findingSeverities">;

function summarize(): { add(result: SummaryInput): void; summary: ScanSummary } {
  const summary: ScanSummary = { findings: 0, findingsBySeverity: Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>, riskiest: [] };
  return {
    summary,
    add(result) {
      summary.findings += result.findingSeverities.length;
      for (const severity of result.findingSeverities) summary.findingsBySeverity[severity] += 1;
      summary.riskiest.push({ functionArn: result.functionArn, score: result.riskScore, severity: result.severity });
      summary.riskiest.sort((a, b) => b.score - a.score || a.functionArn.localeCompare(b.functionArn));
      summary.riskiest.length = Math.min(summary.riskiest.length, 5);
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
}

/** Where a scan reads from: an offline snapshot directory, or AWS through the crawler. */
export type ScanSource = { kind: "directory"; dir: string } | { kind: "aws"; crawl: CrawlOptions };

export class ScanCancelledError extends Error {
  constructor() {
    super("Scan cancelled; nothing of it was stored.");
  }
}

const PERSIST_EVERY_MS = 400;

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
  const report = (progress: Omit<ScanProgress, "scanId">, force = false) => {
    const full = { scanId, ...progress };
    options.onProgress?.(full);
    const now = Date.now();
    if (force || now - lastPersist > PERSIST_EVERY_MS) {
      lastPersist = now;
      void updateScanProgress(db, scanId, progress.phase, full as unknown as Record<string, unknown>).catch(() => undefined);
    }
  };

  // Proof of life between progress events (a slow API call, a long phase).
  const beat = setInterval(() => void heartbeat(db, scanId).catch(() => undefined), HEARTBEAT_MS);
  beat.unref();
  try {
    const t0 = performance.now();
    report({ phase: "reading", accountsDone: 0, accountsTotal: 0, functions: 0, fraction: 0, message: `reading ${location}` }, true);
    let crawlStats: StoredCrawlStats | null = null;
    const snapshot =
      source.kind === "directory"
        ? await readSnapshotDir(source.dir, {
            // Throwing here ends the read when the next account is done, so a signal is not kept waiting on a large snapshot.
            onProgress: (p) => {
              checkCancelled();
              report({
                phase: "reading",
                accountsDone: p.accountsDone,
                accountsTotal: p.accountsTotal,
                functions: 0,
                fraction: p.accountsTotal ? p.accountsDone / p.accountsTotal : 0,
                message: `${p.phase}: ${p.filesRead} files read`,
              });
            },
          })
        : await (source.crawl.queue ? async (crawl: CrawlOptions) => (await import("./crawl-queue")).crawlThroughQueue(db, scanId, crawl) : crawlOrganization)({
            ...source.crawl,
            signal: options.signal,
            onProgress: (p) =>
              report({
                phase: "reading",
                accountsDone: p.accountsDone,
                accountsTotal: p.accountsTotal,
                functions: p.functions,
                fraction: p.jobsTotal ? p.jobsDone / p.jobsTotal : 0,
                message: `${p.regionsDone}/${p.regionsTotal} regions, ${p.jobsDone}/${p.jobsTotal} jobs, ${p.apiCalls} API calls, ${p.retries} retries, ${p.errors} errors${p.note ? `: ${p.note}` : ""}`,
              }),
          }).then(async ({ snapshot, stats }) => {
            crawlStats = stats;
            await saveCrawlStats(db, scanId, stats);
            return snapshot;
          });
    checkCancelled();
    const functions = snapshot.accounts.reduce((n, a) => n + a.functions.length, 0);
    const accountsTotal = snapshot.accounts.length;
    const t1 = performance.now();

    // By default the analysis streams into the store: each function's results are written as
    // they are computed, inside the scan's one transaction.
    const tally = summarize();
    let analysisDone = false;
    let writesDuringAnalysisMs = 0;
    let streamMs = 0;
    let workerBusyMs: number | null = null;
    let analysis: ScanAnalysis | StreamedAnalysis | null = null;
    if (options.analyse === undefined) {
      const workerFiles = options.analysisThread === "main" ? null : analysisWorkerFiles();
      const where = workerFiles ? "on a worker thread while storing" : "in process";
      report({ phase: "analysing", accountsDone: accountsTotal, accountsTotal, functions, fraction: 0, message: `analysing ${where}` }, true);
      analysis = {
        stream: async (sink) => {
          const start = performance.now();
          const analyseOptions = {
            now: options.now,
            onProgress: (fraction: number, message: string) => {
              checkCancelled();
              report({ phase: "analysing", accountsDone: accountsTotal, accountsTotal, functions, fraction, message });
            },
          };
          const timed = async (write: () => Promise<void>) => {
            const t = performance.now();
            await write();
            writesDuringAnalysisMs += performance.now() - t;
          };
          const rowSink: RowSink = {
            functionResult: (result) => {
              tally.add(result);
              return timed(() => sink.functionResult(result));
            },
            edges: (rows) => timed(() => sink.edges(rows)),
          };
          if (workerFiles) workerBusyMs = (await analyseInWorker(workerFiles, scanId, snapshot, analyseOptions, rowSink)).busyMs;
          else await analyseToRows(scanId, snapshot, analyseOptions, rowSink);
          streamMs = performance.now() - start;
          analysisDone = true;
          checkCancelled();
          report({ phase: "storing", accountsDone: accountsTotal, accountsTotal, functions, fraction: 0.95, message: "finishing" }, true);
        },
      };
    } else if (options.analyse) {
      report({ phase: "analysing", accountsDone: accountsTotal, accountsTotal, functions, fraction: 0, message: "analysing" }, true);
      const computed = await options.analyse(snapshot, (fraction, message) => {
        checkCancelled();
        report({ phase: "analysing", accountsDone: accountsTotal, accountsTotal, functions, fraction, message });
      });
      for (const fa of computed.functions.values()) tally.add({ functionArn: fa.functionArn, riskScore: fa.risk.score, severity: fa.risk.severity, findingSeverities: fa.findings.map((f) => f.severity) });
      analysis = computed;
      analysisDone = true;
    } else analysisDone = true;
    checkCancelled();
    const t2 = performance.now();

    const status = await storeSnapshot(db, scanId, snapshot, analysis, (written, total) => {
      // Throwing here rolls the whole transaction back.
      checkCancelled();
      if (analysisDone) report({ phase: "storing", accountsDone: accountsTotal, accountsTotal, functions, fraction: total ? written / total : 1, message: `${written}/${total} rows` });
    });
    const t3 = performance.now();
    options.onProgress?.({ scanId, phase: "done", accountsDone: accountsTotal, accountsTotal, functions, fraction: 1, message: status });
    // Time this thread waited on the analysis; the rest after reading was spent writing.
    const waitedMs = streamMs ? streamMs - writesDuringAnalysisMs : t2 - t1;
    const timings = { parseMs: t1 - t0, analyseMs: workerBusyMs ?? waitedMs, storeMs: t3 - t1 - waitedMs, totalMs: t3 - t0 };
    return { scanId, status, snapshot, summary: analysis ? tally.summary : null, timings, crawlStats };
  } catch (error) {
    await failScan(db, scanId, error, error instanceof ScanCancelledError || options.signal?.aborted ? "cancelled" : "failed");
    throw error;
  } finally {
    clearInterval(beat);
  }
}

function describeCrawl(crawl: CrawlOptions): string {
  const parts = ["aws", crawl.org ? "organization" : "account"];
  if (crawl.accounts?.length) parts.push(`accounts ${crawl.accounts.join(",")}`);
  if (crawl.regions?.length) parts.push(`regions ${crawl.regions.join(",")}`);
  return parts.join(" ");
}
