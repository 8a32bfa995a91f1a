/** `saltzer can FUNCTION ACTION RESOURCE`: the simulator's answer with its reasons. */
import { canFunction, type CanDecision } from "@/lib/analysis/can";
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

export async function decideCan(
  snapshot: Snapshot,
  fn: string,
  action: string,
  resource: string,
  context: Record<string, string | string[]>,
): Promise<CanDecision & { function: string; action: string; resource: string }> {
  const index = indexSnapshot(snapshot);
  const decision = await canFunction(index, fn, action, resource, context);
  return { ...decision, function: fn, action, resource };
}

export function formatCan(decision: CanDecision & { action: string; resource: string }): string {
  const lines = [decision.decision === "allowed" ? (decision.conditional ? "ALLOWED (conditionally)" : "ALLOWED") : "DENIED"];
  lines.push(`  ${decision.summary}`);
  for (const a of decision.allowedBy) {
    lines.push(`  allowed by: ${a.name}`);
    if (a.conditions) lines.push(`    only when: ${JSON.stringify(a.conditions)}`);
  }
  for (const d of decision.deniedBy) lines.push(`  denied by: ${d.name}${d.reason ? ` — ${d.reason}` : ""}`);
  if (decision.decision === "denied" && decision.deniedBy.length === 0) {
    lines.push(`  no statement allows ${decision.action} on ${decision.resource}`);
  }
  return `${lines.map(safeTerminalText).join("\n")}\n`;
}
