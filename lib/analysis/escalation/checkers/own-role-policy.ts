/** Escalation family `own-role-policy`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, permsWith } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";

export const ownRolePolicyChecker: EscalationChecker = {
  kind: "own-role-policy",
  targetTest: "the function's own role, judged with a policy allowing everything added (its boundary and SCPs still apply)",
  targetGroups: 1,
  candidates: (ctx, method) => ownRolePolicy(ctx, method),
};

function ownRolePolicy(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  if (!ctx.role) return [];
  const step = ctx.firstStep(method.requires[0], ctx.roleArn);
  if (!step) return [];
  // What a policy it writes could give: its boundary and the SCPs still apply.
  const after = permsWith(ctx.index, ctx.roleArn, { inline: ALLOW_ALL });
  const cmp = comparePrivileges(ctx.perms, after, "its own role with a policy allowing everything");
  if (!cmp.worth) return [];
  return [ctx.candidate(ctx.roleArn, `${cmp.reason}; the function can write its own role's policies`, [step], impactOf(cmp), cmp.extraCount)];
}
