/** Escalation family `pass-role`. */
import { type Candidate, type EscalationChecker, type EscalationContext, impactOf, type Step } from "../context";
import type { EscalationMethod } from "../methods";
import type { Role } from "@/lib/snapshot/types";

export const passRoleChecker: EscalationChecker = {
  kind: "pass-role",
  targetTest: "a more privileged role of the account that trusts the service and that iam:PassRole covers (iam:PassedToService evaluated)",
  targetGroups: 0,
  candidates: (ctx, method, prerequisites) => passRole(ctx, method, prerequisites),
};

function passRole(ctx: EscalationContext, method: EscalationMethod, prerequisites: Step[]): Candidate[] {
  const service = method.passedToService!;
  const out: Candidate[] = [];
  for (const { role, step, cmp, trustConditional } of ctx.passableRoles(service)) {
    const steps = [{ ...step, conditional: step.conditional || trustConditional }, ...prerequisites];
    let reason = `${cmp.reason}; it trusts ${service}`;
    if (service === "ec2.amazonaws.com") {
      const profile = instanceProfileSteps(ctx, role);
      if (!profile) continue;
      steps.push(...profile.steps);
      reason += `; ${profile.how}`;
      if (profile.how.startsWith("possible")) steps[0] = { ...steps[0], conditional: true };
    }
    if (method.needsExisting) {
      // The path also needs an existing resource the snapshot does not hold: possible, not certain.
      steps[steps.length - 1] = { ...steps[steps.length - 1], conditional: true };
      reason += `; possible — needs an existing ${method.needsExisting}; not collected`;
    }
    out.push(ctx.candidate(role.arn, reason, steps, impactOf(cmp), cmp.extraCount));
  }
  return out;
}

/**
 * EC2 runs with a role only through an instance profile: one already holding the role, or one
 * the attacker makes (iam:CreateInstanceProfile + iam:AddRoleToInstanceProfile).
 */
function instanceProfileSteps(ctx: EscalationContext, role: Role): { steps: Step[]; how: string } | null {
  if (role.instanceProfileArns && role.instanceProfileArns.length > 0) {
    return { steps: [], how: `instance profile ${role.instanceProfileArns[0].split("/").pop()} already holds it` };
  }
  const create = ctx.stepOnSomeResource("iam:createinstanceprofile");
  const add = create ? ctx.stepOnSomeResource("iam:addroletoinstanceprofile") : null;
  if (create && add) return { steps: [create, add], how: "the function can make an instance profile holding it" };
  if (role.instanceProfileArns === undefined) {
    // Instance profiles were not collected: an existing one may hold the role.
    return { steps: [], how: "possible — needs an existing instance profile holding it; not collected (iam:ListInstanceProfilesForRole)" };
  }
  return null;
}
