/**
 * Stored suppressions as the database-side view applies them. Stored verdicts (a function's
 * score, severity, public) are what the analysis decided with no suppression; a suppression changes
 * them only for the functions holding a suppressed finding. Those few functions are derived here
 * with the one derivation (`viewFunction`), every other function's view is its stored verdict,
 * so a page never needs to read every function to show one page.
 *
 * Stored suppressions match by fingerprint (lib/queries/suppressions.ts), so "is this finding
 * suppressed" is "is its fingerprint among the active ones" in SQL too.
 */
import type { Severity } from "@/lib/analysis/types";
import type { Database } from "@/lib/store/db";
import { incompleteCodec } from "@/lib/store/codecs/incomplete";
import { canonicalActionsInText } from "./action-names";
import { decodeRisk, viewFunction, type ViewFunction } from "./scan-view";
import { loadSuppressionMatcher, type SuppressionMatcher } from "./suppressions";
import { FINDING_OF_SCAN_SQL, FUNCTION_OF_SCAN_SQL } from "@/lib/store/shared-rows";

export interface SuppressionOverlay {
  /** Fingerprints of the stored suppressions that apply now. */
  active: string[];
  /** The functions with an actively suppressed finding: their view (suppressions applied) … */
  affected: ViewFunction[];
  /** … and what was stored for them (before suppressions), to correct stored aggregates. */
  stored: Map<string, { severity: Severity | null; isPublic: boolean; findings: { category: string; severity: Severity }[] }>;
  matcher: SuppressionMatcher;
}

export async function loadSuppressionOverlay(db: Database, scanId: number, now = new Date()): Promise<SuppressionOverlay> {
  const matcher = await loadSuppressionMatcher(db, [], now);
  const active = [
    ...new Set(matcher.entries.filter((e) => e.fingerprint && (e.expiresAt === null || new Date(e.expiresAt).getTime() > now.getTime())).map((e) => e.fingerprint!)),
  ];
  if (active.length === 0) return { active, affected: [], stored: new Map(), matcher };
  const functions = await db.query<{
    arn: string;
    name: string;
    account_id: string;
    account_name: string | null;
    region: string;
    runtime: string | null;
    role_arn: string;
    policy_count: number;
    has_secrets: boolean;
    has_shared_role: boolean;
    risk_score: number | null;
    incomplete: unknown;
    severity: string | null;
    is_public: boolean;
    risk: unknown;
  }>(
    `SELECT f.arn, f.name, f.account_id, a.name AS account_name, f.region, f.runtime, f.role_arn, f.policy_count, f.has_secrets, f.has_shared_role,
            f.risk_score, f.incomplete, f.severity, f.is_public, f.risk
       FROM functions f LEFT JOIN accounts a ON a.scan_id = $1 AND a.account_id = f.account_id
      WHERE ${FUNCTION_OF_SCAN_SQL("f", "$1", "v.arn IN (SELECT function_arn FROM finding_verdicts WHERE scan_id = $1 AND fingerprint = ANY($2::text[]))")}
      ORDER BY f.account_id, f.region, f.name`,
    [scanId, active],
  );
  const findings = functions.length
    ? await db.query<{ id: number; function_arn: string; rule_id: string; category: string; severity: string; title: string; reason: string; fingerprint: string }>(
        `SELECT id, function_arn, rule_id, category, severity, title, reason, fingerprint FROM findings f WHERE ${FINDING_OF_SCAN_SQL("f", "$1", "v.function_arn = ANY($2::text[])")} ORDER BY id`,
        [scanId, functions.map((f) => f.arn)],
      )
    : [];
  const byFunction = new Map<string, typeof findings>();
  for (const f of findings) {
    const list = byFunction.get(f.function_arn) ?? [];
    list.push(f);
    byFunction.set(f.function_arn, list);
  }
  const stored: SuppressionOverlay["stored"] = new Map();
  const affected = functions.map((fn) => {
    const rows = byFunction.get(fn.arn) ?? [];
    stored.set(fn.arn, { severity: fn.severity as Severity | null, isPublic: fn.is_public, findings: rows.map((r) => ({ category: r.category, severity: r.severity as Severity })) });
    return viewFunction(
      {
        arn: fn.arn,
        name: fn.name,
        accountId: fn.account_id,
        accountName: fn.account_name,
        region: fn.region,
        runtime: fn.runtime,
        roleArn: fn.role_arn,
        policyCount: Number(fn.policy_count),
        hasSecrets: fn.has_secrets,
        sharedRole: fn.has_shared_role,
        riskScore: fn.risk_score === null ? null : Number(fn.risk_score),
        incomplete: incompleteCodec.decode(fn.incomplete, { scanId, key: fn.arn }),
      },
      rows.map((r) => ({ id: r.id, ruleId: r.rule_id, category: r.category, severity: r.severity as Severity, title: canonicalActionsInText(r.title), reason: canonicalActionsInText(r.reason), fingerprint: r.fingerprint })),
      matcher,
      // Suppressed findings leave the score too (riskWithout, as in every view).
      decodeRisk(fn.risk, { scanId, key: fn.arn }),
    );
  });
  return { active, affected, stored, matcher };
}
