/**
 * `saltzer check`: a CI gate over the findings the view lists at or above a severity (the same
 * view filter as the risk view and `saltzer report`), optionally only new ones, failing closed
 * on incomplete data.
 */
import { SEVERITIES, type Severity } from "@/lib/analysis/types";
import type { CoverageGap } from "@/lib/snapshot/types";
import type { ViewFunction } from "@/lib/queries/scan-view";
import { applyViewFilter, type ViewFilter } from "@/lib/queries/view-filter";

/** Exit codes of `saltzer check` (also in the README and `saltzer --help`). */
export const CHECK_EXIT = { pass: 0, findings: 1, usage: 2, incomplete: 3 } as const;
import { safeTerminalText } from "./terminal-text";

export interface GateFinding {
  functionArn: string;
  ruleId: string;
  severity: Severity;
  title: string;
  reason: string;
  fingerprint: string;
}

export interface GateResult {
  failed: boolean;
  offending: GateFinding[];
  suppressed: number;
  ignoredAsBaseline: number;
  /** Functions of the view whose inputs are incomplete. */
  incompleteFunctions: number;
  /** Fails closed: incomplete data and no --allow-incomplete. */
  failedIncomplete: boolean;
}

export function parseSeverity(value: unknown, usage: (m: string) => Error): Severity {
  if (typeof value !== "string" || !(SEVERITIES as string[]).includes(value)) {
    throw usage(`--fail-on needs one of ${SEVERITIES.join(", ")}${value === undefined ? "" : ` (got "${String(value)}")`}.`);
  }
  return value as Severity;
}

/**
 * The view's findings at or above `failOn` (filter as given, severity = failOn), less those in
 * the baseline. Suppressed ones are counted, not offending.
 */
export function gate(functions: ViewFunction[], filter: ViewFilter, failOn: Severity, baseline: Set<string> | null, allowIncomplete: boolean, gaps: CoverageGap[]): GateResult {
  // Suppressed findings are counted (as the view's `suppressed: only` lists them), never offending.
  const inView = filter.suppressed === "only" ? [] : applyViewFilter(functions, { ...filter, severity: failOn, suppressed: "hide" });
  const suppressed = applyViewFilter(functions, { ...filter, severity: failOn, suppressed: "only" }).reduce((n, f) => n + f.findings.length, 0);
  let ignored = 0;
  const offending: GateFinding[] = [];
  for (const fn of inView) {
    for (const f of fn.findings) {
      if (baseline?.has(f.fingerprint)) {
        ignored += 1;
        continue;
      }
      offending.push({ functionArn: fn.arn, ruleId: f.ruleId, severity: f.severity, title: f.title, reason: f.reason, fingerprint: f.fingerprint });
    }
  }
  offending.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.functionArn.localeCompare(b.functionArn));
  const incompleteFunctions = applyViewFilter(functions, { ...filter, severity: undefined, incomplete: true }).length;
  return {
    failed: offending.length > 0,
    offending,
    suppressed,
    ignoredAsBaseline: ignored,
    incompleteFunctions,
    // A gap can hide whole functions (ListFunctions denied), so any gap in scope fails closed.
    failedIncomplete: (incompleteFunctions > 0 || gapsInScope(gaps, filter).length > 0) && !allowIncomplete,
  };
}

/** The gaps of the accounts and regions the filter looks at. */
export function gapsInScope(gaps: CoverageGap[], filter: ViewFilter): CoverageGap[] {
  return gaps.filter((g) => (!filter.account || g.accountId === null || g.accountId === filter.account) && (!filter.region || g.region === null || g.region === filter.region));
}

export function exitCode(result: GateResult): number {
  if (result.failed) return CHECK_EXIT.findings;
  if (result.failedIncomplete) return CHECK_EXIT.incomplete;
  return CHECK_EXIT.pass;
}

export function formatGate(result: GateResult, failOn: Severity, baseline: number | null, gaps: CoverageGap[]): string {
  const lines: string[] = [];
  for (const f of result.offending) {
    lines.push(`${f.severity.toUpperCase().padEnd(8)} ${f.functionArn}  ${f.ruleId}`);
    lines.push(`         ${f.reason}`);
  }
  if (gaps.length > 0) {
    lines.push(`INCOMPLETE: ${gaps.length} coverage gap(s); ${result.incompleteFunctions} function(s) were judged on incomplete data:`);
    for (const g of gaps) lines.push(`  gap: ${[g.accountId, g.region, g.api].filter(Boolean).join(" ")}: ${g.message}`);
  }
  const extra = [
    result.suppressed ? `${result.suppressed} suppressed` : null,
    baseline !== null ? `${result.ignoredAsBaseline} already in baseline scan ${baseline}` : null,
    result.incompleteFunctions ? `${result.incompleteFunctions} function(s) with incomplete data` : null,
  ].filter(Boolean);
  const tail = extra.length ? ` (${extra.join(", ")})` : "";
  const what = `${baseline !== null ? "new " : ""}finding`;
  if (result.failed) lines.push(`FAIL: ${result.offending.length} ${what}(s) at or above ${failOn}${tail}`);
  else if (result.failedIncomplete) lines.push(`FAIL: incomplete data: no ${what} at or above ${failOn} was seen, but the scan could not read everything${tail}; pass --allow-incomplete to accept`);
  else lines.push(`PASS: no ${what} at or above ${failOn}${tail}`);
  return `${lines.map(safeTerminalText).join("\n")}\n`;
}
