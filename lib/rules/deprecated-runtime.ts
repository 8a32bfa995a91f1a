import type { RuleMeta } from "@/lib/analysis/types";
import { RUNTIME_DEPRECATION_DATES, RUNTIME_WARNING_DAYS } from "./data/deprecated-runtimes";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "deprecated-runtime",
  title: "Deprecated Lambda runtime",
  category: "deprecated-runtime",
  severity: "medium",
  description: `The function uses a runtime AWS has deprecated (no more security patches), or will deprecate within ${RUNTIME_WARNING_DAYS} days (low).`,
  risk: "Known vulnerabilities in the language runtime and OS stay unpatched.",
  remediation: "Upgrade to a supported runtime version and redeploy.",
  references: ["https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html", "https://docs.aws.amazon.com/lambda/latest/dg/runtime-support-policy.html"],
};

export function evaluate(ctx: RuleContext): RuleHit[] {
  const runtime = ctx.fn.runtime;
  if (!runtime) return []; // container images carry their own runtime
  const date = RUNTIME_DEPRECATION_DATES[runtime];
  if (!date) return [];
  const now = Date.parse(ctx.now ?? new Date().toISOString());
  const deprecation = Date.parse(`${date}T00:00:00Z`);
  const days = Math.round((deprecation - now) / 86_400_000);
  if (days > RUNTIME_WARNING_DAYS) return [];
  const past = days <= 0;
  return [
    {
      title: past ? `Deprecated runtime ${runtime}` : `Runtime ${runtime} deprecated soon`,
      severity: past ? "medium" : "low",
      reason: past
        ? `Runtime ${runtime} was deprecated by AWS on ${date}.`
        : `Runtime ${runtime} will be deprecated by AWS on ${date} (in ${days} days).`,
      statements: [],
      actions: [],
      resources: [ctx.fn.arn],
    },
  ];
}
