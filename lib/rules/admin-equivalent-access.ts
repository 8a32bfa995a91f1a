import { isAdminEquivalent, isUnrestrictedGrant } from "@/lib/analysis/policy/privilege";
import { describeStatement } from "@/lib/analysis/policy/permission-queries";
import type { RuleMeta } from "@/lib/analysis/types";
import { totalActionCount } from "@/lib/analysis/policy/action-data";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "admin-equivalent-access",
  title: "Function role has administrator-equivalent access",
  category: "admin-access",
  severity: "critical",
  description:
    "After denies, the permission boundary and SCPs, the role may perform (nearly) every action on every resource: `*` on `*`, or a NotAction allow that leaves almost everything.",
  risk: "Anyone who runs code in the function controls the whole account.",
  remediation: "Replace the broad statement with the specific actions and resources the function uses; see the recommended policy.",
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html#grant-least-privilege",
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/README.md",
  ],
};

export function evaluate(ctx: RuleContext): RuleHit[] {
  if (!isAdminEquivalent(ctx.perms)) return [];
  const total = totalActionCount();
  const grants = ctx.perms.grants.filter(isUnrestrictedGrant).sort((a, b) => b.actions.length - a.actions.length);
  const covering = grants.filter((g) => g.actions.length >= total * 0.5);
  const shown = covering.length > 0 ? covering : grants;
  const parts = shown.map((g) => {
    const written = g.notAction ? `every action except ${g.writtenActions.join(", ")}` : g.writtenActions.join(", ");
    return `${describeStatement(g.source)} allows ${written} on ${g.resources.join(", ")} (${g.actions.length} of ${total} actions)`;
  });
  return [
    {
      reason: `${parts.join("; ")}. No boundary, SCP or deny narrows it.`,
      statements: shown.map((g) => g.source),
      actions: [...new Set(shown.flatMap((g) => g.writtenActions))],
      resources: [...new Set(shown.flatMap((g) => g.resources))],
    },
  ];
}
