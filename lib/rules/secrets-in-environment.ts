import type { RuleMeta } from "@/lib/analysis/types";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "secrets-in-environment",
  title: "Environment variable looks like a secret",
  category: "secrets-in-environment",
  severity: "high",
  description:
    "An environment variable's name or value shape suggests a credential (the value itself is never stored). Environment variables are readable by anyone with lambda:GetFunctionConfiguration.",
  risk: "The secret leaks to every principal that can read the function's configuration, and to its logs and crash dumps.",
  remediation: "Move the value to Secrets Manager or SSM Parameter Store (SecureString) and read it at run time.",
  references: [
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-encryption",
    "https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html",
    "https://docs.aws.amazon.com/securityhub/latest/userguide/lambda-controls.html",
  ],
};

export function evaluate(ctx: RuleContext): RuleHit[] {
  const secret = ctx.fn.environment.filter((v) => v.looksSecret);
  if (secret.length === 0) return [];
  return [
    {
      reason: `Environment variable(s) ${secret.map((v) => `${v.name} (${v.secretReason ?? "looks like a secret"})`).join(", ")} appear to hold secrets.`,
      statements: [],
      actions: [],
      resources: [ctx.fn.arn],
    },
  ];
}
