/** Escalation family `own-managed-policy`. */
import { ALLOW_ALL, type Candidate, type EscalationChecker, type EscalationContext, impactOf, permsWith, type Step } from "../context";
import type { EscalationMethod } from "../methods";
import { comparePrivileges } from "../../policy/privilege";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";

export const ownManagedPolicyChecker: EscalationChecker = {
  kind: "own-managed-policy",
  targetTest: "a customer-managed policy attached to the function's own role (or its boundary), judged rewritten / switched to a stored version",
  targetGroups: 1,
  candidates: (ctx, method) => ownManagedPolicy(ctx, method),
};

function ownManagedPolicy(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  if (!ctx.role) return [];
  const policies = [...ctx.role.attachedPolicyArns, ...(ctx.role.permissionsBoundaryArn ? [ctx.role.permissionsBoundaryArn] : [])];
  const out: Candidate[] = [];
  for (const policyArn of policies) {
    if (isAwsManagedPolicyArn(policyArn)) continue; // AWS-managed policies cannot be edited
    const step = ctx.firstStep(method.requires[0], policyArn);
    if (!step) continue;
    const isBoundary = policyArn === ctx.role.permissionsBoundaryArn;
    if (method.id === "iam-set-default-policy-version") {
      out.push(...switchVersion(ctx, policyArn, isBoundary, step));
      continue;
    }
    const after = permsWith(ctx.index, ctx.roleArn, { policyArn, document: ALLOW_ALL });
    const cmp = comparePrivileges(ctx.perms, after, `its own role with ${policyArn} rewritten to allow everything`);
    if (!cmp.worth) continue;
    const reason = `${cmp.reason}; ${policyArn} is ${isBoundary ? "the permission boundary of" : "attached to"} the function's own role and the function can make a new default version of it`;
    out.push(ctx.candidate(policyArn, reason, [step], impactOf(cmp), cmp.extraCount));
  }
  return out;
}

/**
 * iam:SetDefaultPolicyVersion only switches between the versions the policy already has: each
 * stored version is judged by the role's effective permissions with it as the default
 * (boundary and SCPs still apply). A policy with no other version offers no path.
 */
function switchVersion(ctx: EscalationContext, policyArn: string, isBoundary: boolean, step: Step): Candidate[] {
  const index = ctx.index;
  const policy = index.managedPolicies.get(policyArn);
  if (!policy) {
    const reason = `${policyArn} is attached to the function's own role, but its versions could not be read: another version may grant more`;
    return [ctx.candidate(policyArn, reason, [{ ...step, conditional: true }], "unknown", 0)];
  }
  const out: Candidate[] = [];
  for (const version of policy.otherVersions) {
    const after = permsWith(index, ctx.roleArn, { policyArn, document: version.document });
    const cmp = comparePrivileges(ctx.perms, after, `the role with version ${version.versionId ?? "(unnamed)"} of ${policy.name} as default`);
    if (!cmp.worth) continue;
    const reason = `${cmp.reason}; iam:SetDefaultPolicyVersion switches the ${isBoundary ? "permission boundary" : "policy"} back to that stored version`;
    out.push(ctx.candidate(policyArn, reason, [step], impactOf(cmp), cmp.extraCount));
  }
  return out;
}
