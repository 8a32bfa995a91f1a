import { describeStatement } from "@/lib/analysis/policy/permission-queries";
import type { RuleMeta } from "@/lib/analysis/types";
import { actionsOf, allowStatements, conditionValues, list, principalAccount } from "./resource-policy-conditions";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "cross-account-invoke",
  title: "Function can be invoked from outside the organization",
  category: "cross-account-invoke",
  severity: "medium",
  description:
    "The function's resource policy names AWS accounts or principals outside the organization (or, without an organization, outside the scanned accounts), directly or through aws:SourceAccount / aws:PrincipalAccount conditions.",
  risk: "Another account's principals can run the function with its role's permissions.",
  remediation: "Remove the external principal, or confirm the partner account and document it; prefer aws:PrincipalOrgID for in-organization access.",
  references: [
    "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-cross-account.html",
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid",
  ],
};

export function evaluate(ctx: RuleContext): RuleHit[] {
  const inside = (id: string) => id === ctx.fn.accountId || ctx.index.orgAccountIds.has(id);
  const hits: RuleHit[] = [];
  for (const { statement, ref } of allowStatements(ctx.fn)) {
    const principal = statement.Principal;
    if (!principal || principal === "*") continue;
    const external = new Set<string>();
    for (const p of list(principal.AWS)) {
      const account = principalAccount(p);
      if (account && !inside(account)) external.add(p);
    }
    // Service or `*` principals pinned to a foreign account (or a foreign source ARN) are cross-account too.
    for (const key of ["aws:sourceaccount", "aws:principalaccount"]) {
      for (const v of conditionValues(statement, key)) if (/^\d{12}$/.test(v) && !inside(v)) external.add(`${key} ${v}`);
    }
    for (const v of conditionValues(statement, "aws:sourcearn")) {
      const account = v.split(":")[4];
      if (account && /^\d{12}$/.test(account) && !inside(account)) external.add(`aws:SourceArn ${v}`);
    }
    if (external.size === 0) continue;
    hits.push({
      reason: `${describeStatement(ref)} allows ${[...external].join(", ")} (outside the organization) to ${actionsOf(statement).join(", ")}.`,
      statements: [ref],
      actions: actionsOf(statement).map((a) => a.toLowerCase()),
      resources: list(statement.Resource).length > 0 ? list(statement.Resource) : [ctx.fn.arn],
    });
  }
  return hits;
}
