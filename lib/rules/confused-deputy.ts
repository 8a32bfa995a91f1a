import { describeStatement } from "@/lib/analysis/policy/permission-queries";
import type { RuleMeta } from "@/lib/analysis/types";
import { CONFUSED_DEPUTY_EXCEPTIONS, SOURCE_CONDITION_KEYS } from "./data/resource-exposure";
import { actionsOf, allowStatements, list, pinnedConditionKeys } from "./resource-policy-conditions";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "confused-deputy",
  title: "Service principal may invoke without a source condition",
  category: "confused-deputy",
  severity: "medium",
  description:
    "A statement lets an AWS service principal (`*.amazonaws.com`) invoke the function without aws:SourceArn or aws:SourceAccount, so the service may invoke it on behalf of any customer's resource. Condition keys are matched case-insensitively under StringEquals/StringLike/ArnEquals/ArnLike.",
  risk: "Another account can point its own S3 bucket, SNS topic or API at the function and have the service invoke it (cross-service confused deputy).",
  remediation: "Add `--source-arn` (and for S3 `--source-account`) to the permission.",
  references: [
    "https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/permissions-function-services.html",
  ],
};

export function evaluate(ctx: RuleContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const { statement, ref } of allowStatements(ctx.fn)) {
    const principal = statement.Principal;
    if (!principal || principal === "*") continue;
    const services = list(principal.Service).filter(
      (s) => s.toLowerCase().endsWith(".amazonaws.com") && !CONFUSED_DEPUTY_EXCEPTIONS[s.toLowerCase()],
    );
    if (services.length === 0) continue;
    const pinned = pinnedConditionKeys(statement);
    if ([...pinned].some((k) => SOURCE_CONDITION_KEYS.has(k))) continue;
    hits.push({
      reason: `${describeStatement(ref)} allows ${services.join(", ")} to ${actionsOf(statement).join(", ")} without aws:SourceArn or aws:SourceAccount.`,
      statements: [ref],
      actions: actionsOf(statement).map((a) => a.toLowerCase()),
      resources: list(statement.Resource).length > 0 ? list(statement.Resource) : [ctx.fn.arn],
    });
  }
  return hits;
}
