"use client";

import "@xyflow/react/dist/style.css";
import {
  BaseEdge,
  Controls,
  getBezierPath,
  Handle,
  MarkerType,
  MiniMap,
  Position,
  ReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeProps,
  type ReactFlowInstance,
} from "@xyflow/react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent as ReactMouseEvent } from "react";
import {
  EDGE_FILTER_LABELS,
  EDGE_FILTERS,
  expandGroup,
  filterGraph,
  filterOfKind,
  type EdgeFilter,
  type GraphEdge,
  type GraphNode,
  type GraphView,
} from "@/components/permission-graph/graph-view-model";
import { layoutGraph } from "./layout";

/** Link to a function's detail page in the same scan. */
export function functionHref(arn: string, scanId: number): string {
  return `/functions/${encodeURIComponent(arn)}?scan=${scanId}`;
}

interface NodeData extends Record<string, unknown> {
  node: GraphNode;
  href: string | null;
  selected: boolean;
  onExpand: (() => void) | null;
}

interface EdgeData extends Record<string, unknown> {
  edge: GraphEdge;
  selected: boolean;
}

type PermissionFlowNode = Node<NodeData, "permission">;
type PermissionFlowEdge = Edge<EdgeData, "permission">;

const TYPE_WORDS: Record<GraphNode["type"], string> = {
  function: "Function",
  role: "Role",
  policy: "Policy",
  statement: "Statement",
  resource: "Resource",
  "event-source": "Event source",
  group: "Group",
};

const POLICY_KIND_WORDS = { inline: "inline", "customer-managed": "customer managed", "aws-managed": "AWS managed", boundary: "permission boundary" } as const;

function PermissionNodeView({ data }: NodeProps<PermissionFlowNode>) {
  const n = data.node;
  const classes = ["pg-node", `pg-${n.type}`];
  if (n.type === "function") classes.push(`pg-sev-${n.severity ?? "none"}`);
  if (n.root) classes.push("pg-root");
  if (n.findings?.length) classes.push("pg-cited");
  if (n.effect === "Deny") classes.push("pg-deny");
  if (data.selected) classes.push("pg-selected");
  const title = [n.detail, ...(n.findings ?? []).map((f) => `Finding: ${f.title} (${f.severity})`)].filter(Boolean).join("\n");
  const shownActions = n.actions?.slice(0, 3) ?? [];
  return (
    <div className={classes.join(" ")} title={title} data-node-type={n.type}>
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="pg-kind">
        {TYPE_WORDS[n.type]}
        {n.policyKind ? ` · ${POLICY_KIND_WORDS[n.policyKind]}` : ""}
        {n.type === "statement" && n.effect ? ` · ${n.effect}` : ""}
        {n.type === "function" && n.severity ? ` · ${n.severity}${n.riskScore != null ? ` ${n.riskScore}` : ""}` : ""}
        {n.findings?.length ? ` · ${n.findings.length} finding${n.findings.length > 1 ? "s" : ""}` : ""}
      </div>
      {data.href ? (
        <Link className="pg-label nodrag nopan" href={data.href} prefetch={false}>
          {n.label}
        </Link>
      ) : data.onExpand ? (
        <button type="button" className="pg-label pg-expand nodrag nopan" onClick={data.onExpand}>
          {n.label}
        </button>
      ) : (
        <div className="pg-label">
          <bdi>{n.label}</bdi>
        </div>
      )}
      {n.type === "statement" ? (
        <div className="pg-actions">
          {shownActions.join(", ") || "no actions"}
          {n.actions && n.actions.length > shownActions.length ? ` +${n.actions.length - shownActions.length}` : ""}
        </div>
      ) : n.type !== "group" && n.detail && n.detail !== n.label ? (
        <div className="pg-detail">{n.detail}</div>
      ) : null}
      <Handle type="source" position={Position.Right} isConnectable={false} />
    </div>
  );
}

