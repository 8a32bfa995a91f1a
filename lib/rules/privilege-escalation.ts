import type { RankedEscalationPath } from "@/lib/analysis/escalation/escalation-paths";
import { ESCALATION_METHODS } from "@/lib/analysis/escalation/methods";
import { describeStatement } from "@/lib/analysis/policy/permission-queries";
import type { EscalationPath, RuleMeta, Severity } from "@/lib/analysis/types";
import { downgrade } from "./helpers";
import type { RuleContext, RuleHit } from "./types";

export const meta: RuleMeta = {
  id: "privilege-escalation",
  title: "Privilege escalation path",
  category: "privilege-escalation",
  severity: "critical",
  description:
    "The role's effective permissions, combined across all its policies, make a known escalation method usable against a concrete, more privileged target (one finding per method).",
  risk: "A compromised function can turn itself into a more privileged principal, up to administrator.",
  remediation: "Remove one of the path's actions, or scope it away from the target (e.g. iam:PassRole to named roles with iam:PassedToService).",
  references: [
    "https://pathfinding.cloud",
    "https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/",
    "https://github.com/salesforce/cloudsplaining/blob/master/docs/glossary/privilege-escalation.md",
  ],
};

function severityOf(path: EscalationPath): Severity {
  const impact = (path as Partial<RankedEscalationPath>).impact;
  let severity: Severity = impact === "admin" ? "critical" : "high";
  if (path.conditional) severity = downgrade(severity);
  return severity;
}

export function evaluate(ctx: RuleContext): RuleHit[] {
  return ctx.escalationPaths.map((path) => {
    const method = ESCALATION_METHODS.find((m) => m.id === path.method);
    const steps = path.steps.map((s) => `${s.action} on ${s.resource} (${describeStatement(s.grantedBy)})`).join(", then ");
    const target = path.target ? ` Target: ${path.target} — ${path.targetReason}.` : path.targetReason ? ` ${path.targetReason}.` : "";
    const when = path.conditional ? " Usable only when the statements' conditions hold." : "";
    return {
      title: `Privilege escalation: ${method?.title ?? path.title}`,
      severity: severityOf(path),
      reason: `${steps}.${target}${when}`,
      statements: [...new Map(path.steps.map((s) => [describeStatement(s.grantedBy), s.grantedBy])).values()],
      actions: [...new Set(path.steps.map((s) => s.action))],
      resources: [...new Set(path.steps.map((s) => s.resource))],
      escalation: path,
    };
  });
}
