import { decide } from "@/lib/analysis/policy/permission-queries";
import type { RuleMeta } from "@/lib/analysis/types";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "missing-logging",
  title: "Function cannot write its logs",
  category: "missing-logging",
  severity: "medium",
  description:
    "The role cannot call logs:CreateLogStream and logs:PutLogEvents on the function's own log group, so its output and errors are lost.",
  risk: "Abuse of the function leaves no trace in CloudWatch Logs.",
  remediation: "Allow logs:CreateLogStream and logs:PutLogEvents on `arn:aws:logs:<region>:<account>:log-group:<group>:*` (AWSLambdaBasicExecutionRole does this).",
  references: [
    "https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs.html#monitoring-cloudwatchlogs-prereqs",
    "https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html",
  ],
};

const ACTIONS = ["logs:createlogstream", "logs:putlogevents"];

export function evaluate(ctx: RuleContext): RuleHit[] {
  // With a policy we could not read, the missing permission may be there: no claim either way.
  if (ctx.perms.unresolvedPolicies.length > 0) return [];
  const partition = ctx.fn.arn.split(":")[1] ?? "aws";
  const group = `arn:${partition}:logs:${ctx.fn.region}:${ctx.fn.accountId}:log-group:${ctx.fn.logGroup}`;
  // Either resource form a correct policy may use: `group:*` or `group:log-stream:<name>`.
  const probes = [`${group}:*`, `${group}:log-stream:2024/01/01/[$LATEST]abc`];
  const missing: string[] = [];
  const reasons: string[] = [];
  for (const action of ACTIONS) {
    const decisions = probes.map((p) => decide(ctx.perms, action, p));
    if (decisions.some((d) => d.decision === "allowed")) continue;
    missing.push(action);
    reasons.push(decisions[0].summary);
  }
  if (missing.length === 0) return [];
  return [
    {
      reason: `The role cannot ${missing.join(" or ")} on log group ${ctx.fn.logGroup}: ${[...new Set(reasons)].join(" ")}`,
      statements: [],
      actions: missing,
      resources: [`${group}:*`],
    },
  ];
}
