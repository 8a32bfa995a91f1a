import type { RuleMeta } from "@/lib/analysis/types";
import { hasAccessLevel } from "@/lib/analysis/policy/action-data";
import { DEFENSE_EVASION_ACTIONS, EXPECTED_FUNCTION_ACTIONS, INFRASTRUCTURE_SERVICES, NOT_MODIFICATION } from "./data/infrastructure";
import { MatchCollector, broadResourcesFor, downgrade, resourcesFor, serviceOf } from "./helpers";
import { actionsWhere } from "@/lib/analysis/policy/action-subsets";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "infrastructure-modification",
  title: "Can modify infrastructure or blind defenders",
  category: "infrastructure-modification",
  severity: "high",
  description:
    "Write actions on compute, network, deployment and identity services (ec2, cloudformation, lambda, iam, …) on `*`, and actions that delete or stop logs, trails and detectors on any resource. The ENI and X-Ray actions Lambda documents for function roles are expected and ignored.",
  risk: "A compromised function can launch, change or destroy infrastructure, or erase the evidence.",
  remediation: "Remove infrastructure actions from the runtime role (deployment belongs to the pipeline role); never grant log or trail deletion to a function.",
  references: [
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/infrastructure-modification.md",
    "https://attack.mitre.org/techniques/T1562/008/",
  ],
};

/** The actions either part of the rule can report; the escalation steps are left out per function below. */
const mayCount = (action: string): boolean =>
  !!DEFENSE_EVASION_ACTIONS[action] ||
  (INFRASTRUCTURE_SERVICES.has(serviceOf(action)) &&
    !EXPECTED_FUNCTION_ACTIONS.has(action) &&
    !NOT_MODIFICATION.has(action) &&
    hasAccessLevel(action, "Write") &&
    !hasAccessLevel(action, "Permissions management"));

export function evaluate(ctx: RuleContext): RuleHit[] {
  const inPaths = new Set(ctx.escalationPaths.flatMap((p) => p.steps.map((s) => s.action)));
  const infra = new MatchCollector();
  const evasion = new MatchCollector();
  let evasionBroad = false;
  for (const grant of ctx.perms.grants) {
    for (const action of actionsWhere(grant.actions, mayCount)) {
      if (DEFENSE_EVASION_ACTIONS[action]) {
        const broad = broadResourcesFor(grant, action);
        evasionBroad ||= broad.length > 0;
        evasion.add(grant, action, broad.length > 0 ? broad : resourcesFor(grant, action));
        continue;
      }
      if (!INFRASTRUCTURE_SERVICES.has(serviceOf(action))) continue;
      if (EXPECTED_FUNCTION_ACTIONS.has(action) || NOT_MODIFICATION.has(action) || inPaths.has(action)) continue;
      if (!hasAccessLevel(action, "Write") || hasAccessLevel(action, "Permissions management")) continue;
      const broad = broadResourcesFor(grant, action);
      if (broad.length > 0) infra.add(grant, action, broad);
    }
  }
  const hits: RuleHit[] = [];
  if (infra.size > 0) {
    const services = [...new Set(infra.actions().map(serviceOf))].sort().join(", ");
    hits.push(
      infra.hit(`${infra.describe()}: the function can change ${services} resources across the account.`, {
        severity: infra.allConditional() ? downgrade("high") : "high",
      }),
    );
  }
  if (evasion.size > 0) {
    const what = [...new Set(evasion.actions().map((a) => DEFENSE_EVASION_ACTIONS[a]))].join(", ");
    let severity = evasionBroad ? ("high" as const) : ("medium" as const);
    if (evasion.allConditional()) severity = downgrade(severity) as typeof severity;
    hits.push(
      evasion.hit(`${evasion.describe()}: the function can ${what}.`, { title: "Can delete or stop logs, trails or detectors", severity }),
    );
  }
  return hits;
}
