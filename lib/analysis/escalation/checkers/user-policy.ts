/** Escalation family `user-policy`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, userPermissions } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";

export const userPolicyChecker: EscalationChecker = {
  kind: "user-policy",
  targetTest: "an IAM user whose credentials the function can also create, judged with a policy allowing everything added (its boundary applies)",
  targetGroups: 1,
  candidates: (ctx, method) => userPolicy(ctx, method),
};

function userPolicy(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const out: Candidate[] = [];
  for (const user of ctx.users()) {
    const modify = ctx.firstStep(method.requires[0], user.arn);
    const creds = modify ? ctx.credentialStep(user) : null;
    if (!modify || !creds) continue;
    // What a policy it writes could give: the user's boundary and the SCPs still apply.
    const cmp = comparePrivileges(ctx.perms, userPermissions(ctx.index, user, null, ALLOW_ALL), `user ${user.name} with a policy allowing everything`);
    if (!cmp.worth) continue;
    out.push(ctx.candidate(user.arn, `${cmp.reason}; the function can grant user ${user.name} any permission and then use its credentials`, [modify, creds], impactOf(cmp), cmp.extraCount));
  }
  return out;
}
