/**
 * What changed between two scans, per function and complete (no cap): the dashboard's diff page,
 * the overview's summary and `saltzer diff A B` all read this. Findings are compared as the views
 * show them (suppressions applied). A finding that disappeared from a function the later scan could
 * not fully read is "no longer seen (incomplete data)", never "resolved". No `server-only`: the CLI reads it.
 */
import type { Severity } from "@/lib/analysis/types";
import { SEVERITIES } from "@/lib/analysis/types";
import { incompleteInputs, type IncompleteInput } from "@/lib/analysis/verdicts";
import type { Database } from "@/lib/store/db";
import { readDiffCandidates } from "@/lib/store/scan-diff-candidates";
import { loadScanView, type ScanView, type ViewFinding, type ViewFunction } from "./scan-view";
import { loadSuppressionMatcher } from "./suppressions";

export interface DiffFinding {
  functionArn: string;
  functionName: string;
  ruleId: string;
  severity: Severity;
  title: string;
  reason: string;
  fingerprint: string;
}

/** The same rule on the same function, with a different finding: old → new. */
export interface ChangedFinding {
  before: DiffFinding;
  after: DiffFinding;
  /** What differs, in words: "severity high → critical", "reason changed". */
  what: string[];
}

export interface FunctionChange {
  arn: string;
  name: string;
  /** Its execution role in the later scan (the earlier one for a removed function). */
  roleArn: string;
  status: "added" | "removed" | "changed";
  riskBefore: number | null;
  riskAfter: number | null;
  severityBefore: Severity | null;
  severityAfter: Severity | null;
  publicBefore: boolean;
  publicAfter: boolean;
  /** Reads the later scan could not make for this function (a removed function: for its account/region). */
  incompleteAfter: IncompleteInput[];
  becameIncomplete: boolean;
  newFindings: DiffFinding[];
  resolvedFindings: DiffFinding[];
  /** Gone from a function whose inputs the later scan could not fully read: not known to be fixed. */
  unseenFindings: DiffFinding[];
  changedFindings: ChangedFinding[];
}

export interface ScanDiff {
  from: number;
  to: number;
  totals: {
    newFindings: number;
    resolvedFindings: number;
    unseenFindings: number;
    changedFindings: number;
    riskRose: number;
    riskFell: number;
    newPublic: number;
    noLongerPublic: number;
    becameIncomplete: number;
    addedFunctions: number;
    removedFunctions: number;
    changedFunctions: number;
  };
  /** Every function with a change, worst first: the complete, paginated list. */
  changes: FunctionChange[];
}

const toDiff = (fn: { arn: string; name: string }, f: ViewFinding): DiffFinding => ({
  functionArn: fn.arn,
  functionName: fn.name,
  ruleId: f.ruleId,
  severity: f.severity,
  title: f.title,
  reason: f.reason,
  fingerprint: f.fingerprint,
});
const active = (fn: ViewFunction | undefined) => (fn ? fn.findings.filter((f) => !f.suppressed) : []);
const rank = (s: Severity | null) => (s === null ? SEVERITIES.length : SEVERITIES.indexOf(s));

