import type { RuleMeta } from "@/lib/analysis/types";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "shared-role",
  title: "Execution role shared with other functions",
  category: "shared-role",
  severity: "low",
  description: "Several functions execute as the same role, so each holds the union of what all of them need. Medium from five functions.",
  risk: "Compromising any one of the functions gives the permissions every other function needs.",
  remediation: "Give each function its own role with only its own permissions.",
  references: [
    "https://docs.aws.amazon.com/lambda/latest/operatorguide/least-privilege.html",
    "https://docs.aws.amazon.com/wellarchitected/latest/serverless-applications-lens/identity-and-access-management.html",
  ],
};

/** From this many functions on one role, the shared role is medium. */
const MANY = 5;

export function evaluate(ctx: RuleContext): RuleHit[] {
  if (ctx.sharedWith.length === 0) return [];
  const names = ctx.sharedWith.map((arn) => arn.split(":").pop());
  const total = ctx.sharedWith.length + 1;
  return [
    {
      severity: total >= MANY ? "medium" : "low",
      reason: `Role ${ctx.fn.roleArn} is also the execution role of ${ctx.sharedWith.length} other function(s): ${names.slice(0, 8).join(", ")}${names.length > 8 ? ", …" : ""}.`,
      statements: [],
      actions: [],
      resources: [ctx.fn.roleArn, ...ctx.sharedWith],
    },
  ];
}
