/** `saltzer can FUNCTION ACTION RESOURCE`: the simulator's answer with its reasons. */
import { canonicalActionsInText } from "@/lib/queries/action-names";
import { canFunction, canFunctionOnEveryResource, type CanDecision, type PerResourceDecision } from "@/lib/analysis/policy/can";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import type { Snapshot } from "@/lib/snapshot/types";
import { safeTerminalText } from "./terminal-text";

/** Parses repeated `--context key=value` (a value with commas becomes a list). */
export function parseContext(pairs: string[], usage: (message: string) => Error): Record<string, string | string[]> {
  const context: Record<string, string | string[]> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw usage(`--context ${pair}: expected key=value`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    context[key] = value.includes(",") ? value.split(",").map((v) => v.trim()) : value;
  }
  return context;
}

/** The answer `saltzer can` prints; with resource `*`, one decision per resource pattern too. */
export type CanAnswer = CanDecision & {
  function: string;
  action: string;
  resource: string;
  perResource?: PerResourceDecision[];
  scope?: "every resource" | "some resources only";
};

export async function decideCan(
  snapshot: Snapshot,
  fn: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
): Promise<CanAnswer> {
  const index = indexSnapshot(snapshot);
  if (resource === "*") {
    // "*" is answered per resource: a grant on named resources allows the action there only.
    const { everywhere, perResource } = await canFunctionOnEveryResource(index, fn, action, context);
    const allowedSomewhere = perResource.filter((r) => r.decision.decision === "allowed");
    if (everywhere.decision === "allowed" || allowedSomewhere.length === 0) return { ...everywhere, function: fn, action, resource, perResource, ...(everywhere.decision === "allowed" ? { scope: "every resource" as const } : {}) };
    const only = allowedSomewhere.map((r) => r.resource);
    return {
      ...allowedSomewhere[0].decision,
      summary: `Allowed on ${only.join(", ")} only (not on every resource).`,
      function: fn,
      action,
      resource,
      perResource,
      scope: "some resources only" as const,
    };
  }
  const decision = await canFunction(index, fn, action, resource, context);
  return { ...decision, function: fn, action, resource };
}

export function formatCan(decision: CanDecision & { action: string; resource: string; perResource?: PerResourceDecision[]; scope?: CanAnswer["scope"] }): string {
  const verdict = decision.decision === "allowed" ? (decision.conditional ? "ALLOWED (conditionally)" : "ALLOWED") : "DENIED";
  const lines = [decision.scope ? `${verdict} on ${decision.scope}` : verdict];
  lines.push(`  ${decision.summary}`);
  for (const a of decision.allowedBy) {
    lines.push(`  allowed by: ${a.name}`);
    if (a.conditions) lines.push(`    only when: ${JSON.stringify(a.conditions)}`);
  }
  for (const d of decision.deniedBy) lines.push(`  denied by: ${d.name}${d.reason ? ` — ${d.reason}` : ""}`);
  if (decision.decision === "denied" && decision.deniedBy.length === 0 && !decision.perResource?.length) {
    lines.push(`  no statement allows ${decision.action} on ${decision.resource}`);
  }
  for (const r of decision.perResource ?? []) {
    const d = r.decision;
    const why = d.decision === "allowed" ? (d.allowedBy[0]?.name ?? "") : (d.deniedBy[0]?.name ?? "no statement allows it");
    lines.push(`  on ${r.resource}: ${d.decision === "allowed" ? (d.conditional ? "allowed (conditionally)" : "allowed") : "denied"} — ${why}`);
  }
  return `${lines.map((line) => safeTerminalText(canonicalActionsInText(line))).join("\n")}\n`;
}
