/** `saltzer check`: a CI gate over findings at or above a severity, optionally only new ones. */
import { findingFingerprint } from "@/lib/analysis/fingerprint";
import { SEVERITIES, type Finding, type Severity } from "@/lib/analysis/types";
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
}

export function parseSeverity(value: unknown, usage: (m: string) => Error): Severity {
  if (typeof value !== "string" || !(SEVERITIES as string[]).includes(value)) {
    throw usage(`--fail-on needs one of ${SEVERITIES.join(", ")}${value === undefined ? "" : ` (got "${String(value)}")`}.`);
  }
  return value as Severity;
}

export function toGateFindings(findings: Finding[]): GateFinding[] {
  return findings.map((f) => ({ functionArn: f.functionArn, ruleId: f.ruleId, severity: f.severity, title: f.title, reason: f.reason, fingerprint: findingFingerprint(f) }));
}

/** Findings at or above `failOn`, less suppressed ones and (with a baseline) those already there. */
export function gate(findings: GateFinding[], failOn: Severity, suppressed: Set<string>, baseline: Set<string> | null): GateResult {
  const threshold = SEVERITIES.indexOf(failOn);
  let suppressedCount = 0;
  let ignored = 0;
  const offending: GateFinding[] = [];
  for (const f of findings) {
    if (SEVERITIES.indexOf(f.severity) > threshold) continue;
    if (suppressed.has(f.fingerprint)) {
      suppressedCount += 1;
      continue;
    }
    if (baseline?.has(f.fingerprint)) {
      ignored += 1;
      continue;
    }
    offending.push(f);
  }
  offending.sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || a.functionArn.localeCompare(b.functionArn));
  return { failed: offending.length > 0, offending, suppressed: suppressedCount, ignoredAsBaseline: ignored };
}

export function formatGate(result: GateResult, failOn: Severity, baseline: number | null): string {
  const lines: string[] = [];
  for (const f of result.offending) {
    lines.push(`${f.severity.toUpperCase().padEnd(8)} ${f.functionArn}  ${f.ruleId}`);
    lines.push(`         ${f.reason}`);
  }
  const extra = [
    result.suppressed ? `${result.suppressed} suppressed` : null,
    baseline !== null ? `${result.ignoredAsBaseline} already in baseline scan ${baseline}` : null,
  ].filter(Boolean);
  const tail = extra.length ? ` (${extra.join(", ")})` : "";
  lines.push(
    result.failed
      ? `FAIL: ${result.offending.length} ${baseline !== null ? "new " : ""}finding(s) at or above ${failOn}${tail}`
      : `PASS: no ${baseline !== null ? "new " : ""}finding at or above ${failOn}${tail}`,
  );
  return `${lines.map(safeTerminalText).join("\n")}\n`;
}
