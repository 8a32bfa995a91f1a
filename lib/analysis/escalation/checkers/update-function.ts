/** Escalation family `update-function`. */
import { type Candidate, type EscalationChecker, type EscalationContext, impactOf } from "../context";
import type { EscalationMethod } from "../methods";
import { trustsService } from "../../graph/trust";

export const updateFunctionChecker: EscalationChecker = {
  kind: "update-function",
  targetTest: "another function whose role trusts lambda.amazonaws.com and holds more than the function",
  targetGroups: 1,
  candidates: (ctx, method) => updateFunction(ctx, method),
};

function updateFunction(ctx: EscalationContext, method: EscalationMethod): Candidate[] {
  const out: Candidate[] = [];
  const layer = method.id === "lambda-update-function-configuration-layer";
  for (const fn of ctx.functionsInAccount()) {
    // Skips the escalating function too (it runs as ctx.roleArn): the candidates are its role's.
    if (fn.roleArn === ctx.roleArn) continue;
    if (layer && fn.packageType === "Image") continue; // layers do not apply to container images
    const step = ctx.firstStep(method.requires[0], fn.arn);
    if (!step) continue;
    // A function whose role Lambda cannot assume never runs with it: new code gains nothing.
    const fnRole = ctx.index.roles.get(fn.roleArn);
    if (fnRole && !trustsService(fnRole, "lambda.amazonaws.com", ctx.accountId)) continue;
    const cmp = ctx.compare(fn.roleArn, `role ${fn.roleArn.split("/").pop()} of function ${fn.name}`);
    if (!cmp.worth) continue;
    const invoke = ctx.step("lambda:invokefunction", fn.arn);
    const triggers = (ctx.index.mappingsByFunction.get(fn.arn)?.length ?? 0) > 0 || fn.resourcePolicy !== null;
    const runs = invoke
      ? "the function can then invoke it"
      : triggers
        ? "its existing triggers run the new code"
        : "the new code runs on its next invocation";
    const steps = invoke ? [step, invoke] : [step];
    out.push(ctx.candidate(fn.arn, `${cmp.reason}; ${runs}`, steps, impactOf(cmp), cmp.extraCount));
  }
  return out;
}
