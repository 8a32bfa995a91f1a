/**
 * The rule catalogue and its evaluator. `RULES` is data a report can print (`saltzer rules`,
 * SARIF); `evaluateRules` turns one function's context into sorted findings.
 */
import { SEVERITIES, type Finding, type RuleMeta } from "@/lib/analysis/types";
import * as adminEquivalentAccess from "./admin-equivalent-access";
import * as awsManagedFullAccess from "./aws-managed-full-access";
import * as confusedDeputy from "./confused-deputy";
import * as credentialAccess from "./credential-access";
import * as crossAccountInvoke from "./cross-account-invoke";
import * as dataStoreReadAll from "./data-store-read-all";
import * as dataStoreWriteAll from "./data-store-write-all";
import * as deprecatedRuntime from "./deprecated-runtime";
import * as infrastructureModification from "./infrastructure-modification";
import * as missingLogging from "./missing-logging";
import * as privilegeEscalation from "./privilege-escalation";
import * as publicInvoke from "./public-invoke";
import * as resourcePolicyManagement from "./resource-policy-management";
import * as secretsInEnvironment from "./secrets-in-environment";
import * as serviceWideWildcard from "./service-wide-wildcard";
import * as sharedRole from "./shared-role";
import * as unusedPermissions from "./unused-permissions";
import type { Rule, RuleContext } from "./types";

const PERMISSION_SCOPED = new Set([
  "admin-equivalent-access",
  "aws-managed-full-access",
  "service-wide-wildcard",
  "data-store-write-all",
  "data-store-read-all",
  "resource-policy-management",
  "credential-access",
  "infrastructure-modification",
]);

/** Rules that read only the role: its permissions, its last-accessed data and the reference time. */
const ROLE_SCOPED = new Set(["unused-permissions"]);

function rule(mod: { meta: RuleMeta; evaluate: Rule["evaluate"] }): Rule {
  return { ...mod.meta, evaluate: mod.evaluate, scope: PERMISSION_SCOPED.has(mod.meta.id) ? "permissions" : ROLE_SCOPED.has(mod.meta.id) ? "role" : "function" };
}

/** Every rule, in catalogue order. */
export const RULES: Rule[] = [
  rule(adminEquivalentAccess),
  rule(awsManagedFullAccess),
  rule(privilegeEscalation),
  rule(serviceWideWildcard),
  rule(dataStoreWriteAll),
  rule(dataStoreReadAll),
  rule(resourcePolicyManagement),
  rule(credentialAccess),
  rule(infrastructureModification),
  rule(publicInvoke),
  rule(crossAccountInvoke),
  rule(confusedDeputy),
  rule(sharedRole),
  rule(unusedPermissions),
  rule(secretsInEnvironment),
  rule(missingLogging),
  rule(deprecatedRuntime),
];

/** The catalogue without code, for printing and storing. */
export const RULE_CATALOGUE: RuleMeta[] = RULES.map(({ evaluate: _evaluate, scope: _scope, ...meta }) => meta);

const PERMISSION_RULES = RULES.filter((r) => r.scope === "permissions");
const ROLE_RULES = RULES.filter((r) => r.scope === "role");
const FUNCTION_RULES = RULES.filter((r) => r.scope === "function");
const RULE_ORDER = new Map(RULES.map((r, i) => [r.id, i]));

/**
 * Where evaluateRulesCached keeps hits: `shared` by the permission-scoped rules' inputs (any
 * account's functions may share them), `role` by role (its account's functions only: the caller
 * empties it between accounts, so a large organization does not keep every role's findings).
 */
export interface RuleHitCache {
  shared: Map<string, Finding[]>;
  role: Map<string, Finding[]>;
}

/**
 * Every rule on one function, with the permission-scoped rules' hits shared by every function
 * whose inputs to them are the same (same permission set, policies, escalation steps, event
 * sources), and the role-scoped rules' hits by every function of the role (one analysis gives
 * them the same last-accessed data and reference time).
 */
export function evaluateRulesCached(ctx: RuleContext, cache: RuleHitCache): Finding[] {
  const key = [
    ctx.perms.key,
    (ctx.role?.attachedPolicyArns ?? []).join(","),
    ctx.escalationPaths.flatMap((p) => p.steps.map((s) => s.action)).sort().join(","),
    (ctx.index.mappingsByFunction.get(ctx.fn.arn) ?? []).map((m) => m.eventSourceArn?.split(":")[2] ?? "").sort().join(","),
  ].join("|");
  const roleKey = `${ctx.account.accountId}\u0000${ctx.fn.roleArn}\u0000${ctx.perms.key}`;
  const shared = cachedHits(cache.shared, key, ctx, PERMISSION_RULES);
  const sharedByRole = cachedHits(cache.role, roleKey, ctx, ROLE_RULES);
  const own = evaluateRules(ctx, FUNCTION_RULES);
  const mine = (f: Finding) => ({ ...f, functionArn: ctx.fn.arn });
  return sortFindings([...shared.map(mine), ...sharedByRole.map(mine), ...own]);
}

function cachedHits(cache: Map<string, Finding[]>, key: string, ctx: RuleContext, rules: Rule[]): Finding[] {
  let found = cache.get(key);
  if (!found) cache.set(key, (found = evaluateRules(ctx, rules)));
  return found;
}

function sortFindings(findings: Finding[]): Finding[] {
  const order = (f: Finding) => SEVERITIES.indexOf(f.severity);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => order(a.f) - order(b.f) || (RULE_ORDER.get(a.f.ruleId) ?? 0) - (RULE_ORDER.get(b.f.ruleId) ?? 0) || a.i - b.i)
    .map(({ f }) => f);
}

/** Run every rule on one function; findings sorted by severity (critical first), then rule order. */
export function evaluateRules(ctx: RuleContext, rules: Rule[] = RULES): Finding[] {
  const findings: Finding[] = [];
  for (const r of rules) {
    for (const hit of r.evaluate(ctx)) {
      const { severity, title, ...rest } = hit;
      findings.push({
        ruleId: r.id,
        category: r.category,
        severity: severity ?? r.severity,
        functionArn: ctx.fn.arn,
        title: title ?? r.title,
        ...rest,
      });
    }
  }
  return sortFindings(findings);
}
