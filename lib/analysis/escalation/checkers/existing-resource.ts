/** Escalation family `existing-resource`. */
import { type Candidate, type EscalationChecker, type EscalationContext, type Step } from "../context";
import type { EscalationMethod } from "../methods";

export const existingResourceChecker: EscalationChecker = {
  kind: "existing-resource",
  targetTest: "none in the snapshot: possible when such a resource exists with a stronger role (needs the named collection)",
  targetGroups: 0,
  candidates: (ctx, method, prerequisites) => existingResource(ctx, method, prerequisites),
};

/**
 * A resource a Lambda/IAM snapshot does not hold (an instance, a project, a notebook): the path
 * is possible, at lower confidence, and names the collection that would settle it.
 */
function existingResource(ctx: EscalationContext, method: EscalationMethod, prerequisites: Step[]): Candidate[] {
  const { resource, collection } = method.existing!;
  return [
    ctx.candidate(
      null,
      `possible — needs an existing ${resource} whose role is stronger; not collected (${collection} would settle it)`,
      prerequisites.map((s) => ({ ...s, conditional: true })),
      "unknown",
      0,
    ),
  ];
}
