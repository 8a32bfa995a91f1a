/**
 * Which of many candidate ARNs a permission set allows one action on, without one `decide`
 * call per (permission set, candidate): exact resources are looked up, wildcard patterns scan
 * only the candidates sharing their literal prefix, and an unlimited `Resource: "*"` grant
 * matches every candidate at once. Semantics follow `decide` in permission-queries.ts.
 */
import { arnPatternMatches, patternsOverlap } from "./arn-match";
import { grantsFor } from "./permission-queries";
import type { EffectivePermissions, Grant, GrantLimit } from "../types";
import { applyLimits } from "./permission-queries";

/** Candidate target ARNs, sorted for prefix scans. */
export interface CandidateSet {
  /** Stable name, part of the cache key. */
  name: string;
  sorted: string[];
  set: Set<string>;
  /**
   * `exact`: the candidate is a concrete ARN (as `decide` reads it).
   * `overlap`: the candidate is a pattern (e.g. every object of a bucket, `arn:aws:s3:::b/*`) and a
   * grant covers it when some ARN matches both.
   */
  mode: "exact" | "overlap";
}

export function candidateSet(name: string, arns: Iterable<string>, mode: CandidateSet["mode"] = "exact"): CandidateSet {
  const set = new Set(arns);
  return { name, sorted: [...set].sort(), set, mode };
}

/** Why one candidate is allowed: the grant, the grant's resource pattern that covered it, and whether conditions remain. */
export interface MatchInfo {
  grant: Grant;
  pattern: string;
  conditional: boolean;
}

/**
 * `all`: every candidate is allowed by this grant (an unlimited `*` grant).
 * `some`: candidates allowed individually; when `all` is conditional, an unconditional entry here wins.
 */
export interface TargetMatches {
  action: string;
  all: MatchInfo | null;
  some: Map<string, MatchInfo>;
}

const EMPTY_SOME = new Map<string, MatchInfo>();

function literalPrefix(pattern: string): string {
  const i = pattern.search(/[*?]/);
  return i < 0 ? pattern : pattern.slice(0, i);
}

function lowerBound(sorted: string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function covers(pattern: string, candidate: string, mode: CandidateSet["mode"]): boolean {
  return mode === "exact" ? arnPatternMatches(pattern, candidate) : patternsOverlap(pattern, candidate);
}

/** Candidates one resource pattern of a grant covers. */
function candidatesFor(pattern: string, cands: CandidateSet): Iterable<string> {
  if (pattern === "*") return cands.sorted;
  if (cands.mode === "overlap") return cands.sorted.filter((c) => patternsOverlap(pattern, c));
  if (!/[*?]/.test(pattern)) return cands.set.has(pattern) ? [pattern] : [];
  const prefix = literalPrefix(pattern);
  const out: string[] = [];
  for (let i = lowerBound(cands.sorted, prefix); i < cands.sorted.length && cands.sorted[i].startsWith(prefix); i++) {
    if (arnPatternMatches(pattern, cands.sorted[i])) out.push(cands.sorted[i]);
  }
  return out;
}

function limitTouches(limit: GrantLimit, action: string): boolean {
  return limit.actions === null || limit.actions.includes(action);
}

function better(a: MatchInfo | undefined, b: MatchInfo): boolean {
  return !a || (a.conditional && !b.conditional);
}

/** Every candidate the permissions allow `action` on (lower-cased), with the grant that allows it. */
export function matchTargets(perms: EffectivePermissions, action: string, cands: CandidateSet): TargetMatches {
  const grants = grantsFor(perms, action);
  let all: MatchInfo | null = null;
  let some: Map<string, MatchInfo> | null = null;
  for (const grant of grants) {
    // Region-only limits neither block nor make conditional: they are no reason to match per candidate.
    const limits = grant.limits.filter((l) => limitTouches(l, action) && !l.avoidable);
    const baseConditional = grant.conditions !== null;
    if (limits.length === 0 && !grant.notResources && grant.resources.includes("*")) {
      const info = { grant, pattern: "*", conditional: baseConditional };
      if (better(all ?? undefined, info)) all = info;
      continue;
    }
    if (all && !all.conditional) continue;
    some ??= new Map();
    const record = (candidate: string, pattern: string) => {
      let conditional = baseConditional;
      if (limits.length) {
        const outcome = applyLimits(grant, action, candidate);
        if (outcome.blocked) return;
        conditional = outcome.conditional;
      }
      const info = { grant, pattern, conditional };
      if (better(some!.get(candidate), info)) some!.set(candidate, info);
    };
    if (grant.notResources) {
      const excluded = grant.notResources;
      const pattern = `* except ${excluded.join(", ")}`;
      for (const c of cands.sorted) if (!excluded.some((p) => covers(p, c, cands.mode))) record(c, pattern);
    } else {
      for (const pattern of grant.resources) for (const c of candidatesFor(pattern, cands)) record(c, pattern);
    }
  }
  if (all && !all.conditional) some = null;
  return { action, all, some: some ?? EMPTY_SOME };
}

/** The match for one candidate, or null when the action is not allowed on it. */
export function matchFor(matches: TargetMatches, candidate: string): MatchInfo | null {
  const one = matches.some.get(candidate);
  if (one && (!one.conditional || !matches.all)) return one;
  return matches.all ?? one ?? null;
}

/** Visit every allowed candidate. */
export function forEachMatch(matches: TargetMatches, cands: CandidateSet, visit: (candidate: string, info: MatchInfo) => void): void {
  if (matches.all) {
    for (const c of cands.sorted) visit(c, matchFor(matches, c)!);
    return;
  }
  for (const [c, info] of matches.some) visit(c, info);
}

export function matchCount(matches: TargetMatches, cands: CandidateSet): number {
  return matches.all ? cands.sorted.length : matches.some.size;
}

export function isEmptyMatch(matches: TargetMatches): boolean {
  return !matches.all && matches.some.size === 0;
}
