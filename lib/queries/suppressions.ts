/**
 * Suppressions as every surface reads them: the stored ones (dashboard, `saltzer suppress`) and
 * those of a suppressions file (`--suppressions FILE`), matched to findings in one place.
 * An expired suppression stops applying and is reported as expired.
 */
import type { Database } from "@/lib/store/db";

/** One suppression, whatever its source. */
export interface SuppressionEntry {
  /** Matches one finding (stable across scans). */
  fingerprint: string | null;
  /** Or: every finding of `ruleId` on this function (ARN or name). */
  functionArn: string | null;
  functionName: string | null;
  ruleId: string | null;
  reason: string;
  /** ISO time after which it no longer applies; null = never expires. */
  expiresAt: string | null;
  /** Who or what created it ("dashboard", "cli:alice", "file:suppressions.yaml"). */
  createdBy: string;
  createdAt: string | null;
  source: "store" | "file";
}

export interface SuppressionState {
  /** The suppression that applies, or null. */
  active: SuppressionEntry | null;
  /** An expired suppression that would have matched (shown as "expired"), when none applies. */
  expired: SuppressionEntry | null;
}

export interface SuppressionMatcher {
  entries: SuppressionEntry[];
  match(finding: { fingerprint: string; ruleId: string }, fn: { arn: string; name: string }): SuppressionState;
}

export function suppressionMatcher(entries: SuppressionEntry[], now = new Date()): SuppressionMatcher {
  const byFingerprint = new Map<string, SuppressionEntry[]>();
  const byFunctionRule = new Map<string, SuppressionEntry[]>();
  const add = (map: Map<string, SuppressionEntry[]>, key: string, e: SuppressionEntry) => map.set(key, [...(map.get(key) ?? []), e]);
  for (const e of entries) {
    if (e.fingerprint) add(byFingerprint, e.fingerprint, e);
    else if (e.ruleId) {
      if (e.functionArn) add(byFunctionRule, `${e.functionArn}|${e.ruleId}`, e);
      if (e.functionName) add(byFunctionRule, `${e.functionName}|${e.ruleId}`, e);
    }
  }
  const isActive = (e: SuppressionEntry) => e.expiresAt === null || new Date(e.expiresAt).getTime() > now.getTime();
  return {
    entries,
    match(finding, fn) {
      const candidates = [
        ...(byFingerprint.get(finding.fingerprint) ?? []),
        ...(byFunctionRule.get(`${fn.arn}|${finding.ruleId}`) ?? []),
        ...(byFunctionRule.get(`${fn.name}|${finding.ruleId}`) ?? []),
      ];
      if (candidates.length === 0) return { active: null, expired: null };
      return { active: candidates.find(isActive) ?? null, expired: candidates.find((e) => !isActive(e)) ?? null };
    },
  };
}

/** Every stored suppression, expired ones included. */
export async function storedSuppressions(db: Database): Promise<SuppressionEntry[]> {
  const rows = await db.prisma.suppression.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return rows.map((r) => ({
    fingerprint: r.fingerprint,
    functionArn: r.functionArn,
    functionName: null,
    ruleId: r.ruleId,
    reason: r.reason,
    expiresAt: r.expiresAt?.toISOString() ?? null,
    createdBy: r.createdBy,
    createdAt: r.createdAt.toISOString(),
    source: "store" as const,
  }));
}

/** The matcher every reader uses: stored suppressions plus those of a suppressions file. */
export async function loadSuppressionMatcher(db: Database, extra: SuppressionEntry[] = [], now = new Date()): Promise<SuppressionMatcher> {
  return suppressionMatcher([...(await storedSuppressions(db)), ...extra], now);
}
