/**
 * One number for a whole scan: each step's own fraction placed on a weighted scale, so the bar
 * never goes back when a step begins (it used to restart at 0 % for each phase), never stays at
 * 0 % while work is done, and gives a time-left estimate. Pure: run-scan feeds it, tests drive it.
 */

/** The steps of a scan, in order. The permission graph is built before the first function is analysed. */
export const SCAN_STEPS = ["reading", "graph", "functions", "storing"] as const;
export type ScanStep = (typeof SCAN_STEPS)[number];

/**
 * Share of a scan's time each step takes, by source. A generated 2,000-function organization read
 * from a directory spent 28 % reading, 40 % building the permission graph, 27 % on the functions
 * and 5 % finishing the store (rows are written while functions are analysed); a live crawl is
 * dominated by API calls.
 */
export const STEP_WEIGHTS: Record<"directory" | "aws", Record<ScanStep, number>> = {
  directory: { reading: 0.25, graph: 0.35, functions: 0.3, storing: 0.1 },
  aws: { reading: 0.7, graph: 0.06, functions: 0.18, storing: 0.06 },
};

/** What a scan has done so far, in the units a user counts. */
export interface ScanCounts {
  accountsRead: number;
  accountsTotal: number;
  functionsAnalysed: number;
  functionsTotal: number;
  rowsStored: number;
  rowsTotal: number;
}

export interface OverallProgress {
  step: ScanStep | "done";
  /** 0..1 over the whole scan; never decreases; 1 only when done. */
  overall: number;
  /** Seconds since the scan started. */
  elapsedSeconds: number;
  /** Estimated seconds left; null until enough of the scan has run to say. */
  etaSeconds: number | null;
  counts: ScanCounts;
}

/** Below this share done, or this soon after the start, an estimate would be noise. */
const ETA_MIN_FRACTION = 0.03;
const ETA_MIN_SECONDS = 2;
/** Short of done, the bar stops here: 100 % means stored. */
const MAX_BEFORE_DONE = 0.99;

export interface ScanProgressMeter {
  /** A step's own fraction (0..1) and the counts known now; returns the whole scan's progress. */
  update(step: ScanStep, fraction: number, counts?: Partial<ScanCounts>): OverallProgress;
  /** New counts without a step's progress (rows written while the analysis still runs). */
  count(counts: Partial<ScanCounts>): void;
  done(): OverallProgress;
}

export function createScanProgressMeter(source: "directory" | "aws", now: () => number = Date.now): ScanProgressMeter {
  const weights = STEP_WEIGHTS[source];
  const started = now();
  let overall = 0;
  let step: ScanStep | "done" = "reading";
  const counts: ScanCounts = { accountsRead: 0, accountsTotal: 0, functionsAnalysed: 0, functionsTotal: 0, rowsStored: 0, rowsTotal: 0 };
  const snapshot = (): OverallProgress => {
    const elapsedSeconds = (now() - started) / 1000;
    const enough = overall >= ETA_MIN_FRACTION && elapsedSeconds >= ETA_MIN_SECONDS && step !== "done";
    return {
      step,
      overall,
      elapsedSeconds: Math.round(elapsedSeconds * 10) / 10,
      etaSeconds: enough ? Math.max(0, Math.round((elapsedSeconds * (1 - overall)) / overall)) : step === "done" ? 0 : null,
      counts: { ...counts },
    };
  };
  const merge = (known: Partial<ScanCounts>) => Object.assign(counts, Object.fromEntries(Object.entries(known).filter(([, v]) => v !== undefined)));
  return {
    count: merge,
    update(next, fraction, known = {}) {
      merge(known);
      // A step never reopens an earlier one (a late message from a finished step is counted as its end).
      const index = SCAN_STEPS.indexOf(next);
      const current = step === "done" ? SCAN_STEPS.length : SCAN_STEPS.indexOf(step);
      if (index >= current) step = next;
      const before = SCAN_STEPS.slice(0, index).reduce((sum, s) => sum + weights[s], 0);
      const within = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
      overall = Math.max(overall, Math.min(MAX_BEFORE_DONE, before + weights[next] * within));
      return snapshot();
    },
    done() {
      step = "done";
      overall = 1;
      return snapshot();
    },
  };
}

/** "about 2 min left", "about 40 s left", or null while it cannot be said. */
export function formatTimeLeft(etaSeconds: number | null): string | null {
  if (etaSeconds === null) return null;
  if (etaSeconds < 5) return "a few seconds left";
  if (etaSeconds < 90) return `about ${Math.round(etaSeconds / 5) * 5} s left`;
  if (etaSeconds < 5400) return `about ${Math.round(etaSeconds / 60)} min left`;
  return `about ${Math.round(etaSeconds / 3600)} h left`;
}
