/** Escalation family `assume-role`. */
import { type Candidate, type EscalationChecker, type EscalationContext, impactOf, rolesNaming } from "../context";
import { grantsFor } from "../../policy/permission-queries";

export const assumeRoleChecker: EscalationChecker = {
  kind: "assume-role",
  targetTest: "a more privileged role whose trust policy admits the function's role (conditions, MFA and denies evaluated); same-account trust naming the role needs no sts:AssumeRole grant",
  targetGroups: 1,
  candidates: (ctx, _method) => assumeRole(ctx),
};

function assumeRole(ctx: EscalationContext): Candidate[] {
  const out: Candidate[] = [];
  // Without an sts:AssumeRole grant only a same-account trust naming the role itself admits it.
  const candidates = grantsFor(ctx.perms, "sts:assumerole").length > 0 ? ctx.index.roles.values() : rolesNaming(ctx.index, ctx.roleArn);
  for (const role of candidates) {
    if (role.arn === ctx.roleArn) continue;
    const assume = ctx.assumeSteps(role);
    if (!assume) continue;
    const cmp = ctx.compare(role.arn, `role ${role.name}`);
    if (!cmp.worth) continue;
    out.push(ctx.candidate(role.arn, `${cmp.reason}; its trust policy ${assume.how}`, assume.steps, impactOf(cmp), cmp.extraCount));
  }
  return out;
}
