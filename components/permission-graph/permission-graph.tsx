"use client";

import "@xyflow/react/dist/style.css";
import "./permission-graph.css";
import {
  BaseEdge,
  getBezierPath,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
  type ReactFlowInstance,
  type Viewport,
} from "@xyflow/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from "react";
import { createPortal } from "react-dom";
import { graphToSvg } from "./export-svg";
import { EDGE_STYLE, edgeStyleOf, NODE_STYLE, nodeKindWords, nodeSubtitle, TYPE_WORDS, type EdgeStyleKey } from "./graph-style";
import {
  EDGE_FILTER_LABELS,
  EDGE_FILTERS,
  expandGroup,
  filterGraph,
  findNodes,
  hasMembers,
  leafCount,
  type EdgeFilter,
  type GraphEdge,
  type GraphNode,
  type GraphView,
} from "./graph-view-model";
import { CANVAS_COOKIE, canvasCookieValue, type FirstViewLayout, type FirstViewStart } from "./first-view";
import { densityFor, layoutGraph, layoutKey, READABLE_ZOOM, readableViewport, type LayoutDensity, type Positioned } from "./layout";

/** Link to a function's detail page in the same scan. */
export function functionHref(arn: string, scanId: number): string {
  return `/functions/${encodeURIComponent(arn)}?scan=${scanId}`;
}

interface NodeData extends Record<string, unknown> {
  node: GraphNode;
  href: string | null;
  selected: boolean;
  match: boolean;
}

interface EdgeData extends Record<string, unknown> {
  edge: GraphEdge;
  selected: boolean;
  showLabel: boolean;
}

type PermissionFlowNode = Node<NodeData, "permission">;
type PermissionFlowEdge = Edge<EdgeData, "permission">;

