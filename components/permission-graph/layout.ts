/**
 * Left-to-right layout of the permission graph with @dagrejs/dagre (the maintained dagre): the function on the left, what it
 * reaches to the right. Pure (no DOM), so it is unit-tested and could run on the server.
 */
import { Graph, layout as dagreLayout } from "@dagrejs/dagre";
import type { GraphNodeType } from "@/components/permission-graph/graph-view-model";

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
  function: { width: 260, height: 64 },
  role: { width: 260, height: 60 },
  policy: { width: 260, height: 60 },
  statement: { width: 260, height: 84 },
  resource: { width: 260, height: 58 },
  "event-source": { width: 260, height: 58 },
  group: { width: 260, height: 58 },
};

/**
 * `wide` for a desktop canvas; `narrow` for a phone's: slimmer nodes (long names end in "…", the
 * full name is on hover and in the details) and shorter gaps between columns, so the function and
 * the column it reaches fit a 390-px screen side by side at a readable zoom.
 */
export type LayoutDensity = "wide" | "narrow";

/** A canvas narrower than this (a phone's) is drawn with the narrow layout. */
export const NARROW_CANVAS = 600;

export function densityFor(canvasWidth: number): LayoutDensity {
  return canvasWidth > 0 && canvasWidth < NARROW_CANVAS ? "narrow" : "wide";
}

const NARROW_NODE_WIDTH = 180;
const SPACING: Record<LayoutDensity, { nodesep: number; ranksep: number }> = { wide: { nodesep: 18, ranksep: 90 }, narrow: { nodesep: 14, ranksep: 44 } };

/** A node's drawn size in a layout of this density. */
export function nodeSize(type: GraphNodeType, density: LayoutDensity = "wide"): Box {
  return density === "wide" ? NODE_SIZE[type] : { width: NARROW_NODE_WIDTH, height: NODE_SIZE[type].height };
}

export interface Positioned {
  /** Top-left corner, as React Flow places nodes. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Placed in the grid of a wide fan-out (its edge crosses the grid, so it is drawn faint). */
  inGrid?: boolean;
}

/** A node with more leaf children than this gets them in a grid instead of one tall column. */
export const GRID_MIN_LEAVES = 10;
const GRID_GAP = { x: 16, y: 12 };

/**
 * Positions for every node; edges to unknown nodes are ignored. An expanded fan-out (hundreds of
 * leaves of one node) would be one column thousands of pixels tall, so leaves of a wide fan-out
 * are laid out by dagre as one block and placed in a roughly square grid inside it.
 */
export function layoutGraph(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[], density: LayoutDensity = "wide"): Map<string, Positioned> {
  const size = (type: GraphNodeType) => nodeSize(type, density);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const valid = edges.filter((e) => byId.has(e.source) && byId.has(e.target) && e.source !== e.target);
  const inDegree = new Map<string, number>();
  const outDegree = new Map<string, number>();
  for (const e of valid) {
    inDegree.set(e.target, (inDegree.get(e.target) ?? 0) + 1);
    outDegree.set(e.source, (outDegree.get(e.source) ?? 0) + 1);
  }
  const leavesOf = new Map<string, string[]>();
  for (const e of valid) {
    if (inDegree.get(e.target) !== 1 || outDegree.has(e.target)) continue;
    const list = leavesOf.get(e.source);
    if (list) list.push(e.target);
    else leavesOf.set(e.source, [e.target]);
  }
  const blocks = new Map<string, { id: string; leaves: string[]; cols: number; cell: Box; width: number; height: number }>();
  const inBlock = new Map<string, string>();
  for (const [source, leaves] of leavesOf) {
    if (leaves.length <= GRID_MIN_LEAVES) continue;
    const cell = { width: Math.max(...leaves.map((id) => size(byId.get(id)!.type).width)), height: Math.max(...leaves.map((id) => size(byId.get(id)!.type).height)) };
    // Columns so the block is about as tall as it is wide.
    const cols = Math.max(1, Math.round(Math.sqrt((leaves.length * (cell.height + GRID_GAP.y)) / (cell.width + GRID_GAP.x))));
    const rows = Math.ceil(leaves.length / cols);
    const block = { id: `__block:${source}`, leaves, cols, cell, width: cols * (cell.width + GRID_GAP.x) - GRID_GAP.x, height: rows * (cell.height + GRID_GAP.y) - GRID_GAP.y };
    blocks.set(source, block);
    for (const leaf of leaves) inBlock.set(leaf, block.id);
  }

  const g = new Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", ...SPACING[density], edgesep: 8, marginx: 20, marginy: 20 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of nodes) if (!inBlock.has(n.id)) g.setNode(n.id, { ...size(n.type) });
  for (const [source, block] of blocks) {
    g.setNode(block.id, { width: block.width, height: block.height });
    g.setEdge(source, block.id, {}, block.id);
  }
  for (const e of valid) if (!inBlock.has(e.target)) g.setEdge(e.source, e.target, {}, e.id);
  dagreLayout(g);

  const out = new Map<string, Positioned>();
  for (const n of nodes) {
    if (inBlock.has(n.id)) continue;
    const p = g.node(n.id);
    const { width, height } = size(n.type);
    out.set(n.id, { x: p.x - width / 2, y: p.y - height / 2, width, height });
  }
  for (const block of blocks.values()) {
    const p = g.node(block.id);
    const left = p.x - block.width / 2;
    const top = p.y - block.height / 2;
    block.leaves.forEach((id, i) => {
      const { width, height } = size(byId.get(id)!.type);
      out.set(id, { x: left + (i % block.cols) * (block.cell.width + GRID_GAP.x), y: top + Math.floor(i / block.cols) * (block.cell.height + GRID_GAP.y), width, height, inGrid: block.cols > 1 });
    });
  }
  return out;
}

