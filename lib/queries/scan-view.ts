/**
 * A scan's functions with their verdicts as every surface shows them: the stored verdicts with the
 * suppressions that apply now. The risk view, the overview, the exports, `saltzer report` and
 * `saltzer check` all start here, so they cannot disagree. No `server-only`: the CLI reads it too.
 */
import type { Severity } from "@/lib/analysis/types";
import type { SnapshotAnalysis } from "@/lib/audit/analyze-snapshot";
import { findingFingerprint } from "@/lib/analysis/fingerprint";
import { functionSeverity, PUBLIC_INVOKE_RULE, riskWithout, worse, type IncompleteInput } from "@/lib/analysis/verdicts";
import type { RiskScore } from "@/lib/analysis/types";
import type { CoverageGap, Snapshot } from "@/lib/snapshot/types";
import type { Database } from "@/lib/store/db";
import { gapsCodec } from "@/lib/store/codecs/gaps";
import { incompleteCodec } from "@/lib/store/codecs/incomplete";
import type { RowRef } from "@/lib/store/codecs/json-column";
import { riskCodec } from "@/lib/store/codecs/risk";
import { findingActionsCodec, findingResourcesCodec } from "@/lib/store/codecs/string-list";
import { loadSuppressionMatcher, type SuppressionEntry, type SuppressionMatcher } from "./suppressions";
import { canonicalActionsInText } from "./action-names";
import { findingSearchText, type FilterableFunction } from "./view-filter";
import { FINDING_OF_SCAN_SQL, FUNCTION_OF_SCAN_SQL } from "@/lib/store/shared-rows";

export interface ViewSuppression {
  reason: string;
  expiresAt: string | null;
  createdBy: string;
  createdAt: string | null;
  source: "store" | "file";
}

export interface ViewFinding {
  /** Row id in the store; null for an in-memory analysis. */
  id: number | null;
  ruleId: string;
  category: string;
  severity: Severity;
  title: string;
  reason: string;
  fingerprint: string;
  suppressed: boolean;
  suppression: ViewSuppression | null;
  /** An expired suppression of this finding, shown as such (it no longer applies). */
  expiredSuppression: ViewSuppression | null;
  /** Actions and resources for text search; present when the view was loaded with `search`. */
  searchText?: string;
}

/** The finding that answers "why is this function risky?" in a list: its worst unsuppressed one. */
export interface WorstFinding {
  ruleId: string;
  title: string;
  severity: Severity;
}

export interface ViewFunction extends FilterableFunction<ViewFinding> {
  accountName: string | null;
  policyCount: number;
  hasSecrets: boolean;
  riskScore: number | null;
  /** With suppressions applied (lib/analysis/verdicts.ts SEVERITY_RULE); null when not analysed. */
  severity: Severity | null;
  /** Has an unsuppressed public-invoke finding. */
  isPublic: boolean;
  incomplete: IncompleteInput[];
  /** Every finding, suppressed ones marked (a filter narrows this). */
  findings: ViewFinding[];
  /** The worst unsuppressed finding (first of the worst severity, in rule order); null when none applies. */
  worstFinding: WorstFinding | null;
  /**
   * The risk score and its explanation with suppressed findings' shares left out (riskWithout);
   * null when the view was built without the stored score (lists read `riskScore`, already adjusted).
   */
  risk: RiskScore | null;
}

export interface ScanView {
  scanId: number | null;
  functions: ViewFunction[];
  accounts: { id: string; name: string | null }[];
  /** What the scan could not read. */
  gaps: CoverageGap[];
}

/** A function's stored risk (`functions.risk`), validated; null when it was not analysed. */
export function decodeRisk(value: unknown, row: RowRef = { scanId: null }): RiskScore | null {
  return riskCodec.decode(value ?? null, row) ?? null;
}

/**
 * The risk a page or report shows for a function: its stored score with the suppressed findings'
 * shares left out (the view's, when it was built with the score), without the internal parts.
 */
export function shownRisk(view: ViewFunction, stored: unknown, row: RowRef = { scanId: null }): RiskScore | null {
  let risk = view.risk;
  if (!risk) {
    const decoded = decodeRisk(stored, row);
    if (!decoded) return null;
    risk = riskWithout(decoded, new Set(view.findings.filter((f) => f.suppressed).map((f) => f.fingerprint)));
  }
  const { parts: _parts, ...shown } = risk;
  return shown;
}

/** A function's `incomplete` column, validated. */
export function decodeIncomplete(value: unknown, row: RowRef = { scanId: null }): IncompleteInput[] {
  return incompleteCodec.decode(value ?? [], row);
}

interface FunctionBase {
  arn: string;
  name: string;
  accountId: string;
  accountName: string | null;
  region: string;
  runtime: string | null;
  roleArn: string;
  policyCount: number;
  hasSecrets: boolean;
  sharedRole: boolean;
  riskScore: number | null;
  incomplete: IncompleteInput[];
}

type FindingBase = Omit<ViewFinding, "suppressed" | "suppression" | "expiredSuppression">;

