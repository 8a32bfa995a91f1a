/** Escalation family `group`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, type Step, userPermissions } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";
import type { User } from "@/lib/snapshot/types";

export const groupChecker: EscalationChecker = {
  kind: "group",
  targetTest: "a group that would make a usable user stronger, or whose usable member gains from a policy allowing everything (boundaries apply)",
  targetGroups: 1,
  candidates: (ctx, method) => group(ctx, method),
};

function group(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const account = ctx.index.accountsById.get(ctx.accountId);
  const groups = account?.groups ?? [];
  const out: Candidate[] = [];
  const usable = ctx.users()
    .map((user) => ({ user, creds: ctx.credentialStep(user) }))
    .filter((u): u is { user: User; creds: Step } => u.creds !== null);
  for (const group of groups) {
    if (method.id === "iam-add-user-to-group") {
      const add = ctx.firstStep(method.requires[0], group.arn);
      if (!add) continue;
      // The first usable non-member the group would make stronger.
      for (const member of usable.filter((u) => !u.user.groupNames.includes(group.name))) {
        const worth = ctx.userWorth(member.user, group);
        if (!worth) continue;
        out.push(ctx.candidate(group.arn, `${worth.reason}; the function can add user ${member.user.name} to group ${group.name} and use its credentials`, [add, member.creds], worth.impact, worth.gain));
        break;
      }
    } else {
      const modify = ctx.firstStep(method.requires[0], group.arn);
      if (!modify) continue;
      for (const member of usable.filter((u) => u.user.groupNames.includes(group.name))) {
        // The member's boundary still applies to what the group's new policy gives.
        const cmp = comparePrivileges(ctx.perms, userPermissions(ctx.index, member.user, null, ALLOW_ALL), `user ${member.user.name} with group ${group.name} allowing everything`);
        if (!cmp.worth) continue;
        out.push(ctx.candidate(group.arn, `${cmp.reason}; the function can grant group ${group.name} any permission and use the credentials of its member ${member.user.name}`, [modify, member.creds], impactOf(cmp), cmp.extraCount));
        break;
      }
    }
  }
  return out;
}
