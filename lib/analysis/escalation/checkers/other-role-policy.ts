/** Escalation family `other-role-policy`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, permsWith } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";

export const otherRolePolicyChecker: EscalationChecker = {
  kind: "other-role-policy",
  targetTest: "a role of the account whose trust policy admits the function, judged with a policy allowing everything added",
  targetGroups: 1,
  candidates: (ctx, method) => otherRolePolicy(ctx, method),
};

/** Write the policies of another role the function can assume, then assume it. */
function otherRolePolicy(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const out: Candidate[] = [];
  for (const role of ctx.rolesInAccount()) {
    if (role.arn === ctx.roleArn) continue;
    const modify = ctx.firstStep(method.requires[0], role.arn);
    if (!modify) continue;
    const assume = ctx.assumeSteps(role);
    if (!assume) continue;
    const after = permsWith(ctx.index, role.arn, { inline: ALLOW_ALL });
    const cmp = comparePrivileges(ctx.perms, after, `role ${role.name} with a policy allowing everything`);
    if (!cmp.worth) continue;
    out.push(ctx.candidate(role.arn, `${cmp.reason}; the function can write its policies, and its trust policy ${assume.how}`, [modify, ...assume.steps], impactOf(cmp), cmp.extraCount));
  }
  return out;
}