const toView = (e: SuppressionEntry | null): ViewSuppression | null =>
  e ? { reason: e.reason, expiresAt: e.expiresAt, createdBy: e.createdBy, createdAt: e.createdAt, source: e.source } : null;

/** A stored function row as Prisma reads it (the function page, the role page). */
interface StoredFunctionRow {
  arn: string;
  name: string;
  accountId: string;
  region: string;
  runtime: string | null;
  roleArn: string;
  policyCount: number;
  hasSecrets: boolean;
  hasSharedRole: boolean;
  riskScore: number | null;
  incomplete: unknown;
  risk: unknown;
}

/** A stored finding row as Prisma reads it. */
interface StoredFindingRow {
  id: number;
  ruleId: string;
  category: string;
  severity: string;
  title: string;
  reason: string;
  fingerprint: string;
}

/** `viewFunction` over Prisma rows, the stored score included (suppressed findings' shares left out). */
export function viewStoredFunction(scanId: number, fn: StoredFunctionRow, accountName: string | null, findings: StoredFindingRow[], suppressions: SuppressionMatcher): ViewFunction {
  const ref = { scanId, key: fn.arn };
  return viewFunction(
    {
      arn: fn.arn,
      name: fn.name,
      accountId: fn.accountId,
      accountName,
      region: fn.region,
      runtime: fn.runtime,
      roleArn: fn.roleArn,
      policyCount: fn.policyCount,
      hasSecrets: fn.hasSecrets,
      sharedRole: fn.hasSharedRole,
      riskScore: fn.riskScore,
      incomplete: decodeIncomplete(fn.incomplete, ref),
    },
    findings.map((f) => ({ id: f.id, ruleId: f.ruleId, category: f.category, severity: f.severity as Severity, title: f.title, reason: f.reason, fingerprint: f.fingerprint })),
    suppressions,
    decodeRisk(fn.risk, ref),
  );
}

/** The one place a function's shown verdicts are derived from its stored ones and the suppressions. */
export function viewFunction(base: FunctionBase, findings: FindingBase[], suppressions: SuppressionMatcher, storedRisk: RiskScore | null = null): ViewFunction {
  const viewFindings = findings.map((f): ViewFinding => {
    const state = suppressions.match(f, base);
    return { ...f, suppressed: state.active !== null, suppression: toView(state.active), expiredSuppression: state.active ? null : toView(state.expired) };
  });
  const active = viewFindings.filter((f) => !f.suppressed);
  // Suppressed findings leave the score and its explanation too, not just the list (riskWithout: the one rule).
  const risk = storedRisk ? riskWithout(storedRisk, new Set(viewFindings.filter((f) => f.suppressed).map((f) => f.fingerprint))) : null;
  const riskScore = risk ? risk.score : base.riskScore;
  return {
    ...base,
    riskScore,
    risk,
    worstFinding: worstOf(active),
    severity: riskScore === null ? null : functionSeverity(riskScore, active.map((f) => f.severity)),
    isPublic: active.some((f) => f.ruleId === PUBLIC_INVOKE_RULE),
    findings: viewFindings,
  };
}

function worstOf(findings: ViewFinding[]): WorstFinding | null {
  let worst: ViewFinding | null = null;
  for (const f of findings) if (worst === null || (f.severity !== worst.severity && worse(f.severity, worst.severity) === f.severity)) worst = f;
  return worst ? { ruleId: worst.ruleId, title: worst.title, severity: worst.severity } : null;
}