function compareFunction(arn: string, before: ViewFunction | undefined, after: ViewFunction | undefined, toGaps: ScanView["gaps"]): FunctionChange | null {
  const fn = (after ?? before)!;
  const incompleteAfter = after ? after.incomplete : incompleteInputs(fn, toGaps);
  const oldFindings = active(before);
  const newFindings = active(after);
  const newByFp = new Set(newFindings.map((f) => f.fingerprint));
  const oldByFp = new Set(oldFindings.map((f) => f.fingerprint));
  const gone = oldFindings.filter((f) => !newByFp.has(f.fingerprint));
  const added = newFindings.filter((f) => !oldByFp.has(f.fingerprint));
  // Pair a gone and an added finding of the same rule: one finding that changed.
  const changed: ChangedFinding[] = [];
  const unpairedAdded = [...added];
  const unpairedGone: ViewFinding[] = [];
  for (const g of gone) {
    const i = unpairedAdded.findIndex((a) => a.ruleId === g.ruleId);
    if (i < 0) {
      unpairedGone.push(g);
      continue;
    }
    const a = unpairedAdded.splice(i, 1)[0];
    const what = [
      g.severity !== a.severity ? `severity ${g.severity} → ${a.severity}` : null,
      g.title !== a.title ? `title "${g.title}" → "${a.title}"` : null,
      g.reason !== a.reason ? "reason changed (other actions, resources or statements)" : null,
    ].filter((w): w is string => w !== null);
    changed.push({ before: toDiff(fn, g), after: toDiff(fn, a), what: what.length ? what : ["actions or resources changed"] });
  }
  const incomplete = incompleteAfter.length > 0;
  const change: FunctionChange = {
    arn,
    name: fn.name,
    roleArn: fn.roleArn,
    status: !before ? "added" : !after ? "removed" : "changed",
    riskBefore: before?.riskScore ?? null,
    riskAfter: after?.riskScore ?? null,
    severityBefore: before?.severity ?? null,
    severityAfter: after?.severity ?? null,
    publicBefore: before?.isPublic ?? false,
    publicAfter: after?.isPublic ?? false,
    incompleteAfter,
    becameIncomplete: incomplete && (before?.incomplete.length ?? 0) === 0,
    newFindings: unpairedAdded.map((f) => toDiff(fn, f)),
    resolvedFindings: incomplete ? [] : unpairedGone.map((f) => toDiff(fn, f)),
    unseenFindings: incomplete ? unpairedGone.map((f) => toDiff(fn, f)) : [],
    changedFindings: changed,
  };
  const same =
    change.status === "changed" &&
    change.riskBefore === change.riskAfter &&
    change.severityBefore === change.severityAfter &&
    change.publicBefore === change.publicAfter &&
    !change.becameIncomplete &&
    change.newFindings.length + change.resolvedFindings.length + change.unseenFindings.length + change.changedFindings.length === 0;
  return same ? null : change;
}

/** The diff of two views (pure). */
export function diffScanViews(from: ScanView, to: ScanView): ScanDiff {
  const before = new Map(from.functions.map((f) => [f.arn, f]));
  const after = new Map(to.functions.map((f) => [f.arn, f]));
  const changes: FunctionChange[] = [];
  for (const arn of new Set([...before.keys(), ...after.keys()])) {
    const c = compareFunction(arn, before.get(arn), after.get(arn), to.gaps);
    if (c) changes.push(c);
  }
  const worst = (c: FunctionChange) => Math.min(rank(c.severityAfter), rank(c.severityBefore), ...c.newFindings.map((f) => rank(f.severity)));
  changes.sort((a, b) => worst(a) - worst(b) || Math.abs((b.riskAfter ?? 0) - (b.riskBefore ?? 0)) - Math.abs((a.riskAfter ?? 0) - (a.riskBefore ?? 0)) || a.name.localeCompare(b.name) || a.arn.localeCompare(b.arn));
  const sum = (pick: (c: FunctionChange) => number) => changes.reduce((n, c) => n + pick(c), 0);
  const both = (c: FunctionChange) => c.riskBefore !== null && c.riskAfter !== null;
  return {
    from: from.scanId ?? 0,
    to: to.scanId ?? 0,
    totals: {
      newFindings: sum((c) => c.newFindings.length),
      resolvedFindings: sum((c) => c.resolvedFindings.length),
      unseenFindings: sum((c) => c.unseenFindings.length),
      changedFindings: sum((c) => c.changedFindings.length),
      riskRose: sum((c) => Number(both(c) && c.riskAfter! > c.riskBefore!)),
      riskFell: sum((c) => Number(both(c) && c.riskAfter! < c.riskBefore!)),
      newPublic: sum((c) => Number(c.publicAfter && !c.publicBefore)),
      noLongerPublic: sum((c) => Number(c.publicBefore && !c.publicAfter && c.status !== "removed")),
      becameIncomplete: sum((c) => Number(c.becameIncomplete)),
      addedFunctions: sum((c) => Number(c.status === "added")),
      removedFunctions: sum((c) => Number(c.status === "removed")),
      changedFunctions: changes.length,
    },
    changes,
  };
}

