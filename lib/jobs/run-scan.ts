/**
 * One scan: read a snapshot → analyse → store, with progress reported to the caller and
 * recorded on the scan row (so the dashboard can follow a scan the CLI started).
 * A failure at any point marks the scan failed with the reason; earlier scans are untouched.
 */
import type { Database } from "@/lib/store/db";
import { createScan, failScan, storeSnapshot, updateScanProgress, type ScanAnalysis, type ScanStatus } from "@/lib/store/save-scan";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot } from "@/lib/analysis/analyze-snapshot";
import { crawlOrganization, type CrawlOptions } from "@/lib/collect/crawl-organization";
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

export interface ScanResult {
  scanId: number;
  status: ScanStatus;
  snapshot: Snapshot;
  analysis: ScanAnalysis | null;
  timings: { parseMs: number; analyseMs: number; storeMs: number };
}

export interface ScanOptions {
  onProgress?: (progress: ScanProgress) => void;
  /** Analysis of the snapshot (default: the full analysis); null skips it. */
  analyse?: ((snapshot: Snapshot, onProgress: (fraction: number, message: string) => void) => ScanAnalysis | Promise<ScanAnalysis>) | null;
  /** Reference time for date-based rules (ISO), for reproducible tests. */
  now?: string;
  /** Cancels the scan between steps; it ends `cancelled` and stores nothing. */
  signal?: AbortSignal;
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

  try {
    const t0 = performance.now();
    report({ phase: "reading", accountsDone: 0, accountsTotal: 0, functions: 0, fraction: 0, message: `reading ${location}` }, true);
    const snapshot =
      source.kind === "directory"
        ? await readSnapshotDir(source.dir, {
            onProgress: (p) =>
              report({
                phase: "reading",
                accountsDone: p.accountsDone,
                accountsTotal: p.accountsTotal,
                functions: 0,
                fraction: p.accountsTotal ? p.accountsDone / p.accountsTotal : 0,
                message: `${p.phase}: ${p.filesRead} files read`,
              }),
          })
        : (
            await crawlOrganization({
              ...source.crawl,
              signal: options.signal,
              onProgress: (p) =>
                report({
                  phase: "reading",
                  accountsDone: p.accountsDone,
                  accountsTotal: p.accountsTotal,
                  functions: p.functions,
                  fraction: p.regionsTotal ? p.regionsDone / p.regionsTotal : 0,
                  message: `${p.regionsDone}/${p.regionsTotal} regions, ${p.apiCalls} API calls, ${p.retries} retries, ${p.errors} errors`,
                }),
            })
          ).snapshot;
    checkCancelled();
    const functions = snapshot.accounts.reduce((n, a) => n + a.functions.length, 0);
    const accountsTotal = snapshot.accounts.length;
    const t1 = performance.now();

    let analysis: ScanAnalysis | null = null;
    const analyse = options.analyse === undefined ? (s: Snapshot, p: (f: number, m: string) => void) => analyzeSnapshot(s, { now: options.now, onProgress: p }) : options.analyse;
    if (analyse) {
      report({ phase: "analysing", accountsDone: accountsTotal, accountsTotal, functions, fraction: 0, message: "analysing" }, true);
      analysis = await analyse(snapshot, (fraction, message) => {
        checkCancelled();
        report({ phase: "analysing", accountsDone: accountsTotal, accountsTotal, functions, fraction, message });
      });
    }
    checkCancelled();
    const t2 = performance.now();

    report({ phase: "storing", accountsDone: accountsTotal, accountsTotal, functions, fraction: 0, message: "storing" }, true);
    const status = await storeSnapshot(db, scanId, snapshot, analysis, (written, total) => {
      // Throwing here rolls the whole transaction back.
      checkCancelled();
      report({ phase: "storing", accountsDone: accountsTotal, accountsTotal, functions, fraction: total ? written / total : 1, message: `${written}/${total} rows` });
    });
    const t3 = performance.now();
    options.onProgress?.({ scanId, phase: "done", accountsDone: accountsTotal, accountsTotal, functions, fraction: 1, message: status });
    return { scanId, status, snapshot, analysis, timings: { parseMs: t1 - t0, analyseMs: t2 - t1, storeMs: t3 - t2 } };
  } catch (error) {
    await failScan(db, scanId, error, error instanceof ScanCancelledError || options.signal?.aborted ? "cancelled" : "failed");
    throw error;
  }
}

function describeCrawl(crawl: CrawlOptions): string {
  const parts = ["aws", crawl.org ? "organization" : "account"];
  if (crawl.accounts?.length) parts.push(`accounts ${crawl.accounts.join(",")}`);
  if (crawl.regions?.length) parts.push(`regions ${crawl.regions.join(",")}`);
  return parts.join(" ");
}
