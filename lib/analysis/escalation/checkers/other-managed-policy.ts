/** Escalation family `other-managed-policy`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, permsWith } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";

export const otherManagedPolicyChecker: EscalationChecker = {
  kind: "other-managed-policy",
  targetTest: "a customer-managed policy attached to a role whose trust policy admits the function, judged rewritten to allow everything",
  targetGroups: 1,
  candidates: (ctx, method) => otherManagedPolicy(ctx, method),
};

/** Rewrite a customer-managed policy attached to another role the function can assume, then assume it. */
function otherManagedPolicy(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const out: Candidate[] = [];
  for (const role of ctx.rolesInAccount()) {
    if (role.arn === ctx.roleArn) continue;
    const assume = ctx.assumeSteps(role);
    if (!assume) continue;
    for (const policyArn of role.attachedPolicyArns) {
      if (isAwsManagedPolicyArn(policyArn)) continue; // AWS-managed policies cannot be edited
      const modify = ctx.firstStep(method.requires[0], policyArn);
      if (!modify) continue;
      const after = permsWith(ctx.index, role.arn, { policyArn, document: ALLOW_ALL });
      const cmp = comparePrivileges(ctx.perms, after, `role ${role.name} with ${policyArn} rewritten to allow everything`);
      if (!cmp.worth) continue;
      out.push(ctx.candidate(role.arn, `${cmp.reason}; ${policyArn} is attached to it, and its trust policy ${assume.how}`, [modify, ...assume.steps], impactOf(cmp), cmp.extraCount));
      break;
    }
  }
  return out;
}
