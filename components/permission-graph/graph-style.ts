/**
 * The graph's colours and words, in one place: the canvas, the legend and the SVG/PNG export
 * read them, so the legend always explains exactly what is drawn.
 */
import { EDGE_FILTER_LABELS, filterOfKind, type EdgeFilter, type GraphEdge, type GraphNode } from "./graph-view-model";

export type EdgeStyleKey = EdgeFilter | "structure";

/** One colour per edge-kind group (each ≥ 3:1 against the white canvas). */
export const EDGE_STYLE: Record<EdgeStyleKey, { colour: string; label: string }> = {
  read: { colour: "#2457c5", label: EDGE_FILTER_LABELS.read },
  write: { colour: "#c2410c", label: EDGE_FILTER_LABELS.write },
  delete: { colour: "#a3112e", label: EDGE_FILTER_LABELS.delete },
  manage: { colour: "#7e22ce", label: EDGE_FILTER_LABELS.manage },
  invoke: { colour: "#0f766e", label: EDGE_FILTER_LABELS.invoke },
  update: { colour: "#be185d", label: EDGE_FILTER_LABELS.update },
  trigger: { colour: "#4d7c0f", label: EDGE_FILTER_LABELS.trigger },
  pass: { colour: "#854d0e", label: EDGE_FILTER_LABELS.pass },
  assume: { colour: "#4338ca", label: EDGE_FILTER_LABELS.assume },
  structure: { colour: "#7b8794", label: "Runs as, attached policy, statement, triggered by" },
};

export function edgeStyleOf(e: Pick<GraphEdge, "kind">): { key: EdgeStyleKey; colour: string } {
  const key: EdgeStyleKey = filterOfKind(e.kind) ?? "structure";
  return { key, colour: EDGE_STYLE[key].colour };
}

/** Node fill and border per type (the canvas CSS uses the same values). */
export const NODE_STYLE: Record<GraphNode["type"], { fill: string; stroke: string; label: string }> = {
  function: { fill: "#ffffff", stroke: "#9aa5b1", label: "Function (border colour = its risk severity)" },
  role: { fill: "#e8effc", stroke: "#2457c5", label: "IAM role" },
  policy: { fill: "#f3f5f8", stroke: "#7e8ba0", label: "Policy" },
  statement: { fill: "#ffffff", stroke: "#c3cad4", label: "Policy statement (red border: a finding cites it)" },
  resource: { fill: "#e6f4f1", stroke: "#0f766e", label: "Resource or ARN pattern" },
  "event-source": { fill: "#ffffff", stroke: "#0f766e", label: "Event source (dashed border)" },
  group: { fill: "#fdf6e3", stroke: "#a16207", label: "Group (dashed border): select to show its members" },
};

export const TYPE_WORDS: Record<GraphNode["type"], string> = {
  function: "Function",
  role: "Role",
  policy: "Policy",
  statement: "Statement",
  resource: "Resource",
  "event-source": "Event source",
  group: "Group",
};

const POLICY_KIND_WORDS = { inline: "inline", "customer-managed": "customer managed", "aws-managed": "AWS managed", boundary: "permission boundary" } as const;

/** The small line above a node's name: its type and what matters about it. */
export function nodeKindWords(n: GraphNode): string {
  let words = TYPE_WORDS[n.type];
  if (n.policyKind) words += ` · ${POLICY_KIND_WORDS[n.policyKind]}`;
  if (n.type === "statement" && n.effect) words += ` · ${n.effect}`;
  if (n.type === "function" && n.severity) words += ` · ${n.severity}${n.riskScore != null ? ` ${n.riskScore}` : ""}`;
  if (n.type === "function" && !n.root && n.hops) words += ` · ${n.hops} move${n.hops > 1 ? "s" : ""}`;
  if (n.findings?.length) words += ` · ${n.findings.length} finding${n.findings.length > 1 ? "s" : ""}`;
  if (n.group) words += n.group.kind === "has-statement" ? " · click to show" : ` · ${n.group.kind} · click to show`;
  return words;
}

/**
 * A readable second line instead of an ARN cut mid-way: where the thing lives. The full ARN is
 * the node's hover title and is shown in the details panel.
 */
export function nodeSubtitle(n: GraphNode): string | null {
  if (n.type === "group" || n.type === "statement") return n.detail;
  if (n.type === "policy") return n.detail && n.detail.startsWith("arn:") ? (n.detail.includes(":iam::aws:") ? "AWS managed" : `account ${n.detail.split(":")[4]}`) : n.detail;
  const arn = n.type === "resource" ? (n.detail ?? "") : n.id;
  const parts = arn.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return n.type === "resource" && n.service ? `${n.service} · ${arn}` : null;
  const [, , service, region, account] = parts;
  if (n.type === "function") return [region || null, account || null].filter(Boolean).join(" · ");
  return [service, account ? `account ${account}` : null, region || null].filter(Boolean).join(" · ");
}