/** A stored scan's view. */
export async function loadScanView(
  db: Database,
  scanId: number,
  options: {
    extraSuppressions?: SuppressionEntry[];
    now?: Date;
    /** Leave findings' reason empty (lists and counts do not show it). */
    light?: boolean;
    /** Load findings' actions and resources, which a filter's text (`q`) searches. */
    search?: boolean;
    /** Only these functions (the diff's candidates): the view of each is the same as in the whole scan's view. */
    only?: string[];
  } = {},
): Promise<ScanView> {
  const [scan, accounts, functions, findings, suppressions] = await Promise.all([
    db.prisma.scan.findUniqueOrThrow({ where: { id: scanId }, select: { gaps: true } }),
    db.prisma.account.findMany({ where: { scanId }, select: { accountId: true, name: true }, orderBy: { accountId: "asc" } }),
    // Raw SQL: at 10,000 functions the view reads ~50,000 finding rows, and Prisma's row mapping dominated.
    db.query<{ arn: string; name: string; account_id: string; region: string; runtime: string | null; role_arn: string; policy_count: number; has_secrets: boolean; has_shared_role: boolean; risk_score: number | null; incomplete: unknown }>(
      `SELECT arn, name, account_id, region, runtime, role_arn, policy_count, has_secrets, has_shared_role, risk_score, incomplete
         FROM function_verdicts WHERE scan_id = $1 ${options.only ? "AND arn = ANY($2::text[])" : ""} ORDER BY account_id, region, name`,
      options.only ? [scanId, options.only] : [scanId],
    ),
    db.query<{ id: number; function_arn: string; rule_id: string; category: string; severity: string; title: string | null; reason: string | null; fingerprint: string; actions?: unknown; resources?: unknown }>(
      `SELECT id, function_arn, rule_id, category, severity, title, ${options.light ? "NULL AS reason" : "reason"}, fingerprint
              ${options.search ? ", details->'actions' AS actions, details->'resources' AS resources" : ""}
         FROM findings f WHERE ${FINDING_OF_SCAN_SQL("f", "$1", options.only ? "v.function_arn = ANY($2::text[])" : undefined)} ORDER BY id`,
      options.only ? [scanId, options.only] : [scanId],
    ),
    loadSuppressionMatcher(db, options.extraSuppressions, options.now),
  ]);
  const accountNames = new Map(accounts.map((a) => [a.accountId, a.name]));
  const findingsByFunction = new Map<string, FindingBase[]>();
  for (const f of findings) {
    const list = findingsByFunction.get(f.function_arn) ?? [];
    const base: FindingBase = {
      id: f.id,
      ruleId: f.rule_id,
      category: f.category,
      severity: f.severity as Severity,
      title: canonicalActionsInText(f.title ?? ""),
      reason: canonicalActionsInText(f.reason ?? ""),
      fingerprint: f.fingerprint,
    };
    if (options.search) base.searchText = findingSearchText(findingActionsCodec.decode(f.actions ?? null, { scanId, key: f.id }) ?? [], findingResourcesCodec.decode(f.resources ?? null, { scanId, key: f.id }) ?? []);
    list.push(base);
    findingsByFunction.set(f.function_arn, list);
  }
  const bases = functions.map(
    (fn): FunctionBase => ({
          arn: fn.arn,
          name: fn.name,
          accountId: fn.account_id,
          accountName: accountNames.get(fn.account_id) ?? null,
          region: fn.region,
          runtime: fn.runtime,
          roleArn: fn.role_arn,
          policyCount: Number(fn.policy_count),
          hasSecrets: fn.has_secrets,
          sharedRole: fn.has_shared_role,
          riskScore: fn.risk_score === null ? null : Number(fn.risk_score),
      incomplete: decodeIncomplete(fn.incomplete, { scanId, key: fn.arn }),
    }),
  );
  let viewed = bases.map((base) => viewFunction(base, findingsByFunction.get(base.arn) ?? [], suppressions));
  // A function with a suppressed finding is scored again without it: its stored score is read only for those few.
  const rescore = viewed.filter((f) => f.findings.some((x) => x.suppressed)).map((f) => f.arn);
  if (rescore.length > 0) {
    const rows = await db.query<{ arn: string; risk: unknown }>(`SELECT arn, risk FROM functions f WHERE ${FUNCTION_OF_SCAN_SQL("f", "$1", "v.arn = ANY($2::text[])")}`, [scanId, rescore]);
    const riskByArn = new Map(rows.map((r) => [r.arn, decodeRisk(r.risk, { scanId, key: r.arn })]));
    viewed = bases.map((base, i) => (riskByArn.has(base.arn) ? viewFunction(base, findingsByFunction.get(base.arn) ?? [], suppressions, riskByArn.get(base.arn)) : viewed[i]));
  }
  return {
    scanId,
    gaps: gapsCodec.decode(scan.gaps ?? [], { scanId }),
    accounts: accounts.map((a) => ({ id: a.accountId, name: a.name })),
    functions: viewed,
  };
}

/** The view of an analysis kept in memory (`saltzer check --snapshot`): the same derivation. */
export function analysisView(snapshot: Snapshot, analysis: SnapshotAnalysis, suppressions: SuppressionMatcher): ScanView {
  const functions: ViewFunction[] = [];
  for (const account of snapshot.accounts) {
    const perRole = new Map<string, number>();
    for (const fn of account.functions) perRole.set(fn.roleArn, (perRole.get(fn.roleArn) ?? 0) + 1);
    const roles = new Map(account.roles.map((r) => [r.arn, r]));
    for (const fn of account.functions) {
      const result = analysis.functions.get(fn.arn);
      const role = roles.get(fn.roleArn);
      functions.push(
        viewFunction(
          {
            arn: fn.arn,
            name: fn.name,
            accountId: fn.accountId,
            accountName: account.name,
            region: fn.region,
            runtime: fn.runtime,
            roleArn: fn.roleArn,
            policyCount: role ? role.inlinePolicies.length + role.attachedPolicyArns.length : 0,
            hasSecrets: fn.environment.some((v) => v.looksSecret),
            sharedRole: (perRole.get(fn.roleArn) ?? 0) > 1,
            riskScore: result?.risk.score ?? null,
            incomplete: result?.incomplete ?? [],
          },
          (result?.findings ?? []).map((f) => ({
            id: null,
            ruleId: f.ruleId,
            category: f.category,
            severity: f.severity,
            title: canonicalActionsInText(f.title),
            reason: canonicalActionsInText(f.reason),
            fingerprint: findingFingerprint(f),
            searchText: findingSearchText(f.actions, f.resources),
          })),
          suppressions,
          result?.risk ?? null,
        ),
      );
    }
  }
  return { scanId: null, functions, accounts: snapshot.accounts.map((a) => ({ id: a.accountId, name: a.name })), gaps: snapshot.gaps };
}
