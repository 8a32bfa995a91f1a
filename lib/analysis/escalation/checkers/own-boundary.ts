/** Escalation family `own-boundary`. */
import { type Candidate, type EscalationChecker, type EscalationContext, impactOf, permsWith } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";

export const ownBoundaryChecker: EscalationChecker = {
  kind: "own-boundary",
  targetTest: "the function's own role, judged without its permission boundary",
  targetGroups: 1,
  candidates: (ctx, method) => ownBoundary(ctx, method),
};

function ownBoundary(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const boundary = ctx.role?.permissionsBoundaryArn;
  if (!boundary) return [];
  const step = ctx.firstStep(method.requires[0], ctx.roleArn);
  if (!step) return [];
  // Without the boundary the role's policies apply in full, SCPs and denies still in force.
  const cmp = comparePrivileges(ctx.perms, permsWith(ctx.index, ctx.roleArn, { boundary: null }), `its own role without permission boundary ${boundary}`);
  if (!cmp.worth) return [];
  return [ctx.candidate(ctx.roleArn, `${cmp.reason}; the function can remove or replace its boundary`, [step], impactOf(cmp), cmp.extraCount)];
}