function PermissionNodeView({ data }: NodeProps<PermissionFlowNode>) {
  const n = data.node;
  const classes = ["pg-node", `pg-${n.type}`];
  if (n.type === "function") classes.push(`pg-sev-${n.severity ?? "none"}`);
  if (n.root) classes.push("pg-root");
  if (n.findings?.length) classes.push("pg-cited");
  if (n.effect === "Deny") classes.push("pg-deny");
  if (data.selected) classes.push("pg-selected");
  if (data.match) classes.push("pg-match");
  // Hover shows the full ARN (or pattern) and the findings; the node itself shows the name.
  const title = [n.detail ?? n.id, ...(n.findings ?? []).map((f) => `Finding: ${f.title} (${f.severity})`)].filter(Boolean).join("\n");
  const shownActions = n.actions?.slice(0, 3) ?? [];
  const subtitle = nodeSubtitle(n);
  return (
    <div className={classes.join(" ")} title={title} data-node-type={n.type} data-node-id={n.id}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="pg-kind">{nodeKindWords(n)}</div>
      {data.href ? (
        // The node itself takes the keyboard focus (Enter opens); the link is for the mouse.
        <Link className="pg-label nodrag nopan" href={data.href} prefetch={false} tabIndex={-1}>
          <bdi>{n.label}</bdi>
        </Link>
      ) : (
        <div className={`pg-label${n.type === "group" ? " pg-expand" : ""}`}>
          <bdi>{n.label}</bdi>
        </div>
      )}
      {n.type === "statement" ? (
        <div className="pg-actions">
          {shownActions.join(", ") || "no actions"}
          {n.actions && n.actions.length > shownActions.length ? ` +${n.actions.length - shownActions.length}` : ""}
        </div>
      ) : subtitle ? (
        <div className="pg-detail">{subtitle}</div>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

function PermissionEdgeView(props: EdgeProps<PermissionFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data, style } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const e = data?.edge;
  // A label only on the selected edge: on a dense graph labels covered nodes. Every
  // edge's kind is its colour (legend); its reason is on hover, focus and in the details panel.
  const label = e && data?.showLabel ? (e.shortReason.length > 42 ? `${e.shortReason.slice(0, 41)}…` : e.shortReason) : undefined;
  return (
    <>
      {/* Native tooltip: the full reason on hover. */}
      <title>{e?.reason}</title>
      {/* Drawn under the edge; CSS shows it as the focus ring (keyboard) and the selection mark. */}
      <path d={path} className={`pg-edge-halo${data?.selected ? " pg-on" : ""}`} fill="none" />
      <BaseEdge
        path={path}
        labelX={labelX}
        labelY={labelY}
        label={label}
        labelStyle={{ fontSize: 11, fill: "#2b3440" }}
        labelBgStyle={{ fill: "#fff", fillOpacity: 0.9 }}
        labelBgPadding={[3, 2]}
        markerEnd={markerEnd}
        style={style}
        className={`pg-edge pg-edge-${e?.kind ?? "unknown"}${e?.conditional ? " pg-conditional" : ""}${data?.selected ? " pg-edge-selected" : ""}`}
        interactionWidth={16}
      />
    </>
  );
}

const nodeTypes = { permission: PermissionNodeView };
const edgeTypes = { permission: PermissionEdgeView };

const FILTER_GROUPS: { legend: string; filters: EdgeFilter[] }[] = [
  { legend: "Access levels", filters: ["read", "write", "delete", "manage"] },
  { legend: "Function moves", filters: ["invoke", "update", "trigger"] },
  { legend: "Role moves", filters: ["pass", "assume"] },
];

function miniMapColour(node: Node): string {
  const n = (node.data as NodeData).node;
  if (n.type === "function") return { critical: "#a3112e", high: "#c2410c", medium: "#a16207", low: "#2f6f4f" }[n.severity ?? ""] ?? "#52606d";
  if (n.findings?.length) return "#a3112e";
  return NODE_STYLE[n.type].stroke;
}

/** The filters a user set, as kept in the URL (`kind`, `category`, `q`). */
export interface GraphUrlState {
  kinds: EdgeFilter[] | null;
  category: string;
  q: string;
}

export interface PermissionGraphProps {
  /** The graph; its groups may come without their members (`withoutMembers`): they are then loaded after the first view. */
  graph: GraphView;
  /** The server's layout of the first view (`firstViewOf`), used while the same nodes and edges are drawn. */
  layout?: FirstViewLayout;
  /** Where the server drew the first view (`firstViewOf`): the page starts there and moves to its own canvas' view once its scripts run. */
  start?: FirstViewStart;
  scanId: number;
  functionArn: string;
  functionName: string;
  initial: GraphUrlState;
}

function download(name: string, blob: Blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function fileStem(name: string): string {
  return `${name.replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 80) || "function"}-permission-graph`;
}

/**
 * Inside React Flow (its pan and zoom exist once it is mounted): moves the view the server drew,
 * for a guessed canvas, to this canvas' own first view. Runs once, after the page's first paint.
 */
function PlaceFirstView({ place }: { place: () => Viewport | null }) {
  const { setViewport } = useReactFlow();
  useEffect(() => {
    const viewport = place();
    if (viewport) void setViewport(viewport);
    // Once, on mount.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return null;
}

/** Where a node's edges attach (left in, right out), given up front so React Flow draws edges without measuring the nodes first. */
function handlesOf(p: Positioned): NonNullable<Node["handles"]> {
  // React Flow's default handle (6 px, border included), centred on the node's side.
  const size = 6;
  return [
    { type: "target", position: Position.Left, x: -size / 2, y: p.height / 2 - size / 2, width: size, height: size },
    { type: "source", position: Position.Right, x: p.width - size / 2, y: p.height / 2 - size / 2, width: size, height: size },
  ];
}

/** The canvas box the first view is placed in: the function is centred in the part of the canvas on screen. */
function canvasBox(el: HTMLElement) {
  const r = el.getBoundingClientRect();
  return { width: r.width, height: r.height, visibleHeight: Math.min(r.height, window.innerHeight - Math.max(0, r.top)) };
}

/**
 * The permission and blast-radius graph around one function: React Flow with a dagre layout.
 * Filtering, search and group expansion happen here, on the data the server sent; the filters
 * and the search live in the URL, the depth is a server parameter (it decides the reach loaded).
 *
 * The first view is rendered on the server (React Flow's server rendering: nodes with sizes and
 * handles need no measuring), so it is on screen before any script runs; once mounted, the view
 * moves to this canvas' own first view and the graph becomes interactive.
 */
export function PermissionGraph({ graph: firstGraph, layout, start, scanId, functionArn, functionName, initial }: PermissionGraphProps) {
  const router = useRouter();
  // A new depth is a new server render (no loading screen): the depth bar says it is coming.
  const [depthPending, startDepthChange] = useTransition();
  // False on the server and until the first view is placed for this canvas.
  const [mounted, setMounted] = useState(false);
  const [miniMapBox, setMiniMapBox] = useState<HTMLDivElement | null>(null);
  // The whole graph (group members included) once loaded; until then the first view's.
  const [loaded, setLoaded] = useState<GraphView | null>(() => (hasMembers(firstGraph) ? firstGraph : null));
  const graph = loaded ?? firstGraph;
  const [pendingFind, setPendingFind] = useState(false);
  const [ready, setReady] = useState(false);
  const [filters, setFilters] = useState<Set<EdgeFilter>>(() => new Set(initial.kinds ?? EDGE_FILTERS));
  const [category, setCategory] = useState<string>(graph.categories.includes(initial.category) ? initial.category : "");
  const [query, setQuery] = useState(initial.q);
  const [matchIndex, setMatchIndex] = useState(-1);
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selectedEdgeId, setSelectedEdgeId] = useState<string | null>(null);
  const [selectedNodeId, setSelectedNodeId] = useState<string | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const [hover, setHover] = useState<{ edge: GraphEdge; x: number; y: number } | null>(null);
  const [full, setFull] = useState(false);
  // Folded on a phone (the graph then starts on the first screen): from the server when it knows the canvas is narrow, else once mounted.
  const [filtersOpen, setFiltersOpen] = useState(start?.density !== "narrow");
  const [status, setStatus] = useState("");
  // The server's guess until the canvas' width is known (mount): a phone's canvas gets the narrow layout.
  const [density, setDensity] = useState<LayoutDensity>(start?.density ?? "wide");
  const containerRef = useRef<HTMLDivElement>(null);
  const flowRef = useRef<ReactFlowInstance<PermissionFlowNode, PermissionFlowEdge> | null>(null);

  // Group members and search need the whole graph: loaded once the first view is on screen (or
  // as soon as the user asks for it), from the JSON route that serves the same view.
  const loading = useRef<Promise<void> | null>(null);
  const loadWhole = useCallback(() => {
    if (loaded || loading.current) return;
    const params = new URLSearchParams({ scan: String(scanId), arn: functionArn, depth: String(firstGraph.reach.depth) });
    loading.current = fetch(`/api/graph?${params.toString()}`)
      .then(async (res) => {
        if (!res.ok) throw new Error(((await res.json().catch(() => null)) as { error?: string } | null)?.error ?? `HTTP ${res.status}`);
        setLoaded((await res.json()) as GraphView);
      })
      .catch((error: unknown) => {
        loading.current = null;
        setStatus(`Could not load the groups' members: ${(error as Error).message}`);
      });
  }, [loaded, scanId, functionArn, firstGraph.reach.depth]);

  // Filters and search in the URL (replaceState: no server round trip), so a view can be shared.
  useEffect(() => {
    const url = new URL(window.location.href);
    const allKinds = filters.size === EDGE_FILTERS.length;
    const set = (key: string, value: string) => (value ? url.searchParams.set(key, value) : url.searchParams.delete(key));
    set("kind", allKinds ? "" : EDGE_FILTERS.filter((f) => filters.has(f)).join(",") || "none");
    set("category", category);
    set("q", query.trim());
    if (url.href !== window.location.href) window.history.replaceState(window.history.state, "", url.href);
  }, [filters, category, query]);

  const expandedView = useMemo(() => expanded.reduce((v, id) => expandGroup(v, id), graph), [graph, expanded]);
  const visible = useMemo(() => filterGraph(expandedView, { filters, category: category || null }), [expandedView, filters, category]);
  // Layouts by density and what they draw: the server's for the first view, each other one computed
  // once (a filter toggled back, or the whole graph arriving with the same first view, reuses it).
  const layouts = useRef<Map<string, Map<string, Positioned>> | null>(null);
  if (layouts.current === null) {
    layouts.current = new Map(layout ? (["wide", "narrow"] as const).map((d) => [`${d}\n${layout.key}`, new Map(layout.positions[d])]) : []);
  }
  const positionsFor = useCallback((view: GraphView, d: LayoutDensity) => {
    const cache = layouts.current!;
    const key = `${d}\n${layoutKey(view)}`;
    let placed = cache.get(key);
    if (!placed) {
      placed = layoutGraph(view.nodes, view.edges, d);
      if (cache.size >= 12) cache.delete(cache.keys().next().value!);
      cache.set(key, placed);
    }
    return placed;
  }, []);
  const positions = useMemo(() => positionsFor(visible, density), [positionsFor, visible, density]);
  const matches = useMemo(() => findNodes(expandedView, query), [expandedView, query]);
  const matchIds = useMemo(() => new Set(matches.map((m) => m.node.id)), [matches]);

  const expand = useCallback(
    (id: string) => {
      setExpanded((list) => (list.includes(id) ? list : [...list, id]));
      setSelectedNodeId(null);
      if (loaded) setStatus("Group expanded.");
      else {
        setStatus("Loading the group's members…");
        loadWhole();
      }
    },
    [loaded, loadWhole],
  );

  // The server drew the first view for a guessed canvas; once mounted, the container's size is known:
  // the view moves to this canvas' own (PlaceFirstView), and the size is kept in a cookie so the
  // server draws the next first view for it. On a phone the filters start folded, so the graph is on the first screen.
  const placeFirstView = (): Viewport | null => {
    if (window.matchMedia("(max-width: 900px)").matches) setFiltersOpen(false);
    setMounted(true);
    const el = containerRef.current;
    if (!el) return null;
    const box = canvasBox(el);
    document.cookie = `${CANVAS_COOKIE}=${canvasCookieValue(box)}; path=/; max-age=31536000; samesite=lax`;
    const d = densityFor(box.width);
    const placed = positionsFor(visible, d);
    setDensity(d);
    // Placed here: not placed again when this density's positions first render.
    placedFor.current = placed;
    return readableViewport(placed, graph.rootId, box, visible.edges);
  };

  // Drawn: React Flow's first commit has the nodes and edges at their places (fixed sizes and
  // handles, nothing to measure). Then the rest of the graph loads.
  useEffect(() => {
    if (!mounted) return;
    const frame = requestAnimationFrame(() => {
      // scripts/bench-graph.ts prints this mark beside its own check of the drawn view.
      if (performance.getEntriesByName("saltzer-graph-ready").length === 0) performance.mark("saltzer-graph-ready");
      setReady(true);
    });
    return () => cancelAnimationFrame(frame);
  }, [mounted]);
  useEffect(() => {
    if (!ready || loaded) return;
    const idle = window.requestIdleCallback ?? ((fn: () => void) => window.setTimeout(fn, 50));
    idle(() => loadWhole());
  }, [ready, loaded, loadWhole]);
  useEffect(() => {
    if (loaded && loaded !== firstGraph && expanded.length > 0) setStatus("Group expanded.");
    // Only when the whole graph arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded]);

  // Everything if it is readable, else the function and what is next to it at a readable size.
  const showReadable = useCallback(() => {
    const flow = flowRef.current;
    const el = containerRef.current;
    const viewport = el ? readableViewport(positions, graph.rootId, canvasBox(el), visible.edges) : null;
    if (flow && viewport) void flow.setViewport(viewport);
  }, [positions, graph.rootId, visible.edges]);

  // Expanding a group or changing a filter re-lays the graph out (placed readable again, once per
  // layout); a search match is brought into view and selected. The first layout is placed by the default viewport.
  const placedFor = useRef<Map<string, unknown> | null>(positions);
  useEffect(() => {
    const frame = requestAnimationFrame(() => {
      const flow = flowRef.current;
      if (!flow) return;
      if (focusTarget && positions.has(focusTarget)) {
        placedFor.current = positions;
        void flow.fitView({ nodes: [{ id: focusTarget }], maxZoom: 1.1, minZoom: READABLE_ZOOM, duration: 250 });
        setSelectedEdgeId(null);
        setSelectedNodeId(focusTarget);
        setFocusTarget(null);
      } else if (placedFor.current !== positions) {
        placedFor.current = positions;
        showReadable();
      }
    });
    return () => cancelAnimationFrame(frame);
  }, [positions, focusTarget, showReadable]);

  const flowNodes = useMemo<PermissionFlowNode[]>(
    () =>
      visible.nodes.map((n) => {
        const p = positions.get(n.id)!;
        const href = n.type === "function" && n.functionArn && !n.root ? functionHref(n.functionArn, scanId) : null;
        const action = n.type === "group" ? `, ${leafCount(n)} members: press Enter to show them` : href ? ": press Enter to open its page" : ": press Enter for details";
        return {
          id: n.id,
          type: "permission",
          position: { x: p.x, y: p.y },
          width: p.width,
          height: p.height,
          handles: handlesOf(p),
          draggable: false,
          connectable: false,
          ariaLabel: `${TYPE_WORDS[n.type]} ${n.label}${action}`,
          data: { node: n, href, selected: n.id === selectedNodeId, match: matchIds.has(n.id) },
        };
      }),
    [visible, positions, scanId, selectedNodeId, matchIds],
  );

  const flowEdges = useMemo<PermissionFlowEdge[]>(
    () =>
      visible.edges.map((e) => {
        const { colour } = edgeStyleOf(e);
        const selected = e.id === selectedEdgeId;
        // Edges into a grid of many leaves cross the grid: drawn faint, full strength when selected.
        const fan = positions.get(e.target)?.inGrid === true && !selected;
        return {
          id: e.id,
          type: "permission",
          source: e.source,
          target: e.target,
          ariaLabel: `${e.kind} edge: ${e.reason} Press Enter for details.`,
          data: { edge: e, selected, showLabel: selected },
          markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
          style: { stroke: colour, strokeWidth: selected ? 3 : 1.6, strokeDasharray: e.conditional ? "6 4" : undefined, strokeOpacity: fan ? 0.3 : 1 },
          zIndex: selected ? 10 : 0,
        };
      }),
    [visible, positions, selectedEdgeId],
  );

  const selectedEdge = visible.edges.find((e) => e.id === selectedEdgeId) ?? null;
  const selectedNode = visible.nodes.find((n) => n.id === selectedNodeId) ?? null;
  const labelOf = useCallback((id: string) => expandedView.nodes.find((n) => n.id === id)?.label ?? id, [expandedView]);

  const activateNode = useCallback(
    (n: GraphNode) => {
      if (n.type === "group") return expand(n.id);
      if (n.type === "function" && n.functionArn && !n.root) return router.push(functionHref(n.functionArn, scanId));
      setSelectedEdgeId(null);
      setSelectedNodeId(n.id);
    },
    [expand, router, scanId],
  );

  const onNodeClick = useCallback(
    (event: ReactMouseEvent, node: PermissionFlowNode) => {
      // The label link handles its own click.
      if ((event.target as HTMLElement).closest("a")) return;
      activateNode(node.data.node);
    },
    [activateNode],
  );

  const openEdge = useCallback((id: string) => {
    setSelectedEdgeId(id);
    setSelectedNodeId(null);
    setStatus("Edge details shown beside the graph.");
  }, []);

  // Enter (or Space) on a focused edge opens its details; on a focused node it does what a click does.
  const onKeyDown = useCallback(
    (event: ReactKeyboardEvent) => {
      const target = event.target as HTMLElement;
      if (event.key === "Escape") {
        if (selectedEdgeId || selectedNodeId) {
          setSelectedEdgeId(null);
          setSelectedNodeId(null);
        } else if (full) setFull(false);
        return;
      }
      if (event.key !== "Enter" && event.key !== " ") return;
      const edgeEl = target.closest<HTMLElement | SVGElement>(".react-flow__edge");
      if (edgeEl?.dataset.id) {
        event.preventDefault();
        openEdge(edgeEl.dataset.id);
        return;
      }
      const nodeEl = target.closest<HTMLElement>(".react-flow__node");
      const node = nodeEl?.dataset.id ? visible.nodes.find((n) => n.id === nodeEl.dataset.id) : undefined;
      if (node) {
        event.preventDefault();
        activateNode(node);
      }
    },
    [visible, activateNode, openEdge, selectedEdgeId, selectedNodeId, full],
  );

  const trackHover = useCallback((event: ReactMouseEvent, edge: PermissionFlowEdge) => {
    const box = containerRef.current?.getBoundingClientRect();
    if (!box || !edge.data) return;
    setHover({ edge: edge.data.edge, x: event.clientX - box.left + 14, y: event.clientY - box.top + 14 });
  }, []);

  const toggle = (f: EdgeFilter) => {
    setHover(null);
    setFilters((current) => {
      const next = new Set(current);
      if (next.has(f)) next.delete(f);
      else next.add(f);
      return next;
    });
  };

  const reset = () => {
    setFilters(new Set(EDGE_FILTERS));
    setCategory("");
    setQuery("");
    setExpanded([]);
    setSelectedEdgeId(null);
    setSelectedNodeId(null);
    setHover(null);
  };

  const findNext = () => {
    if (!loaded) {
      // Matches inside groups need the whole graph: found once it is here.
      setPendingFind(true);
      setStatus("Loading the whole graph to search it…");
      loadWhole();
      return;
    }
    if (matches.length === 0) {
      setStatus(query.trim() ? `No node matches “${query.trim()}”.` : "");
      return;
    }
    const next = (matchIndex + 1) % matches.length;
    setMatchIndex(next);
    const m = matches[next];
    if (m.groups.length) setExpanded((list) => [...list, ...m.groups.filter((g) => !list.includes(g))]);
    setFocusTarget(m.node.id);
    setStatus(`Match ${next + 1} of ${matches.length}: ${m.node.label}`);
  };

  useEffect(() => {
    if (!loaded || !pendingFind) return;
    setPendingFind(false);
    findNext();
    // Once, when the whole graph arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [loaded, pendingFind]);

  const svgText = () => graphToSvg({ title: `Permission graph: ${functionName}`, nodes: visible.nodes, edges: visible.edges, positions });

  const exportSvg = () => {
    download(`${fileStem(functionName)}.svg`, new Blob([svgText()], { type: "image/svg+xml" }));
    setStatus("SVG exported.");
  };

  const exportPng = () => {
    const svg = svgText();
    const img = new Image();
    img.onload = () => {
      // Twice the size for sharp text, within the largest canvas browsers allow.
      const scale = Math.min(2, 16_000 / Math.max(img.width, img.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.round(img.width * scale);
      canvas.height = Math.round(img.height * scale);
      const ctx = canvas.getContext("2d");
      if (!ctx) return setStatus("PNG export failed: this browser gave no canvas.");
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      canvas.toBlob((blob) => {
        if (!blob) return setStatus("PNG export failed: the graph is too large for a PNG; export SVG instead.");
        download(`${fileStem(functionName)}.png`, blob);
        setStatus("PNG exported.");
      }, "image/png");
    };
    img.onerror = () => setStatus("PNG export failed; export SVG instead.");
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  };

  // The server renders plain links; a click keeps the filters the user set since (they live in the URL).
  const depthHref = (d: number, search = "") => {
    const params = new URLSearchParams(search);
    params.set("scan", String(scanId));
    params.set("depth", String(d));
    return `/functions/${encodeURIComponent(functionArn)}/graph?${params.toString()}`;
  };
  const depths = Array.from({ length: Math.max(1, graph.reach.maxHops) }, (_, i) => i + 1);
  const usedStyles = new Set<EdgeStyleKey>(visible.edges.map((e) => edgeStyleOf(e).key));

  return (
    <div className={`pg-wrap${full ? " pg-full" : ""}`} data-graph-ready={ready ? "true" : undefined} onKeyDown={onKeyDown}>
      <div className="pg-toolbar">
        <nav className="pg-depth" aria-label="Depth">
          <span id="pg-depth-label">Moves from the function:</span>
          {depths.map((d) =>
            d === graph.reach.depth ? (
              <strong key={d} aria-current="true" className="pg-depth-current">
                {d}
              </strong>
            ) : (
              <Link
                key={d}
                href={depthHref(d)}
                // A prefetch would have the server build the graph at that depth while this one draws.
                prefetch={false}
                aria-label={`Depth ${d}`}
                onClick={(e) => {
                  e.preventDefault();
                  startDepthChange(() => router.push(depthHref(d, window.location.search)));
                }}
              >
                {d}
              </Link>
            ),
          )}
          <span className="muted pg-depth-pending" aria-live="polite">
            {depthPending ? "Drawing…" : ""}
          </span>
        </nav>
        <form
          className="pg-search"
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            findNext();
          }}
        >
          <label htmlFor="pg-search-input">Find a node</label>
          <input
            id="pg-search-input"
            type="search"
            value={query}
            placeholder="name or ARN"
            onChange={(e) => {
              setQuery(e.target.value);
              setMatchIndex(-1);
            }}
          />
          <button type="submit" className="secondary small">
            {matchIndex >= 0 ? "Next match" : "Find"}
          </button>
          {query.trim() ? (
            <span className="muted pg-match-count" data-testid="search-count">
              {loaded ? `${matches.length} match${matches.length === 1 ? "" : "es"}` : "searching…"}
            </span>
          ) : null}
        </form>
        <div className="pg-actions-bar">
          <button type="button" className="secondary small" onClick={() => void flowRef.current?.zoomIn({ duration: 150 })} aria-label="Zoom in">
            +
          </button>
          <button type="button" className="secondary small" onClick={() => void flowRef.current?.zoomOut({ duration: 150 })} aria-label="Zoom out">
            −
          </button>
          <button type="button" className="secondary small" onClick={() => void flowRef.current?.fitView({ padding: 0.05, duration: 200 })}>
            Show all
          </button>
          <button type="button" className="secondary small" onClick={() => setFull((f) => !f)} aria-pressed={full}>
            {full ? "Exit full screen" : "Full screen"}
          </button>
          <button type="button" className="secondary small" onClick={exportSvg}>
            Export SVG
          </button>
          <button type="button" className="secondary small" onClick={exportPng}>
            Export PNG
          </button>
        </div>
      </div>
      <details className="pg-filter-box" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
        <summary>
          Filters: {filters.size === EDGE_FILTERS.length ? "every edge kind" : `${filters.size} of ${EDGE_FILTERS.length} edge kinds`}
          {category ? ` · ${category}` : ""}
          <span className="muted"> · {visible.nodes.length} nodes, {visible.edges.length} edges</span>
        </summary>
        <form className="pg-filters" aria-label="Graph filters" onSubmit={(e) => e.preventDefault()}>
        {FILTER_GROUPS.map((g) => (
          <fieldset key={g.legend}>
            <legend>{g.legend}</legend>
            {g.filters.map((f) => (
              <label key={f}>
                <input type="checkbox" name="kind" value={f} checked={filters.has(f)} onChange={() => toggle(f)} />
                <span className="pg-key-line" style={{ borderTopColor: EDGE_STYLE[f].colour }} aria-hidden="true" />
                {EDGE_FILTER_LABELS[f]}
              </label>
            ))}
          </fieldset>
        ))}
        <label className="pg-category">
          Finding category
          <select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All</option>
            {graph.categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary small" onClick={reset}>
          Reset
        </button>
        <span className="pg-counts muted" data-testid="graph-counts">
          {visible.nodes.length} nodes, {visible.edges.length} edges
          {graph.truncated.hiddenNodes > 0 ? ` · ${graph.truncated.hiddenNodes} more functions beyond this depth` : ""}
        </span>
        </form>
      </details>
      <p className="visually-hidden" aria-live="polite">
        {status}
      </p>
      <div className="pg-body">
        <div className="pg-canvas" ref={containerRef} aria-label="Permission graph: Tab moves through nodes and edges, Enter opens one" role="region">
          {/* Before the scripts run, the server's first view is placed by this rule (React Flow's
              store starts at the origin; its pan and zoom exist only once mounted). */}
          {!mounted && start?.viewport ? (
            <style>{`.pg-canvas .react-flow__viewport{transform:translate(${start.viewport.x}px,${start.viewport.y}px) scale(${start.viewport.zoom})!important}`}</style>
          ) : null}
            <ReactFlow<PermissionFlowNode, PermissionFlowEdge>
              nodes={flowNodes}
              edges={flowEdges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              defaultViewport={start?.viewport ?? undefined}
              onInit={(instance) => {
                flowRef.current = instance;
                // Placed by PlaceFirstView unless the layout changed since (the effect above waits for this instance).
                if (placedFor.current !== positions) {
                  placedFor.current = positions;
                  showReadable();
                }
              }}
              onNodeClick={onNodeClick}
              onEdgeClick={(_e, edge) => openEdge(edge.id)}
              onEdgeMouseEnter={trackHover}
              onEdgeMouseMove={trackHover}
              onEdgeMouseLeave={() => setHover(null)}
              onPaneClick={() => {
                setSelectedEdgeId(null);
                setSelectedNodeId(null);
              }}
              nodesDraggable={false}
              nodesConnectable={false}
              elementsSelectable
              edgesFocusable
              nodesFocusable
              // Not on the server: it culls by the store's viewport, which starts at the origin there.
              onlyRenderVisibleElements={mounted && visible.nodes.length > 200}
              minZoom={0.05}
              maxZoom={2}
              proOptions={{ hideAttribution: true }}
            >
              <PlaceFirstView place={placeFirstView} />
              {/* Drawn in the side panel (outside the canvas, so it never covers a node), inside React Flow's store. */}
              {mounted && miniMapBox
                ? createPortal(
                    <MiniMap pannable zoomable nodeColor={miniMapColour} ariaLabel="Graph overview: drag to move the view" bgColor="#fbfcfd" maskColor="rgba(20,33,61,0.12)" />,
                    miniMapBox,
                  )
                : null}
            </ReactFlow>
          {hover ? (
            <div className="pg-tooltip" role="tooltip" style={{ left: hover.x, top: hover.y }}>
              <bdi>{hover.edge.reason}</bdi>
            </div>
          ) : null}
        </div>
        {/* It scrolls when the details and legend are taller than the canvas: tabIndex lets the keyboard scroll it. */}
        <aside className="pg-side" aria-label="Graph details" tabIndex={0}>
          <section aria-labelledby="pg-edge-h">
            <h2 id="pg-edge-h">Edge details</h2>
            {selectedEdge ? (
              <div className="pg-edge-details" data-testid="edge-details">
                <p>
                  <span className="badge kind">{selectedEdge.kind}</span>
                  {selectedEdge.via ? <span className="badge kind">via {selectedEdge.via}</span> : null}
                  {selectedEdge.conditional ? <span className="badge sev-medium">conditional</span> : null}
                </p>
                <dl className="pg-kv">
                  <dt>From</dt>
                  <dd className="mono">
                    <bdi>{labelOf(selectedEdge.source)}</bdi>
                  </dd>
                  <dt>To</dt>
                  <dd className="mono">
                    <bdi>{labelOf(selectedEdge.target)}</bdi>
                  </dd>
                </dl>
                <p className="pg-reason">
                  <bdi>{selectedEdge.reason}</bdi>
                </p>
              </div>
            ) : (
              <p className="muted">Select an edge (click, or Tab to it and press Enter) to see why it exists.</p>
            )}
          </section>
          {selectedNode ? (
            <section aria-labelledby="pg-node-h" data-testid="node-details">
              <h2 id="pg-node-h">
                {TYPE_WORDS[selectedNode.type]} <bdi>{selectedNode.label}</bdi>
              </h2>
              {selectedNode.detail ? <p className="mono muted pg-break">{selectedNode.detail}</p> : null}
              {selectedNode.type === "function" && selectedNode.functionArn && !selectedNode.root ? (
                <p>
                  <Link href={functionHref(selectedNode.functionArn, scanId)}>Open its page</Link>
                </p>
              ) : null}
              {selectedNode.type === "statement" ? (
                <>
                  <p>
                    <strong>{selectedNode.effect}</strong>
                    {selectedNode.conditional ? " (with conditions)" : ""}
                  </p>
                  <h3>Actions</h3>
                  <ul className="plain mono">
                    {(selectedNode.actions ?? []).map((a) => (
                      <li key={a}>{a}</li>
                    ))}
                  </ul>
                  <h3>Resources</h3>
                  <ul className="plain mono pg-break">
                    {(selectedNode.resources ?? []).map((r) => (
                      <li key={r}>{r}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {selectedNode.findings?.length ? (
                <>
                  <h3>Findings citing this statement</h3>
                  <ul className="plain">
                    {selectedNode.findings.map((f) => (
                      <li key={f.ruleId}>
                        <span className={`badge sev-${f.severity}`}>{f.severity}</span> <bdi>{f.title}</bdi>
                      </li>
                    ))}
                  </ul>
                </>
              ) : null}
            </section>
          ) : null}
          <section aria-labelledby="pg-map-h" className="pg-map-section">
            <h2 id="pg-map-h">Overview</h2>
            <div className="pg-minimap" ref={setMiniMapBox} />
          </section>
          <section aria-labelledby="pg-legend-h" className="pg-legend" data-testid="graph-legend">
            <h2 id="pg-legend-h">Legend</h2>
            <h3>Edges</h3>
            <ul className="plain">
              {(Object.keys(EDGE_STYLE) as EdgeStyleKey[]).map((key) => (
                <li key={key} className={usedStyles.has(key) ? undefined : "pg-unused"}>
                  <svg width="34" height="10" aria-hidden="true">
                    <line x1="1" y1="5" x2="27" y2="5" stroke={EDGE_STYLE[key].colour} strokeWidth="2.2" />
                    <path d="M26,1 L33,5 L26,9 z" fill={EDGE_STYLE[key].colour} />
                  </svg>
                  {EDGE_STYLE[key].label}
                </li>
              ))}
              <li>
                <svg width="34" height="10" aria-hidden="true">
                  <line x1="1" y1="5" x2="27" y2="5" stroke="#52606d" strokeWidth="2.2" strokeDasharray="6 4" />
                  <path d="M26,1 L33,5 L26,9 z" fill="#52606d" />
                </svg>
                Dashed: allowed only when its conditions hold
              </li>
              <li>
                <svg width="34" height="12" aria-hidden="true">
                  <line x1="1" y1="6" x2="27" y2="6" stroke="#f59e0b" strokeOpacity="0.6" strokeWidth="8" />
                  <line x1="1" y1="6" x2="27" y2="6" stroke="#52606d" strokeWidth="2.2" />
                </svg>
                Highlighted: the selected or focused edge
              </li>
            </ul>
            <h3>Nodes</h3>
            <ul className="plain">
              {(Object.keys(NODE_STYLE) as GraphNode["type"][]).map((type) => (
                <li key={type}>
                  <span
                    className="pg-swatch"
                    style={{ background: NODE_STYLE[type].fill, borderColor: NODE_STYLE[type].stroke, borderStyle: type === "group" || type === "event-source" ? "dashed" : "solid" }}
                  />
                  {NODE_STYLE[type].label}
                </li>
              ))}
            </ul>
          </section>
        </aside>
      </div>
    </div>
  );
}

