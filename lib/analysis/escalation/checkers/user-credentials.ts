/** Escalation family `user-credentials`. */
import { type Candidate, type EscalationChecker, type EscalationContext } from "../context";
import type { EscalationMethod } from "../methods";

export const userCredentialsChecker: EscalationChecker = {
  kind: "user-credentials",
  targetTest: "an IAM user whose effective permissions (groups, boundary, SCPs) exceed the function's",
  targetGroups: 1,
  candidates: (ctx, method) => userCredentials(ctx, method),
};

function userCredentials(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const users = ctx.users();
  const out: Candidate[] = [];
  for (const user of users) {
    const step = ctx.firstStep(method.requires[0], user.arn);
    if (!step) continue;
    const worth = ctx.userWorth(user);
    if (!worth) continue;
    out.push(ctx.candidate(user.arn, worth.reason, [step], worth.impact, worth.gain));
  }
  if (users.length === 0) {
    // Users were not collected: the grant still covers every user of the account.
    const probe = `arn:aws:iam::${ctx.accountId}:user/any-user`;
    const step = ctx.firstStep(method.requires[0], probe);
    if (step) out.push(ctx.candidate(null, "the grant covers every IAM user of the account (users are not in the snapshot)", [{ ...step, conditional: true }], "unknown", 0));
  }
  return out;
}