function PermissionEdgeView(props: EdgeProps<PermissionFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, markerEnd, data } = props;
  const [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition });
  const e = data?.edge;
  const label = e ? (e.shortReason.length > 42 ? `${e.shortReason.slice(0, 41)}…` : e.shortReason) : undefined;
  return (
    <>
      {/* Native tooltip: the full reason on hover. */}
      <title>{e?.reason}</title>
      <BaseEdge
        path={path}
        labelX={labelX}
        labelY={labelY}
        label={label}
        labelStyle={{ fontSize: 10, fill: "#3b4652" }}
        labelBgStyle={{ fill: "#fff", fillOpacity: 0.85 }}
        labelBgPadding={[3, 2]}
        markerEnd={markerEnd}
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

const KIND_COLOUR: Record<string, string> = {
  read: "#2457c5",
  write: "#c2410c",
  delete: "#a3112e",
  manage: "#7e22ce",
  invoke: "#0f766e",
  update: "#a3112e",
  trigger: "#0f766e",
  pass: "#7e22ce",
  assume: "#7e22ce",
};

function edgeColour(e: GraphEdge): string {
  const f = filterOfKind(e.kind);
  return f ? KIND_COLOUR[f] : "#9aa5b1";
}

function miniMapColour(node: Node): string {
  const n = (node.data as NodeData).node;
  if (n.type === "function") return { critical: "#a3112e", high: "#c2410c", medium: "#a16207", low: "#2f6f4f" }[n.severity ?? ""] ?? "#52606d";
  if (n.findings?.length) return "#a3112e";
  return { role: "#2457c5", policy: "#7e8ba0", statement: "#c3cad4", resource: "#0f766e", "event-source": "#0f766e", group: "#a16207", function: "#52606d" }[n.type];
}

export interface PermissionGraphProps {
  graph: GraphView;
  scanId: number;
}

/**
 * The permission and blast-radius graph around one function: React Flow with a dagre layout.
 * Filtering and group expansion happen here, on the data the server sent.
 */
export function PermissionGraph({ graph, scanId }: PermissionGraphProps) {
  const router = useRouter();
  const [mounted, setMounted] = useState(false);
  const [filters, setFilters] = useState<Set<EdgeFilter>>(() => new Set(EDGE_FILTERS));
  const [category, setCategory] = useState<string>("");
  const [expanded, setExpanded] = useState<string[]>([]);
  const [selectedEdgeId, setSelectedEdgeId] = useState<string | null>(null);
  const [selectedNodeId, setSelectedNodeId] = useState<string | null>(null);
  const [hover, setHover] = useState<{ edge: GraphEdge; x: number; y: number } | null>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const flowRef = useRef<ReactFlowInstance<PermissionFlowNode, PermissionFlowEdge> | null>(null);

  // React Flow measures the DOM: render it only in the browser.
  useEffect(() => setMounted(true), []);

  const expandedView = useMemo(() => expanded.reduce((v, id) => expandGroup(v, id), graph), [graph, expanded]);
  const visible = useMemo(() => filterGraph(expandedView, { filters, category: category || null }), [expandedView, filters, category]);
  const positions = useMemo(() => layoutGraph(visible.nodes, visible.edges), [visible]);

  // Expanding a group or changing a filter re-lays the graph out: show all of it again.
  useEffect(() => {
    const frame = requestAnimationFrame(() => void flowRef.current?.fitView({ padding: 0.15, maxZoom: 1.2, duration: 200 }));
    return () => cancelAnimationFrame(frame);
  }, [visible]);

  const expand = useCallback((id: string) => {
    setExpanded((list) => (list.includes(id) ? list : [...list, id]));
    setSelectedNodeId(null);
  }, []);

  const flowNodes = useMemo<PermissionFlowNode[]>(
    () =>
      visible.nodes.map((n) => {
        const p = positions.get(n.id)!;
        return {
          id: n.id,
          type: "permission",
          position: { x: p.x, y: p.y },
          width: p.width,
          height: p.height,
          draggable: false,
          connectable: false,
          ariaLabel: `${TYPE_WORDS[n.type]} ${n.label}`,
          data: {
            node: n,
            href: n.type === "function" && n.functionArn ? functionHref(n.functionArn, scanId) : null,
            selected: n.id === selectedNodeId,
            onExpand: n.type === "group" ? () => expand(n.id) : null,
          },
        };
      }),
    [visible, positions, scanId, selectedNodeId, expand],
  );

  const flowEdges = useMemo<PermissionFlowEdge[]>(
    () =>
      visible.edges.map((e) => {
        const colour = edgeColour(e);
        const selected = e.id === selectedEdgeId;
        return {
          id: e.id,
          type: "permission",
          source: e.source,
          target: e.target,
          ariaLabel: e.reason,
          data: { edge: e, selected },
          markerEnd: { type: MarkerType.ArrowClosed, color: colour, width: 16, height: 16 },
          style: { stroke: colour, strokeWidth: selected ? 3 : 1.4, strokeDasharray: e.conditional ? "5 4" : undefined },
          zIndex: selected ? 10 : 0,
        };
      }),
    [visible, selectedEdgeId],
  );

  const selectedEdge = visible.edges.find((e) => e.id === selectedEdgeId) ?? null;
  const selectedNode = visible.nodes.find((n) => n.id === selectedNodeId) ?? null;
  const labelOf = useCallback((id: string) => expandedView.nodes.find((n) => n.id === id)?.label ?? id, [expandedView]);

  const onNodeClick = useCallback(
    (event: ReactMouseEvent, node: PermissionFlowNode) => {
      // The label link / expand button handle their own clicks.
      if ((event.target as HTMLElement).closest("a, button")) return;
      const n = node.data.node;
      if (n.type === "group") return expand(n.id);
      if (n.type === "function" && node.data.href) return router.push(node.data.href);
      setSelectedNodeId(n.id);
    },
    [expand, router],
  );

  const onEdgeClick = useCallback((_event: ReactMouseEvent, edge: PermissionFlowEdge) => {
    setSelectedEdgeId(edge.id);
  }, []);

  const trackHover = useCallback((event: ReactMouseEvent, edge: PermissionFlowEdge) => {
    const box = containerRef.current?.getBoundingClientRect();
    if (!box || !edge.data) return;
    setHover({ edge: edge.data.edge, x: event.clientX - box.left + 14, y: event.clientY - box.top + 14 });
  }, []);

  const toggle = (f: EdgeFilter) =>
    setFilters((current) => {
      const next = new Set(current);
      if (next.has(f)) next.delete(f);
      else next.add(f);
      return next;
    });

  const reset = () => {
    setFilters(new Set(EDGE_FILTERS));
    setCategory("");
    setExpanded([]);
    setSelectedEdgeId(null);
    setSelectedNodeId(null);
  };

  return (
    <div className="pg-wrap">
      <form className="pg-filters" aria-label="Graph filters" onSubmit={(e) => e.preventDefault()}>
        {FILTER_GROUPS.map((g) => (
          <fieldset key={g.legend}>
            <legend>{g.legend}</legend>
            {g.filters.map((f) => (
              <label key={f}>
                <input type="checkbox" name="kind" value={f} checked={filters.has(f)} onChange={() => toggle(f)} /> {EDGE_FILTER_LABELS[f]}
              </label>
            ))}
          </fieldset>
        ))}
        <label className="pg-category">
          Finding category
          <select value={category} onChange={(e) => setCategory(e.target.value)} aria-label="Finding category">
            <option value="">All</option>
            {graph.categories.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="secondary" onClick={reset}>
          Reset
        </button>
        <span className="pg-counts muted" aria-live="polite">
          {visible.nodes.length} nodes, {visible.edges.length} edges
          {graph.truncated.hiddenNodes > 0 ? ` · ${graph.truncated.hiddenNodes} more beyond this depth` : ""}
        </span>
      </form>
      <div className="pg-body">
        <div className="pg-canvas" ref={containerRef} aria-label="Permission graph" role="region">
          {mounted ? (
            <ReactFlow<PermissionFlowNode, PermissionFlowEdge>
              nodes={flowNodes}
              edges={flowEdges}
              nodeTypes={nodeTypes}
              edgeTypes={edgeTypes}
              onInit={(instance) => {
                flowRef.current = instance;
              }}
              onNodeClick={onNodeClick}
              onEdgeClick={onEdgeClick}
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
              onlyRenderVisibleElements={visible.nodes.length > 200}
              fitView
              fitViewOptions={{ padding: 0.15, maxZoom: 1.2 }}
              minZoom={0.05}
              maxZoom={2}
            >
              <MiniMap pannable zoomable nodeColor={miniMapColour} ariaLabel="Graph overview" />
              <Controls showInteractive={false} />
            </ReactFlow>
          ) : (
            <div className="pg-placeholder muted" aria-busy="true">
              Drawing graph…
            </div>
          )}
          {hover ? (
            <div className="pg-tooltip" role="tooltip" style={{ left: hover.x, top: hover.y }}>
              <bdi>{hover.edge.reason}</bdi>
            </div>
          ) : null}
        </div>
        <aside className="pg-side" aria-label="Graph details">
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
                  <dd className="mono">{labelOf(selectedEdge.source)}</dd>
                  <dt>To</dt>
                  <dd className="mono">{labelOf(selectedEdge.target)}</dd>
                </dl>
                <p className="pg-reason">
                  <bdi>{selectedEdge.reason}</bdi>
                </p>
              </div>
            ) : (
              <p className="muted">Click an edge to see why it exists. Hover an edge for its reason.</p>
            )}
          </section>
          {selectedNode ? (
            <section aria-labelledby="pg-node-h">
              <h2 id="pg-node-h">
                {TYPE_WORDS[selectedNode.type]} <bdi>{selectedNode.label}</bdi>
              </h2>
              {selectedNode.detail ? <p className="mono muted pg-break">{selectedNode.detail}</p> : null}
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
          <section aria-labelledby="pg-legend-h" className="pg-legend">
            <h2 id="pg-legend-h">Legend</h2>
            <ul className="plain">
              <li>
                <span className="pg-swatch pg-function pg-sev-critical" /> function (colour = risk severity); click to open it
              </li>
              <li>
                <span className="pg-swatch pg-statement pg-cited" /> statement a finding cites
              </li>
              <li>
                <span className="pg-swatch pg-group" /> group: click to show its members
              </li>
              <li>dashed edge: allowed only under conditions</li>
            </ul>
          </section>
        </aside>
      </div>
    </div>
  );
}
