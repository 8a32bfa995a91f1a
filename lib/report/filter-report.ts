/**
 * Narrows a JSON report before it is rendered, so every export (JSON, CSV, SARIF, HTML) of the
 * CLI and the dashboard shows the same selection. Pure: the input report is not modified.
 */
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { JsonReport, ReportFinding, ReportFunction } from "./build-json-report";

/**
 * What to keep. Function filters mirror the dashboard's function list (lib/queries/functions.ts);
 * `severity` and `category` also narrow each function's findings, so a CI gate on
 * `--severity high` sees every high finding, including those on low-risk functions.
 */
export interface ReportFilters {
  /** Account id, exact. */
  account?: string;
  /** Region, exact. */
  region?: string;
  /** Runtime, exact (e.g. `python3.12`). */
  runtime?: string;
  /**
   * Minimum severity. Findings below it are dropped; a function stays when its risk severity
   * reaches it or when one of its remaining findings does.
   */
  severity?: Severity;
  /** Finding category: only functions with a finding of it, and only those findings. */
  category?: string;
  /** Only functions invocable from outside (true) or not (false). */
  public?: boolean;
  /** Only functions whose role is (true) or is not (false) shared with another function. */
  sharedRole?: boolean;
  /** Case-insensitive substring of the function's name, ARN, role ARN or runtime. */
  q?: string;
  /** Keep suppressed findings (marked `suppressed: true`); dropped by default. */
  includeSuppressed?: boolean;
}

const rank = (s: Severity): number => SEVERITIES.indexOf(s);
const atLeast = (s: Severity | null, min: Severity): boolean => s !== null && rank(s) <= rank(min);

function functionMatches(fn: ReportFunction, filters: ReportFilters, q: string): boolean {
  if (filters.account && fn.accountId !== filters.account) return false;
  if (filters.region && fn.region !== filters.region) return false;
  if (filters.runtime && fn.runtime !== filters.runtime) return false;
  if (filters.public !== undefined && fn.isPublic !== filters.public) return false;
  if (filters.sharedRole !== undefined && fn.sharedRole !== filters.sharedRole) return false;
  if (q && ![fn.name, fn.arn, fn.roleArn, fn.runtime ?? ""].some((v) => v.toLowerCase().includes(q))) return false;
  return true;
}

function findingMatches(f: ReportFinding, filters: ReportFilters): boolean {
  if (filters.severity && !atLeast(f.severity, filters.severity)) return false;
  if (filters.category && f.category !== filters.category) return false;
  return true;
}

export function filterReport(report: JsonReport, filters: ReportFilters = {}): JsonReport {
  const q = filters.q?.trim().toLowerCase() ?? "";
  let suppressedFindings = 0;
  const functions: ReportFunction[] = [];
  for (const fn of report.functions) {
    if (!functionMatches(fn, filters, q)) continue;
    const matching = fn.findings.filter((f) => findingMatches(f, filters));
    if (filters.category && matching.length === 0) continue;
    if (filters.severity && !atLeast(fn.severity, filters.severity) && !matching.some((f) => !f.suppressed || filters.includeSuppressed)) continue;
    suppressedFindings += matching.filter((f) => f.suppressed).length;
    functions.push({ ...fn, findings: filters.includeSuppressed ? matching : matching.filter((f) => !f.suppressed) });
  }

  const bySeverity = (items: (Severity | null)[]): Record<Severity, number> => {
    const out: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const s of items) if (s) out[s] += 1;
    return out;
  };
  const accounts = filters.account ? report.scan.accounts.filter((a) => a.accountId === filters.account) : report.scan.accounts;
  return {
    ...report,
    scan: { ...report.scan, accounts },
    summary: {
      accounts: filters.account ? accounts.length : report.summary.accounts,
      functions: functions.length,
      publicFunctions: functions.filter((f) => f.isPublic).length,
      functionsWithSecrets: functions.filter((f) => f.environment.some((v) => v.looksSecret)).length,
      functionsBySeverity: bySeverity(functions.map((f) => f.severity)),
      findingsBySeverity: bySeverity(functions.flatMap((f) => f.findings.filter((x) => !x.suppressed).map((x) => x.severity))),
      suppressedFindings,
    },
    functions,
  };
}
