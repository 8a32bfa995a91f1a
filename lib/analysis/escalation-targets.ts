/**
 * Questions escalation and rules ask about a target: is it admin, is it more privileged than the
 * attacker, does its trust policy let a service or a principal in.
 */
import { allowedActions } from "./permission-queries";
import { arnPatternMatches } from "./arn-match";
import type { EffectivePermissions, Grant } from "./types";
import type { PolicyStatement, PrincipalElement, Role } from "@/lib/snapshot/types";
import { settleConditions, type ConditionContext } from "./conditions";
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

function matchesAssume(statement: PolicyStatement): boolean {
  if (statement.NotAction) return !asList(statement.NotAction).some((a) => arnPatternMatches(a.toLowerCase(), "sts:assumerole"));
  return asList(statement.Action).some((a) => arnPatternMatches(a.toLowerCase(), "sts:assumerole"));
}

export interface TrustMatch {
  statementIndex: number;
  sid: string | null;
  conditional: boolean;
}

/** Who asks to assume the role: a principal (its role ARN) or an AWS service on the attacker's behalf. */
type Caller = { kind: "principal"; arn: string; accountId: string; context: ConditionContext } | { kind: "service"; service: string; accountId: string };

/**
 * Does a Principal element name the caller? `viaAccount` when it admits the caller without naming
 * its ARN (its account, or everyone): then the caller's own policy must allow sts:AssumeRole too.
 */
function principalNames(element: PrincipalElement | undefined, caller: Caller): { viaAccount: boolean } | null {
  if (element === undefined) return null;
  if (element === "*") return { viaAccount: true };
  if (caller.kind === "service") {
    return asList(element.Service).some((p) => p === "*" || p.toLowerCase() === caller.service) ? { viaAccount: false } : null;
  }
  for (const p of asList(element.AWS)) {
    if (p === "*") return { viaAccount: true };
    if (p === caller.arn) return { viaAccount: false };
    if (p === caller.accountId || /^arn:[^:]+:iam::(\d{12}):root$/.exec(p)?.[1] === caller.accountId) return { viaAccount: true };
  }
  return null;
}

/** The request context of the AssumeRole call, as the trust policy sees it. */
function callerContext(caller: Caller): ConditionContext {
  if (caller.kind === "principal") return caller.context;
  // A service assuming a role for the attacker's new resource: the source account is the
  // attacker's, and the source ARN is a resource the attacker names (checked below).
  return {};
}

/**
 * The trust policy's answer for this caller, conditions settled like any other policy
 * (conditions.ts): an explicit Deny that applies blocks, a statement requiring MFA never applies
 * to a Lambda role session, and what stays unknown makes the match conditional.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
function evaluateTrust(role: Role, caller: Caller): (TrustMatch & { viaAccount: boolean }) | null {
  const statements = role.assumeRolePolicy.Statement;
  const context = callerContext(caller);
  let allow: (TrustMatch & { viaAccount: boolean }) | null = null;
  let denyConditional = false;
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    if (!matchesAssume(s)) continue;
    const named = s.NotPrincipal ? (principalNames(s.NotPrincipal, caller) ? null : { viaAccount: true }) : principalNames(s.Principal, caller);
    if (!named) continue;
    const settled = caller.kind === "service" ? settleServiceConditions(s, caller.accountId) : settleConditions(s.Condition, context);
    if (settled === "false" || (typeof settled === "object" && settled.outcome === "false")) continue;
    const conditional = settled === "unknown" || (typeof settled === "object" && settled.outcome === "unknown");
    if (s.Effect === "Deny") {
      if (!conditional) return null;
      denyConditional = true;
      continue;
    }
    if (!allow || (allow.conditional && !conditional)) allow = { statementIndex: i, sid: s.Sid ?? null, conditional, viaAccount: named.viaAccount };
  }
  return allow && denyConditional ? { ...allow, conditional: true } : allow;
}

/** Does the role's trust policy let this service assume it (for a resource of `accountId`)? */
export function trustsService(role: Role, service: string, accountId: string): TrustMatch | null {
  return evaluateTrust(role, { kind: "service", service, accountId });
}

/**
 * Does the trust policy let this principal in? `viaAccount` is true when the policy names the
 * account root (then the principal's own policy must also allow sts:AssumeRole). `context` is
 * the caller's request context (a role session's own call, with its tags) when known.
 */
export function trustsPrincipal(role: Role, principalArn: string, accountId: string, context?: ConditionContext): (TrustMatch & { viaAccount: boolean }) | null {
  return evaluateTrust(role, {
    kind: "principal",
    arn: principalArn,
    accountId,
    context: context ?? { principalArn, principalAccount: accountId, roleSessionOwnCall: principalArn.includes(":role/") },
  });
}

/**
 * Conditions of a service trust statement for a resource the attacker creates in `accountId`:
 * `aws:SourceAccount` naming the account holds, `aws:SourceArn` within the account can be met by
 * naming the new resource to fit; anything else stays unknown.
 */
function settleServiceConditions(statement: PolicyStatement, accountId: string): "true" | "false" | "unknown" {
  if (!statement.Condition) return "true";
  let unknown = false;
  for (const [operator, keys] of Object.entries(statement.Condition)) {
    const negated = /not/i.test(operator);
    for (const [key, value] of Object.entries(keys)) {
      const values = asList(value as string | string[]).map(String);
      const k = key.toLowerCase();
      if (k === "aws:sourceaccount" && !negated) {
        if (!values.includes(accountId)) return "false";
      } else if (k === "aws:sourcearn" && !negated && /like|arn/i.test(operator)) {
        if (!values.some((v) => v.split(":")[4] === accountId || v.split(":")[4] === "*")) return "false";
      } else unknown = true;
    }
  }
  return unknown ? "unknown" : "true";
}
