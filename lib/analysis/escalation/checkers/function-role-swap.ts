/** Escalation family `function-role-swap`. */
import { type Candidate, type EscalationChecker, type EscalationContext, impactOf } from "../context";
import type { EscalationMethod } from "../methods";

export const functionRoleSwapChecker: EscalationChecker = {
  kind: "function-role-swap",
  targetTest: "a more privileged role that trusts lambda.amazonaws.com and that iam:PassRole covers, set on a function the grant covers",
  targetGroups: 1,
  // It prefers the function itself as the one whose role is swapped.
  readsFunction: true,
  candidates: (ctx, method) => functionRoleSwap(ctx, method),
};

function functionRoleSwap(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const roles = ctx.passableRoles(method.passedToService!);
  if (roles.length === 0) return [];
  // Prefer the function itself: the attacker already runs code there.
  const own = ctx.actor.fn;
  const functions = [...(own ? [own] : []), ...ctx.functionsInAccount().filter((f) => f.arn !== own?.arn)];
  for (const fn of functions) {
    const update = ctx.firstStep(method.requires[0], fn.arn);
    if (!update) continue;
    return roles.map(({ role, step, cmp, trustConditional }) =>
      ctx.candidate(
        role.arn,
        `${cmp.reason}; it trusts lambda.amazonaws.com and can be set as the role of ${fn.arn === own?.arn ? "this function" : `function ${fn.name}`}`,
        [update, { ...step, conditional: step.conditional || trustConditional }],
        impactOf(cmp),
        cmp.extraCount,
      ),
    );
  }
  return [];
}
