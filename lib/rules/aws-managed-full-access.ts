import { isUnrestrictedGrant, reachesAdminCoverage } from "@/lib/analysis/policy/privilege";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";
import type { Grant, RuleMeta, Severity } from "@/lib/analysis/types";
import { hasAccessLevel } from "@/lib/analysis/policy/action-data";
import { actionCount, bitsOf, firstSorted, unionBits } from "@/lib/analysis/policy/action-bits";
import { actionsWhere, perActionArray } from "@/lib/analysis/policy/action-subsets";
import { listActions, serviceOf } from "./helpers";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "aws-managed-full-access",
  title: "Broad AWS-managed policy attached to the function role",
  category: "admin-access",
  severity: "high",
  description:
    "An AWS-managed `*FullAccess`, `AdministratorAccess` or `PowerUserAccess` policy is attached to the execution role. Severity follows what the policy still grants after boundary and SCPs.",
  risk: "The function can manage whole services it does not need, and AWS may add actions to the policy at any time.",
  remediation: "Detach the managed policy and grant the function's actual actions on its own resources in a customer-managed or inline policy.",
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies",
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html",
  ],
};

/** At most this share of the policy's actions left by a boundary or SCP: the policy counts as confined. */
const CONFINED_SHARE = 0.1;

const BROAD_NAME = /(FullAccess|^AdministratorAccess$|^PowerUserAccess$|^IAMFullAccess$)/;

export function evaluate(ctx: RuleContext): RuleHit[] {
  const hits: RuleHit[] = [];
  const policyArns = ctx.role?.attachedPolicyArns ?? [];
  for (const arn of policyArns) {
    if (!isAwsManagedPolicyArn(arn)) continue;
    const name = arn.split("/").pop()!;
    if (!BROAD_NAME.test(name)) continue;
    const grants = ctx.perms.grants.filter((g) => g.source.policyArn === arn);
    // The policy's grants share their action arrays with every role of the account: count their union as bits.
    const held = unionBits(grants.map((g) => bitsOf(g.actions)));
    const actionTotal = actionCount(held);
    // Everything it grants was removed by a boundary, SCP or deny: nothing left to report.
    if (actionTotal === 0) continue;
    const unrestrictedCount = grants.filter(isUnrestrictedGrant).reduce((n, g) => n + g.actions.length, 0);
    // A boundary or SCP that confines the policy to named resources leaves a hygiene problem,
    // not the policy's full power: report it, low.
    const confinedToResources = unrestrictedCount === 0 && grants.every((g) => !g.resources.includes("*") || g.limits.some((l) => l.kind.endsWith("-resources")));
    // A boundary or SCP that leaves little of the policy's actions: the policy is attached, but
    // what the role holds is judged by the other rules on what remains.
    const heldBack = ctx.perms.removed.filter((r) => r.allowedBy.policyArn === arn && r.reason !== "explicit-deny");
    const confinedToActions =
      heldBack.some((r) => r.actions.length > 0) && actionTotal <= CONFINED_SHARE * (actionTotal + actionCount(unionBits(heldBack.map((r) => bitsOf(r.actions)))));
    const confined = confinedToResources || confinedToActions;
    const severity = confined ? "low" : severityFor(grants, unrestrictedCount);
    const confinedBy = [...new Set(heldBack.map((r) => r.removedByName))];
    const services = [...new Set(grants.flatMap((g) => servicesOf(g.actions)))].sort();
    const examples = firstSorted(held, 5);
    hits.push({
      title: confined
        ? `AWS-managed policy ${name} attached, confined to ${confinedToActions ? `${actionTotal} action(s)` : "named resources"} by boundary or SCP`
        : `AWS-managed policy ${name} attached to the function role`,
      severity,
      reason: `The role has AWS-managed policy "${name}" attached; after boundary and SCPs it still grants ${actionTotal} action(s) across ${services.length} service(s) (${listActions(services, 8)}), e.g. ${examples.join(", ")}${actionTotal > 5 ? ` and ${actionTotal - 5} more` : ""}${confinedToResources ? `, only on ${listActions([...new Set(grants.flatMap((g) => g.resources))], 4)}` : ""}${confinedToActions ? `; attached, confined to these by ${confinedBy.join("; ")}` : ""}.`,
      statements: [...new Map(grants.map((g) => [g.source.statementIndex, g.source])).values()],
      actions: [...new Set(grants.flatMap((g) => g.writtenActions))],
      resources: [...new Set(grants.flatMap((g) => g.resources))],
    });
  }
  return hits;
}

const managesIam = (a: string) => serviceOf(a) === "iam" && (hasAccessLevel(a, "Permissions management") || a === "iam:passrole");
const changesSomething = (a: string) => hasAccessLevel(a, "Write") || hasAccessLevel(a, "Permissions management");
// Asked of the same shared action arrays for every role holding the policy: answered once per array.
const servicesOf = perActionArray((actions) => [...new Set(actions.map(serviceOf))]);

function severityFor(grants: Grant[], unrestrictedCount: number): Severity {
  if (reachesAdminCoverage(unrestrictedCount)) return "critical";
  if (grants.some((g) => actionsWhere(g.actions, managesIam).length > 0)) return "critical";
  if (grants.some((g) => actionsWhere(g.actions, changesSomething).length > 0)) return "high";
  return "medium";
}
