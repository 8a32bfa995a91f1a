/** Escalation family `role-trust`. */
import { type Candidate, type EscalationChecker, type EscalationContext, impactOf } from "../context";
import type { EscalationMethod } from "../methods";

export const roleTrustChecker: EscalationChecker = {
  kind: "role-trust",
  targetTest: "a more privileged role of the account (its trust policy is rewritten to name the function's role)",
  targetGroups: 1,
  candidates: (ctx, method) => roleTrust(ctx, method),
};

function roleTrust(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const out: Candidate[] = [];
  for (const role of ctx.rolesInAccount()) {
    if (role.arn === ctx.roleArn) continue;
    const step = ctx.firstStep(method.requires[0], role.arn);
    if (!step) continue;
    const cmp = ctx.compare(role.arn, `role ${role.name}`);
    if (!cmp.worth) continue;
    // Same account: once the trust policy names the function's role, no identity permission is needed to assume it.
    out.push(ctx.candidate(role.arn, `${cmp.reason}; the function can rewrite its trust policy`, [step], impactOf(cmp), cmp.extraCount));
  }
  return out;
}
