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

function rule(mod: { meta: RuleMeta; evaluate: Rule["evaluate"] }): Rule {
  return { ...mod.meta, evaluate: mod.evaluate, scope: PERMISSION_SCOPED.has(mod.meta.id) ? "permissions" : "function" };
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
const FUNCTION_RULES = RULES.filter((r) => r.scope === "function");
const RULE_ORDER = new Map(RULES.map((r, i) => [r.id, i]));

/**
 * Every rule on one function, with the permission-scoped rules' hits shared by every function
 * whose inputs to them are the same (same permission set, policies, escalation steps, event sources).
 */
export function evaluateRulesCached(ctx: RuleContext, cache: Map<string, Finding[]>): Finding[] {
  const key = [
    ctx.perms.key,
    (ctx.role?.attachedPolicyArns ?? []).join(","),
    ctx.escalationPaths.flatMap((p) => p.steps.map((s) => s.action)).sort().join(","),
    (ctx.index.mappingsByFunction.get(ctx.fn.arn) ?? []).map((m) => m.eventSourceArn?.split(":")[2] ?? "").sort().join(","),
  ].join("|");
  let shared = cache.get(key);
  if (!shared) {
    shared = evaluateRules(ctx, PERMISSION_RULES);
    cache.set(key, shared);
  }
  const own = evaluateRules(ctx, FUNCTION_RULES);
  return sortFindings([...shared.map((f) => ({ ...f, functionArn: ctx.fn.arn })), ...own]);
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
