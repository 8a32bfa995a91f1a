import type { RuleMeta } from "@/lib/analysis/types";
import { CREDENTIAL_ACTIONS } from "./data/credential-actions";
import { MatchCollector, broadResourcesFor, downgrade, resourcesFor } from "./helpers";
import { actionsWhere } from "@/lib/analysis/policy/action-subsets";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "credential-access",
  title: "Can obtain credentials or secrets",
  category: "credentials-exposure",
  severity: "high",
  description:
    "Actions that mint IAM credentials (iam:CreateAccessKey, login profiles) on any resource, or read secrets and credentials on `*` (secretsmanager:GetSecretValue, ssm:GetParameter*, sts:AssumeRole, rds-db:connect …).",
  risk: "A compromised function can walk away with credentials that outlive the function and its role.",
  remediation: "Remove credential-minting actions; scope secret and parameter reads to the function's own secret ARNs and parameter paths.",
  references: [
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/credentials-exposure.md",
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html",
  ],
};

const isCredentialAction = (action: string) => !!CREDENTIAL_ACTIONS[action];

export function evaluate(ctx: RuleContext): RuleHit[] {
  const collector = new MatchCollector();
  const what = new Set<string>();
  let anyBroad = false;
  for (const grant of ctx.perms.grants) {
    for (const action of actionsWhere(grant.actions, isCredentialAction)) {
      const entry = CREDENTIAL_ACTIONS[action];
      if (!entry) continue;
      const broad = broadResourcesFor(grant, action);
      if (entry.scope === "broad" && broad.length === 0) continue;
      anyBroad ||= broad.length > 0;
      collector.add(grant, action, broad.length > 0 ? broad : resourcesFor(grant, action));
      what.add(entry.what);
    }
  }
  if (collector.size === 0) return [];
  let severity = anyBroad ? meta.severity : "medium";
  if (collector.allConditional()) severity = downgrade(severity);
  return [collector.hit(`${collector.describe()}: the function can ${[...what].join("; ")}.`, { severity })];
}
