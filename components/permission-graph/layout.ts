/**
 * Left-to-right layout of the permission graph with dagre: the function on the left, what it
 * reaches to the right. Pure (no DOM), so it is unit-tested and could run on the server.
 */
import dagre from "dagre";
import type { GraphNodeType } from "@/lib/analysis/graph-view";

export interface LayoutNode {
  id: string;
  type: GraphNodeType;
}

export interface LayoutEdge {
  id: string;
  source: string;
  target: string;
}

export interface Box {
  width: number;
  height: number;
}

/** Drawn sizes per node type; the node components use the same numbers. */
export const NODE_SIZE: Record<GraphNodeType, Box> = {
  function: { width: 220, height: 64 },
  role: { width: 220, height: 56 },
  policy: { width: 220, height: 56 },
  statement: { width: 240, height: 84 },
  resource: { width: 240, height: 52 },
  "event-source": { width: 220, height: 52 },
  group: { width: 220, height: 52 },
};

export interface Positioned {
  /** Top-left corner, as React Flow places nodes. */
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Positions for every node; edges to unknown nodes are ignored. */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<string, Positioned> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 90, edgesep: 8, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) g.setNode(n.id, { ...NODE_SIZE[n.type] });
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target) && e.source !== e.target) g.setEdge(e.source, e.target, {}, e.id);
  dagre.layout(g);
  const out = new Map<string, Positioned>();
  for (const n of nodes) {
    const p = g.node(n.id);
    const { width, height } = NODE_SIZE[n.type];
    out.set(n.id, { x: p.x - width / 2, y: p.y - height / 2, width, height });
  }
  return out;
}
