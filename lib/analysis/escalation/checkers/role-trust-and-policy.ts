/** Escalation family `role-trust-and-policy`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, permsWith, type RoleChange } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";

export const roleTrustAndPolicyChecker: EscalationChecker = {
  kind: "role-trust-and-policy",
  targetTest: "any role of the account: its trust rewritten, then a policy allowing everything written on it",
  targetGroups: 2,
  candidates: (ctx, method) => roleTrustAndPolicy(ctx, method),
};

/**
 * Rewrite a role's trust policy to name the function's role, then write it a policy allowing
 * everything: no need for the role to be strong, or to trust the function, beforehand.
 */
function roleTrustAndPolicy(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const out: Candidate[] = [];
  for (const role of ctx.rolesInAccount()) {
    if (role.arn === ctx.roleArn) continue;
    const trust = ctx.firstStep(method.requires[0], role.arn);
    if (!trust) continue;
    let write = ctx.firstStep(method.requires[1].filter((a) => a !== "iam:createpolicyversion"), role.arn);
    let change: RoleChange = { inline: ALLOW_ALL };
    if (!write && method.requires[1].includes("iam:createpolicyversion")) {
      for (const policyArn of role.attachedPolicyArns.filter((a) => !isAwsManagedPolicyArn(a))) {
        write = ctx.firstStep(["iam:createpolicyversion"], policyArn);
        if (write) {
          change = { policyArn, document: ALLOW_ALL };
          break;
        }
      }
    }
    if (!write) continue;
    const cmp = comparePrivileges(ctx.perms, permsWith(ctx.index, role.arn, change), `role ${role.name} with a policy allowing everything`);
    if (!cmp.worth) continue;
    // Same account: once the trust names the function's role, no identity permission is needed to assume it.
    out.push(ctx.candidate(role.arn, `${cmp.reason}; the function can rewrite its trust policy to name its own role and write its policies`, [trust, write], impactOf(cmp), cmp.extraCount));
  }
  return out;
}
