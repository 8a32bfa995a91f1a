import type { RuleMeta } from "@/lib/analysis/types";
import type { PolicyStatement } from "@/lib/snapshot/types";
import { RESTRICTING_CONDITION_KEYS } from "./data/resource-exposure";
import { actionsOf, allowStatements, list, pinnedConditionKeys } from "./resource-policy-conditions";
import { describeStatement } from "@/lib/analysis/policy/permission-queries";
import { statementAllowsAction } from "@/lib/analysis/policy/action-expansion";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "public-invoke",
  title: "Function can be invoked by anyone",
  category: "public-invoke",
  severity: "high",
  description:
    "The function's resource policy allows `Principal: \"*\"` (or `{\"AWS\": \"*\"}`) with no condition that pins the caller (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID, aws:SourceOrgID …; lambda:FunctionUrlAuthType alone does not). A function URL with AuthType NONE is public only with such a statement granting lambda:InvokeFunctionUrl (or lambda:*, *): AWS requires both, and without the statement every call gets 403.",
  risk: "Anyone on the internet (or any AWS account) can run the function and everything its role allows.",
  remediation:
    "Use AuthType AWS_IAM for function URLs (or put the URL behind CloudFront/API Gateway with auth), and add aws:SourceArn / aws:PrincipalOrgID conditions to resource-policy statements.",
  references: [
    "https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html#lambda-1",
  ],
};

function isEveryone(principal: PolicyStatement["Principal"]): boolean {
  if (principal === undefined) return false;
  if (principal === "*") return true;
  return list(principal.AWS).includes("*") || list(principal.CanonicalUser).includes("*");
}

export function evaluate(ctx: RuleContext): RuleHit[] {
  const hits: RuleHit[] = [];
  const openStatements = allowStatements(ctx.fn).filter(({ statement }) => {
    if (!isEveryone(statement.Principal)) return false;
    const pinned = pinnedConditionKeys(statement);
    return ![...pinned].some((k) => RESTRICTING_CONDITION_KEYS.has(k));
  });
  const reported = new Set<number>();
  for (const url of ctx.fn.urls) {
    if (url.authType !== "NONE") continue;
    // The one action matcher: `lambda:Invoke*`, `lambda:*Url` and NotAction count as IAM reads them.
    const permitting = openStatements.filter(({ statement }) => statementAllowsAction(statement, "lambda:invokefunctionurl"));
    // https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html: AuthType NONE still needs a resource-based policy granting public access.
    if (permitting.length === 0) continue;
    permitting.forEach((s) => reported.add(s.ref.statementIndex));
    const via = ` and ${permitting.map((s) => describeStatement(s.ref)).join(", ")} allows everyone to call it`;
    hits.push({
      title: "Function URL without authentication",
      reason: `Function URL ${url.url}${url.qualifier ? ` (qualifier ${url.qualifier})` : ""} has AuthType NONE${via}.`,
      statements: permitting.map((s) => s.ref),
      actions: ["lambda:invokefunctionurl"],
      resources: [ctx.fn.arn],
    });
  }
  for (const { statement, ref } of openStatements) {
    if (reported.has(ref.statementIndex)) continue;
    const conditions = statement.Condition ? ` (its only conditions, ${Object.values(statement.Condition).flatMap(Object.keys).join(", ")}, do not pin the caller)` : " with no condition";
    hits.push({
      title: "Resource policy allows any principal",
      reason: `${describeStatement(ref)} allows Principal "*" to ${actionsOf(statement).join(", ")}${conditions}.`,
      statements: [ref],
      actions: actionsOf(statement).map((a) => a.toLowerCase()),
      resources: list(statement.Resource).length > 0 ? list(statement.Resource) : [ctx.fn.arn],
    });
  }
  return hits;
}
