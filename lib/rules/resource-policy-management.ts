import type { RuleMeta } from "@/lib/analysis/types";
import { hasAccessLevel } from "@/lib/analysis/policy/action-data";
import { EXTRA_EXPOSURE_ACTIONS } from "./data/resource-exposure";
import { MatchCollector, broadResourcesFor, downgrade, resourcesFor } from "./helpers";
import { actionsWhere } from "@/lib/analysis/policy/action-subsets";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "resource-policy-management",
  title: "Can change who may access resources",
  category: "resource-exposure",
  severity: "high",
  description:
    "Permissions-management actions (iam-data access level, e.g. s3:PutBucketPolicy, lambda:AddPermission, kms:PutKeyPolicy, sqs:SetQueueAttributes) and sharing actions such as snapshot-attribute changes. High on `*`, medium on named resources.",
  risk: "A compromised function can make buckets, queues, keys or functions public or share them with another account.",
  remediation: "Remove permissions-management actions from the function role; manage resource policies from deployment tooling.",
  references: [
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/resource-exposure.md",
    "https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html",
  ],
};

const changesAccess = (action: string) => hasAccessLevel(action, "Permissions management") || !!EXTRA_EXPOSURE_ACTIONS[action];

export function evaluate(ctx: RuleContext): RuleHit[] {
  // Actions already reported as an escalation step are not repeated here.
  const inPaths = new Set(ctx.escalationPaths.flatMap((p) => p.steps.map((s) => s.action)));
  const broad = new MatchCollector();
  const narrow = new MatchCollector();
  for (const grant of ctx.perms.grants) {
    for (const action of actionsWhere(grant.actions, changesAccess)) {
      if (inPaths.has(action)) continue;
      const wide = broadResourcesFor(grant, action);
      if (wide.length > 0) broad.add(grant, action, wide);
      else narrow.add(grant, action, resourcesFor(grant, action));
    }
  }
  const hits: RuleHit[] = [];
  if (broad.size > 0) {
    hits.push(
      broad.hit(`${broad.describe()}: the function can rewrite access policies of every such resource.`, {
        severity: broad.allConditional() ? downgrade("high") : "high",
      }),
    );
  }
  if (narrow.size > 0) {
    hits.push(
      narrow.hit(`${narrow.describe()}: the function can change who may access these resources.`, {
        title: "Can change who may access its own resources",
        severity: narrow.allConditional() ? "low" : "medium",
      }),
    );
  }
  return hits;
}