/** What a layout depends on: the drawn nodes and edges (ids name their types and ends). Equal keys, equal layouts. */
export function layoutKey(view: { nodes: readonly { id: string }[]; edges: readonly { id: string }[] }): string {
  return `${view.nodes.map((n) => n.id).join("\n")}\n\n${view.edges.map((e) => e.id).join("\n")}`;
}

/** The part of the canvas the first view is placed in, in screen pixels. */
export interface CanvasBox {
  width: number;
  height: number;
  /** How much of the canvas is on screen from its top (the page may cut it): the function is centred in that part. */
  visibleHeight: number;
}

/** Below this zoom the 13–14 px labels drop under ~11 px: the first view then starts at the function instead of fitting everything. */
export const READABLE_ZOOM = 0.85;

/** A narrow canvas's first view, when the graph does not fit whole: labels at ~11 px. */
const NARROW_ZOOM = 0.8;
/** On a narrow canvas the first view zooms out, down to this, to fit the function and the nodes one move from it across the width. */
const NARROW_MIN_ZOOM = 0.55;

/**
 * The first view's viewport: everything if it fits at a readable zoom, else the function and what is
 * next to it at a readable size, the function centred in the part of the canvas on screen. On a
 * narrow canvas (a phone) the function and every node one edge from it are fitted across the width,
 * so a user sees what the function reaches, not only the function.
 */
export function readableViewport(
  positions: ReadonlyMap<string, Positioned>,
  rootId: string,
  box: CanvasBox,
  edges: readonly LayoutEdge[] = [],
): { x: number; y: number; zoom: number } | null {
  const root = positions.get(rootId);
  if (!root || box.width === 0 || box.height === 0) return null;
  const all = bounds(positions.values());
  const pad = 24;
  const fit = Math.min(1.1, (box.width - 2 * pad) / (all.maxX - all.minX), (box.height - 2 * pad) / (all.maxY - all.minY));
  if (fit >= READABLE_ZOOM) return { x: (box.width - (all.maxX - all.minX) * fit) / 2 - all.minX * fit, y: (box.height - (all.maxY - all.minY) * fit) / 2 - all.minY * fit, zoom: fit };
  // The bottom of what is on screen: the graph's last node is not left below the fold.
  const bottom = Math.max(160, Math.min(box.height, box.visibleHeight));
  const placeY = (z: number, centre: number) => Math.min(pad - all.minY * z, Math.max(bottom - pad - all.maxY * z, bottom / 2 - centre * z));
  if (densityFor(box.width) === "wide") return { x: pad - root.x * READABLE_ZOOM, y: placeY(READABLE_ZOOM, root.y + root.height / 2), zoom: READABLE_ZOOM };

  const near = [root];
  for (const e of edges) {
    const other = e.source === rootId ? e.target : e.target === rootId ? e.source : null;
    const p = other === null ? undefined : positions.get(other);
    if (p) near.push(p);
  }
  const around = bounds(near);
  const narrowPad = 12;
  const z = Math.max(NARROW_MIN_ZOOM, Math.min(NARROW_ZOOM, (box.width - 2 * narrowPad) / (around.maxX - around.minX)));
  // The function and its neighbours centred when they fit the height on screen, else the function.
  const centre = (around.maxY - around.minY) * z <= bottom - 2 * pad ? (around.minY + around.maxY) / 2 : root.y + root.height / 2;
  return { x: Math.max(narrowPad, (box.width - (around.maxX - around.minX) * z) / 2) - around.minX * z, y: placeY(z, centre), zoom: z };
}

function bounds(boxes: Iterable<Positioned>): { minX: number; minY: number; maxX: number; maxY: number } {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of boxes) {
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + p.width);
    maxY = Math.max(maxY, p.y + p.height);
  }
  return { minX, minY, maxX, maxY };
}
