/**
 * Questions escalation and rules ask about a target: is it admin, is it more privileged than the
 * attacker, does its trust policy let a service or a principal in.
 */
import { allowedActions } from "./permission-queries";
import { arnPatternMatches } from "./arn-match";
import type { EffectivePermissions, Grant } from "./types";
import type { PolicyStatement, Role } from "@/lib/snapshot/types";
import { totalActionCount } from "@/lib/rules/access-levels";

/** Share of all known actions an unrestricted grant set must cover to count as administrator. */
export const ADMIN_COVERAGE = 0.9;

/** A grant that applies to every resource, unconditionally, with no boundary/SCP confinement. */
export function isUnrestrictedGrant(grant: Grant): boolean {
  if (grant.conditions) return false;
  const everyResource = grant.notResources ? grant.notResources.length === 0 : grant.resources.includes("*");
  if (!everyResource) return false;
  return !grant.limits.some((l) => l.kind !== "deny-resources" && l.kind !== "deny-conditional" && !l.avoidable);
}

/** Actions allowed on every resource without conditions. */
export function unrestrictedActions(perms: EffectivePermissions): ReadonlySet<string> {
  let all = unrestrictedSets.get(perms.grants);
  if (!all) {
    all = new Set<string>();
    for (const g of perms.grants) if (isUnrestrictedGrant(g)) for (const a of g.actions) all.add(a);
    unrestrictedSets.set(perms.grants, all);
  }
  return all;
}

// Keyed by the grants array, which effectivePermissions shares between equal permission sets.
const unrestrictedSets = new WeakMap<readonly Grant[], Set<string>>();
const adminFlags = new WeakMap<readonly Grant[], boolean>();
const comparisons = new WeakMap<readonly Grant[], WeakMap<readonly Grant[], { extraCount: number; extraSample: string[] }>>();

/** Administrator-equivalent: `*` on `*`, or a NotAction allow that leaves nearly every action. */
export function isAdminEquivalent(perms: EffectivePermissions): boolean {
  let admin = adminFlags.get(perms.grants);
  if (admin === undefined) {
    const total = totalActionCount();
    admin = total > 0 && unrestrictedActions(perms).size >= ADMIN_COVERAGE * total;
    adminFlags.set(perms.grants, admin);
  }
  return admin;
}

export interface PrivilegeComparison {
  /** The target holds something the attacker lacks. */
  worth: boolean;
  admin: boolean;
  /** How many actions the target holds that the attacker lacks. */
  extraCount: number;
  /** The first five of them (sorted, lower-cased). */
  extraSample: string[];
  reason: string;
}

const SAMPLE_SIZE = 5;

/** What the target holds beyond the attacker, counted once per pair of permission sets. */
function extraActions(attacker: EffectivePermissions, target: EffectivePermissions): { extraCount: number; extraSample: string[] } {
  let byTarget = comparisons.get(attacker.grants);
  if (!byTarget) comparisons.set(attacker.grants, (byTarget = new WeakMap()));
  let found = byTarget.get(target.grants);
  if (!found) {
    const mine = allowedActions(attacker);
    let extraCount = 0;
    let sample: string[] = [];
    for (const a of allowedActions(target)) {
      if (mine.has(a)) continue;
      extraCount += 1;
      if (sample.length < SAMPLE_SIZE || a < sample[SAMPLE_SIZE - 1]) {
        sample.push(a);
        sample.sort();
        if (sample.length > SAMPLE_SIZE) sample = sample.slice(0, SAMPLE_SIZE);
      }
    }
    byTarget.set(target.grants, (found = { extraCount, extraSample: sample }));
  }
  return found;
}

/** Is `target` worth escalating into from `attacker`? */
export function comparePrivileges(attacker: EffectivePermissions, target: EffectivePermissions, targetName: string): PrivilegeComparison {
  const admin = isAdminEquivalent(target);
  const { extraCount, extraSample } = extraActions(attacker, target);
  if (admin && !isAdminEquivalent(attacker)) {
    return { worth: true, admin, extraCount, extraSample, reason: `${targetName} is administrator-equivalent` };
  }
  if (extraCount === 0) {
    return { worth: false, admin, extraCount, extraSample, reason: `${targetName} holds nothing the function lacks` };
  }
  return {
    worth: true,
    admin,
    extraCount,
    extraSample,
    reason: `${targetName} holds ${extraCount} action(s) the function lacks (${extraSample.join(", ")}${extraCount > SAMPLE_SIZE ? ", …" : ""})`,
  };
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function allowsAssume(statement: PolicyStatement): boolean {
  if (statement.Effect !== "Allow") return false;
  if (statement.NotAction) return !asList(statement.NotAction).some((a) => arnPatternMatches(a.toLowerCase(), "sts:assumerole"));
  return asList(statement.Action).some((a) => arnPatternMatches(a.toLowerCase(), "sts:assumerole"));
}

export interface TrustMatch {
  statementIndex: number;
  sid: string | null;
  conditional: boolean;
}

/** Does the role's trust policy let this service assume it? */
export function trustsService(role: Role, service: string, accountId: string): TrustMatch | null {
  const statements = role.assumeRolePolicy.Statement;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (!allowsAssume(s) || !s.Principal) continue;
    const services = s.Principal === "*" ? ["*"] : asList(s.Principal.Service);
    if (!services.some((p) => p === "*" || p.toLowerCase() === service)) continue;
    return { statementIndex: i, sid: s.Sid ?? null, conditional: !conditionsSettledForAccount(s, accountId) };
  }
  return null;
}

/**
 * Does the trust policy let this principal in? `viaAccount` is true when the policy names the
 * account root (then the principal's own policy must also allow sts:AssumeRole).
 */
export function trustsPrincipal(role: Role, principalArn: string, accountId: string): (TrustMatch & { viaAccount: boolean }) | null {
  const statements = role.assumeRolePolicy.Statement;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (!allowsAssume(s) || !s.Principal) continue;
    const aws = s.Principal === "*" ? ["*"] : asList(s.Principal.AWS);
    for (const p of aws) {
      const root = p === accountId || p === `arn:aws:iam::${accountId}:root`;
      const direct = p === principalArn;
      if (p === "*" || root || direct) {
        return { statementIndex: i, sid: s.Sid ?? null, conditional: !!s.Condition, viaAccount: !direct };
      }
    }
  }
  return null;
}

/** Conditions in a service trust statement that only pin the account are met by a same-account attacker. */
function conditionsSettledForAccount(statement: PolicyStatement, accountId: string): boolean {
  if (!statement.Condition) return true;
  for (const [, keys] of Object.entries(statement.Condition)) {
    for (const [key, value] of Object.entries(keys)) {
      if (key.toLowerCase() !== "aws:sourceaccount") return false;
      if (!asList(value as string | string[]).map(String).includes(accountId)) return false;
    }
  }
  return true;
}