/**
 * The functions that can differ between two scans' views: those whose stored verdicts or findings
 * differ (stored per pair, lib/store/scan-diff-candidates.ts), and those a stored suppression names
 * (their view is derived again, expired ones are marked). Any other function has the same stored
 * verdicts and findings in both, so compareFunction finds no change in it.
 */
export async function diffCandidates(db: Database, from: number, to: number): Promise<string[]> {
  const [stored, matcher] = await Promise.all([readDiffCandidates(db, from, to), loadSuppressionMatcher(db)]);
  const fingerprints = matcher.entries.flatMap((e) => (e.fingerprint ? [e.fingerprint] : []));
  const arns = matcher.entries.flatMap((e) => (!e.fingerprint && e.functionArn ? [e.functionArn] : []));
  const names = matcher.entries.flatMap((e) => (!e.fingerprint && e.functionName ? [e.functionName] : []));
  if (fingerprints.length + arns.length + names.length === 0) return stored;
  const suppressed = await db.query<{ arn: string }>(
    `SELECT function_arn AS arn FROM finding_verdicts WHERE scan_id IN ($1, $2) AND fingerprint = ANY($3::text[])
     UNION
     SELECT arn FROM function_verdicts WHERE scan_id IN ($1, $2) AND (arn = ANY($4::text[]) OR name = ANY($5::text[]))`,
    [from, to, fingerprints, arns, names],
  );
  return [...new Set([...stored, ...suppressed.map((r) => r.arn)])];
}

/** The diff of two stored scans: the views of the candidate functions only (diffCandidates). */
export async function diffStoredScans(db: Database, from: number, to: number): Promise<ScanDiff> {
  const only = await diffCandidates(db, from, to);
  const [a, b] = await Promise.all([loadScanView(db, from, { only }), loadScanView(db, to, { only })]);
  return diffScanViews(a, b);
}

/** Text for `saltzer diff`: totals, then one block per changed function. */
export function formatDiff(diff: ScanDiff): string {
  const t = diff.totals;
  const lines = [
    `Scan ${diff.from} → ${diff.to}: ${t.changedFunctions} functions changed (${t.addedFunctions} added, ${t.removedFunctions} removed)`,
    `  findings: ${t.newFindings} new, ${t.changedFindings} changed, ${t.resolvedFindings} resolved, ${t.unseenFindings} no longer seen (incomplete data)`,
    `  risk: ${t.riskRose} rose, ${t.riskFell} fell; public: ${t.newPublic} new, ${t.noLongerPublic} no longer; ${t.becameIncomplete} became incomplete`,
  ];
  for (const c of diff.changes) {
    const risk = c.riskBefore === c.riskAfter ? "" : ` risk ${c.riskBefore ?? "—"} → ${c.riskAfter ?? "—"}`;
    lines.push("", `${c.status.toUpperCase()} ${c.arn}${risk}${c.severityBefore !== c.severityAfter ? ` severity ${c.severityBefore ?? "—"} → ${c.severityAfter ?? "—"}` : ""}`);
    if (c.publicBefore !== c.publicAfter) lines.push(`  ${c.publicAfter ? "became public" : "no longer public"}`);
    if (c.becameIncomplete) lines.push(`  became incomplete: could not read ${c.incompleteAfter.map((i) => `${i.api} (${i.reason})`).join(", ")}`);
    for (const f of c.newFindings) lines.push(`  + ${f.severity.padEnd(8)} ${f.ruleId}: ${f.title}`);
    for (const f of c.changedFindings) lines.push(`  ~ ${f.after.severity.padEnd(8)} ${f.after.ruleId}: ${f.what.join("; ")}`);
    for (const f of c.resolvedFindings) lines.push(`  - ${f.severity.padEnd(8)} ${f.ruleId}: resolved`);
    for (const f of c.unseenFindings) lines.push(`  ? ${f.severity.padEnd(8)} ${f.ruleId}: no longer seen (incomplete data), not known to be resolved`);
  }
  return `${lines.join("\n")}\n`;
}
