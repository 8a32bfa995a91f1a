/**
 * Does a role's trust policy let a service or a principal in?
 */
import { statementAllowsAction } from "../policy/action-expansion";
import { arnPatternMatches } from "../policy/arn-match";
import type { PolicyStatement, PrincipalElement, Role } from "@/lib/snapshot/types";
import { settleConditions, type ConditionContext } from "../policy/conditions";

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
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
    if (!statementAllowsAction(s, "sts:assumerole")) continue;
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
