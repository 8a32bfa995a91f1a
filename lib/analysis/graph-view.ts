/**
 * The permission graph as the UI draws it around one function: pure shaping over plain rows
 * (stored `Edge` rows, function metadata, the root role's policies, the function's findings).
 *
 * - `walkGraph` decides which stored edges are shown: breadth-first from the function, up to
 *   `depth` moves, with the same rules as `reachDetailed` (updating code/configuration, assuming a
 *   role or creating a function with it hands over a role; invoking or triggering only feeds input,
 *   so the walk does not continue through it). It also says which nodes' outgoing edges it still
 *   needs (`missing`), so the server can load them hop by hop.
 * - `buildGraphView` turns the walk into view nodes and edges, groups wide fan-outs into one
 *   expandable node, and tags nodes and edges with the finding categories they explain.
 * - `filterGraph` and `expandGroup` are what the client (and the JSON route) apply on top.
 *
 * No server-only imports: the client component imports the types and the filter/expand helpers.
 */
import type { EdgeKind } from "./types";

/** Stored edge kinds (lib/analysis/types.ts `EdgeKind`) plus the structural ones drawn here. */
export type GraphEdgeKind = EdgeKind | "has-policy" | "bounded-by" | "has-statement";

export type GraphNodeType = "function" | "role" | "policy" | "statement" | "resource" | "event-source" | "group";

/** The filter bar's edge-kind groups. Structural edges (executes-as, policies, statements) are always shown. */
export type EdgeFilter = "read" | "write" | "delete" | "manage" | "invoke" | "update" | "trigger" | "pass" | "assume";
export const EDGE_FILTERS: EdgeFilter[] = ["read", "write", "delete", "manage", "invoke", "update", "trigger", "pass", "assume"];

export const EDGE_FILTER_LABELS: Record<EdgeFilter, string> = {
  read: "Read",
  write: "Write",
  delete: "Delete",
  manage: "Permissions management",
  invoke: "Invoke",
  update: "Update code / config",
  trigger: "Trigger (event sources)",
  pass: "Pass role / create with role",
  assume: "Assume role",
};

const FILTER_OF_KIND: Partial<Record<GraphEdgeKind, EdgeFilter>> = {
  "can-read": "read",
  "can-write": "write",
  "can-delete": "delete",
  "can-manage": "manage",
  "can-invoke": "invoke",
  "can-update-code": "update",
  "can-update-config": "update",
  "can-trigger-via": "trigger",
  triggers: "trigger",
  "can-pass": "pass",
  "can-create-with-role": "pass",
  "can-assume": "assume",
};

/** The filter group an edge kind belongs to; null for structural edges that are always shown. */
export function filterOfKind(kind: GraphEdgeKind): EdgeFilter | null {
  return FILTER_OF_KIND[kind] ?? null;
}

/** Accepts filter names (`read`) or edge kinds (`can-read`); returns null for an unknown word. */
export function parseEdgeFilter(word: string): EdgeFilter | null {
  const w = word.trim().toLowerCase();
  if ((EDGE_FILTERS as string[]).includes(w)) return w as EdgeFilter;
  return FILTER_OF_KIND[w as GraphEdgeKind] ?? null;
}

/** A stored `Edge` row, as the query layer reads it. */
export interface EdgeRow {
  fromNode: string;
  toNode: string;
  kind: string;
  via: string | null;
  reason: string;
  shortReason: string;
  conditional: boolean;
}

export interface StatementRefLike {
  kind: string;
  policyName: string;
  statementIndex: number;
}

/** One statement as written in a policy document. */
export interface StatementInput {
  Sid?: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: unknown;
}

export interface PolicyInput {
  kind: "inline" | "customer-managed" | "aws-managed" | "boundary";
  name: string;
  arn: string | null;
  /** Null when the document could not be resolved. */
  statements: StatementInput[] | null;
}

export interface FunctionMeta {
  arn: string;
  name: string;
  severity: string | null;
  riskScore: number | null;
}

export interface FindingInput {
  ruleId: string;
  category: string;
  severity: string;
  title: string;
  statements: StatementRefLike[];
  resources: string[];
  escalationTarget: string | null;
}

/** A member of a collapsed group: the node and the edge that leads to it. */
export interface GroupMember {
  node: GraphNode;
  edge: GraphEdge;
}

/** A node as the client draws it. Plain data, serialisable. */
export interface GraphNode {
  id: string;
  type: GraphNodeType;
  label: string;
  /** Full ARN, pattern or policy kind; shown smaller and as the hover title. */
  detail: string | null;
  /** The function the page is about. */
  root?: boolean;
  /** Moves from the root function (functions and roles). */
  hops?: number;
  /** Functions: risk severity (critical/high/medium/low/info), null when not analysed. */
  severity?: string | null;
  riskScore?: number | null;
  /** Functions: ARN to link to its detail page. */
  functionArn?: string;
  /** Resources: the service whose actions reach it. */
  service?: string;
  /** Policies: inline, customer-managed, aws-managed, boundary. */
  policyKind?: PolicyInput["kind"];
  /** Statements: effect, actions as written (NotAction prefixed with `not `), resources as written. */
  effect?: string;
  actions?: string[];
  resources?: string[];
  conditional?: boolean;
  /** Statements: findings that cite this statement (drawn with a red outline). */
  findings?: { ruleId: string; title: string; severity: string; category: string }[];
  /** Finding categories this node helps explain (for the category filter). */
  categories: string[];
  /** Groups: what was collapsed, with the edge kind and the node it fans out from. */
  group?: { kind: GraphEdgeKind; from: string; members: GroupMember[] };
}

export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: GraphEdgeKind;
  via: string | null;
  /** Full sentence: which statement, which policy, which condition. */
  reason: string;
  /** A few words for the label. */
  shortReason: string;
  conditional: boolean;
  categories: string[];
}

export interface GraphView {
  rootId: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  truncated: { hiddenNodes: number };
  /** Finding categories present, for the category filter's options. */
  categories: string[];
}

/** Fan-outs above this many edges of one kind from one node are collapsed into a group node. */
export const GROUP_THRESHOLD = 12;
export const MAX_DEPTH = 3;

const FUNCTION_MOVES = new Set(["can-invoke", "can-update-code", "can-update-config", "can-trigger-via"]);
/** Function moves that hand over the target's role (reach: invoke and trigger only feed it input). */
const COMPROMISING_FUNCTION_MOVES = new Set(["can-update-code", "can-update-config"]);
const RESOURCE_KINDS = new Set(["can-read", "can-write", "can-delete", "can-manage"]);
/** Role moves that hand over the target role; can-pass alone needs a service to use it. */
const ROLE_TAKEOVER = new Set(["can-assume", "can-create-with-role"]);

function isPattern(id: string): boolean {
  return /[*?]/.test(id);
}

export function clampDepth(depth: number | undefined): number {
  if (depth === undefined || !Number.isFinite(depth)) return 2;
  return Math.min(MAX_DEPTH, Math.max(1, Math.trunc(depth)));
}

// ---------------------------------------------------------------------------------------------
// Walk

export interface WalkInput {
  rootFunctionArn: string;
  depth: number;
  /** Outgoing stored edges per node id; a missing key means "not loaded yet". */
  outgoing: ReadonlyMap<string, readonly EdgeRow[]>;
  /** Stored `triggers` edges into the root function. */
  triggersIn: readonly EdgeRow[];
  /** The root function's execution role, drawn even when the scan stored no edges (not analysed). */
  rootRoleArn?: string | null;
  groupThreshold?: number;
}

interface WalkNode {
  id: string;
  type: GraphNodeType;
  hops: number;
  /** Resource nodes: the service and the ARN pattern as the edge names it. */
  service?: string;
  pattern?: string;
}

/**
 * Resource-pattern edges are stored per (service, pattern), and `*` is one pattern for every
 * service: the node id keeps them apart, so "any s3 resource" and "any sqs resource" are two nodes.
 */
export function resourceNodeId(row: Pick<EdgeRow, "toNode" | "shortReason">): string {
  return `resource:${serviceOfResourceEdge(row)}:${row.toNode}`;
}

function serviceOfResourceEdge(row: Pick<EdgeRow, "toNode" | "shortReason">): string {
  // shortReason is `<service> <verb>` (permission-graph.ts resourceEdgeTemplates); the ARN is the fallback.
  const first = row.shortReason.split(" ")[0];
  if (first && /^[a-z0-9-]+$/.test(first)) return first;
  return row.toNode.split(":")[2] || "any";
}

export interface WalkResult {
  rootRoleArn: string | null;
  nodes: Map<string, WalkNode>;
  /** Edges to draw, each to a node in `nodes`, in discovery order. */
  edges: EdgeRow[];
  /** (from, kind) fan-outs above the threshold: their targets become one group node. */
  groups: Map<string, { from: string; kind: string; edges: EdgeRow[] }>;
  /** Resource node id → service and ARN pattern. */
  resources: Map<string, { service: string; pattern: string }>;
  /** Node ids whose outgoing edges the walk needs but `outgoing` does not have yet. */
  missing: string[];
  /** Distinct nodes one move past `depth` that were left out. */
  hiddenNodes: number;
}

/**
 * Breadth-first walk from the root function. Holders are functions taken over (or the root) and
 * roles obtained; their moves land one hop further. Targets of a collapsed fan-out are not walked
 * through: expanding the group shows them, not what lies behind them.
 */
export function walkGraph(input: WalkInput): WalkResult {
  const threshold = input.groupThreshold ?? GROUP_THRESHOLD;
  const depth = clampDepth(input.depth);
  const nodes = new Map<string, WalkNode>();
  const edges: EdgeRow[] = [];
  const groups = new Map<string, { from: string; kind: string; edges: EdgeRow[] }>();
  const missing = new Set<string>();
  const hidden = new Set<string>();
  const expanded = new Set<string>();
  const resourceInfo = new Map<string, { service: string; pattern: string }>();
  let rootRoleArn: string | null = null;

  const addNode = (id: string, type: GraphNodeType, hops: number): boolean => {
    if (nodes.has(id)) return false;
    nodes.set(id, { id, type, hops, ...resourceInfo.get(id) });
    return true;
  };
  const outOf = (id: string): readonly EdgeRow[] | null => {
    const rows = input.outgoing.get(id);
    if (!rows) {
      missing.add(id);
      return null;
    }
    return rows;
  };

  type Holder = { id: string; type: "function" | "role"; hops: number };
  addNode(input.rootFunctionArn, "function", 0);
  // One queue per hop, so a node is always expanded at its smallest hop count.
  const levels: Holder[][] = Array.from({ length: depth + 1 }, () => []);
  levels[0].push({ id: input.rootFunctionArn, type: "function", hops: 0 });
  const enqueue = (holder: Holder) => levels[holder.hops].push(holder);

  for (let hop = 0; hop <= depth; hop++) for (let i = 0; i < levels[hop].length; i++) {
    const h = levels[hop][i];
    if (expanded.has(h.id)) continue;
    expanded.add(h.id);
    let rows = outOf(h.id);
    if (!rows) continue;
    if (h.hops === 0 && h.type === "function" && input.rootRoleArn && !rows.some((r) => r.kind === "executes-as")) {
      rows = [...rows, executesAsRow(h.id, input.rootRoleArn)];
    }
    const atLimit = h.hops >= depth;
    // Moves grouped by kind so a wide fan-out becomes one group node.
    const moves = new Map<string, EdgeRow[]>();
    for (const row of rows) {
      if (row.toNode === h.id) continue;
      if (row.kind === "executes-as" && h.type === "function") {
        if (h.hops === 0) rootRoleArn = row.toNode;
        addNode(row.toNode, "role", h.hops);
        edges.push(row);
        enqueue({ id: row.toNode, type: "role", hops: h.hops });
        continue;
      }
      const isMove = h.type === "function" ? FUNCTION_MOVES.has(row.kind) : row.kind === "can-pass" || ROLE_TAKEOVER.has(row.kind);
      const isResource = h.type === "role" && h.hops === 0 && h.id === rootRoleArn && RESOURCE_KINDS.has(row.kind);
      if (!isMove && !isResource) continue;
      if (isMove && atLimit) {
        if (!nodes.has(row.toNode)) hidden.add(row.toNode);
        continue;
      }
      const drawn = isResource ? { ...row, toNode: resourceNodeId(row) } : row;
      if (isResource) resourceInfo.set(drawn.toNode, { service: serviceOfResourceEdge(row), pattern: row.toNode });
      const list = moves.get(row.kind);
      if (list) list.push(drawn);
      else moves.set(row.kind, [drawn]);
    }
    for (const [kind, list] of moves) {
      const targetHops = RESOURCE_KINDS.has(kind) ? h.hops : h.hops + 1;
      const typeOf = (row: EdgeRow): GraphNodeType =>
        RESOURCE_KINDS.has(kind) || isPattern(row.toNode) ? "resource" : FUNCTION_MOVES.has(kind) ? "function" : "role";
      if (list.length > threshold) {
        groups.set(groupId(h.id, kind), { from: h.id, kind, edges: list });
        for (const row of list) if (!nodes.has(row.toNode)) hidden.delete(row.toNode);
        continue;
      }
      for (const row of list) {
        const type = typeOf(row);
        addNode(row.toNode, type, targetHops);
        hidden.delete(row.toNode);
        edges.push(row);
        if (type === "function" && COMPROMISING_FUNCTION_MOVES.has(kind)) enqueue({ id: row.toNode, type: "function", hops: targetHops });
        if (type === "role" && ROLE_TAKEOVER.has(kind)) enqueue({ id: row.toNode, type: "role", hops: targetHops });
      }
    }
  }

  for (const row of input.triggersIn) {
    if (row.kind !== "triggers" || row.toNode !== input.rootFunctionArn) continue;
    addNode(row.fromNode, "event-source", 0);
    edges.push(row);
  }
  for (const id of nodes.keys()) hidden.delete(id);
  return { rootRoleArn, nodes, edges, groups, resources: resourceInfo, missing: [...missing], hiddenNodes: hidden.size };
}

function executesAsRow(fnArn: string, roleArn: string): EdgeRow {
  return {
    fromNode: fnArn,
    toNode: roleArn,
    kind: "executes-as",
    via: null,
    reason: `Function ${shortLabel(fnArn)} runs with the permissions of its execution role ${roleArn}.`,
    shortReason: "runs as",
    conditional: false,
  };
}

function groupId(from: string, kind: string): string {
  return `group:${kind}:${from}`;
}

// ---------------------------------------------------------------------------------------------
// View

export interface BuildInput {
  walk: WalkResult;
  rootFunctionArn: string;
  /** Metadata of functions drawn (root, reached, group members); unknown ARNs fall back to their name part. */
  functions: ReadonlyMap<string, FunctionMeta>;
  /** The root role's policies, inline then managed then boundary. */
  rootPolicies: PolicyInput[];
  findings: FindingInput[];
  groupThreshold?: number;
}

/** Finding categories an edge kind helps explain, whatever the finding names. */
const CATEGORIES_OF_KIND: Partial<Record<GraphEdgeKind, string[]>> = {
  "can-read": ["data-exfiltration", "credentials-exposure"],
  "can-write": ["data-tampering"],
  "can-delete": ["data-tampering"],
  "can-manage": ["privilege-escalation", "infrastructure-modification"],
  "can-update-code": ["privilege-escalation"],
  "can-update-config": ["privilege-escalation"],
  "can-create-with-role": ["privilege-escalation"],
  "can-pass": ["privilege-escalation"],
  "can-assume": ["privilege-escalation"],
};

const KIND_NOUN: Record<string, string> = {
  "can-invoke": "functions",
  "can-update-code": "functions",
  "can-update-config": "functions",
  "can-trigger-via": "functions",
  "can-pass": "roles",
  "can-assume": "roles",
  "can-create-with-role": "roles",
  "can-read": "resources",
  "can-write": "resources",
  "can-delete": "resources",
  "can-manage": "resources",
  "has-statement": "statements",
};

/** Last segment of an ARN (`function:name`, `role/path/name`, `table/name`). */
export function shortLabel(id: string): string {
  if (id.startsWith("arn:aws:s3:::")) return id.slice("arn:aws:s3:::".length) || id;
  const parts = id.split(":");
  if (parts.length >= 6 && parts[0] === "arn") {
    const resource = parts.slice(5).join(":");
    const slash = resource.lastIndexOf("/");
    const colon = resource.lastIndexOf(":");
    const cut = Math.max(slash, colon);
    const tail = cut >= 0 && cut < resource.length - 1 ? resource.slice(cut + 1) : resource;
    return tail === "*" ? `${parts[2] || "any"} ${resource}` : tail;
  }
  return id;
}

function asList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** `stmt:<policy kind>:<policy name>:<index>`: the key findings' statement refs are matched on. */
export function statementNodeId(kind: string, policyName: string, index: number): string {
  return `stmt:${kind}:${policyName}:${index}`;
}

function policyNodeId(p: PolicyInput): string {
  return `policy:${p.kind}:${p.arn ?? p.name}`;
}

const POLICY_WORDS: Record<PolicyInput["kind"], string> = {
  inline: "inline policy",
  "customer-managed": "customer-managed policy",
  "aws-managed": "AWS-managed policy",
  boundary: "permission boundary",
};

function sortedUnion(...lists: (readonly string[] | undefined)[]): string[] {
  const set = new Set<string>();
  for (const l of lists) for (const v of l ?? []) set.add(v);
  return [...set].sort();
}

/** Build view nodes and edges from a finished walk. */
export function buildGraphView(input: BuildInput): GraphView {
  const { walk, rootFunctionArn } = input;
  const threshold = input.groupThreshold ?? GROUP_THRESHOLD;

  // Finding categories per node id: cited statements, named resources and escalation targets.
  const categoriesOf = new Map<string, Set<string>>();
  const tag = (id: string, category: string) => {
    let set = categoriesOf.get(id);
    if (!set) categoriesOf.set(id, (set = new Set()));
    set.add(category);
  };
  const findingsOfStatement = new Map<string, NonNullable<GraphNode["findings"]>>();
  for (const f of input.findings) {
    tag(rootFunctionArn, f.category);
    for (const ref of f.statements) {
      const id = statementNodeId(ref.kind, ref.policyName, ref.statementIndex);
      tag(id, f.category);
      const list = findingsOfStatement.get(id) ?? [];
      if (!list.some((x) => x.ruleId === f.ruleId)) list.push({ ruleId: f.ruleId, title: f.title, severity: f.severity, category: f.category });
      findingsOfStatement.set(id, list);
    }
    for (const r of f.resources) tag(r, f.category);
    if (f.escalationTarget) tag(f.escalationTarget, f.category);
  }
  const cats = (id: string) => [...(categoriesOf.get(id) ?? [])].sort();

  const fnNode = (id: string, hops: number): GraphNode => {
    const meta = input.functions.get(id);
    return {
      id,
      type: "function",
      label: meta?.name ?? shortLabel(id),
      detail: id,
      hops,
      severity: meta?.severity ?? null,
      riskScore: meta?.riskScore ?? null,
      functionArn: id,
      ...(id === rootFunctionArn ? { root: true } : {}),
      categories: cats(id),
    };
  };
  const nodeFor = (id: string, type: GraphNodeType, hops: number): GraphNode => {
    if (type === "function") return fnNode(id, hops);
    if (type === "event-source") return { id, type, label: shortLabel(id), detail: id, categories: cats(id) };
    const resource = walk.resources.get(id);
    if (resource) {
      const { service, pattern } = resource;
      const label = pattern === "*" ? `any ${service} resource` : shortLabel(pattern);
      return { id, type, label, detail: pattern, service, hops, categories: sortedUnion(cats(id), cats(pattern)) };
    }
    const label = id === "*" ? "* (anything)" : shortLabel(id);
    return { id, type, label, detail: id, hops, categories: cats(id) };
  };
  let edgeSeq = 0;
  const edgeFor = (row: { fromNode: string; toNode: string; kind: string; via: string | null; reason: string; shortReason: string; conditional: boolean }, source = row.fromNode, target = row.toNode): GraphEdge => {
    const kind = row.kind as GraphEdgeKind;
    return {
      id: `e${edgeSeq++}:${kind}`,
      source,
      target,
      kind,
      via: row.via,
      reason: row.reason,
      shortReason: row.shortReason,
      conditional: row.conditional,
      categories: sortedUnion(CATEGORIES_OF_KIND[kind], cats(row.toNode), cats(walk.resources.get(row.toNode)?.pattern ?? row.toNode)),
    };
  };

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const n of walk.nodes.values()) nodes.push(nodeFor(n.id, n.type, n.hops));
  for (const row of walk.edges) edges.push(edgeFor(row));

  // Policies and statements of the root role.
  const rootRole = walk.rootRoleArn;
  if (rootRole) {
    for (const p of input.rootPolicies) {
      const pid = policyNodeId(p);
      const statementNodes: GraphNode[] = [];
      const statementEdges: GraphEdge[] = [];
      (p.statements ?? []).forEach((s, index) => {
        const sid = statementNodeId(p.kind, p.name, index);
        const found = findingsOfStatement.get(sid);
        const actions = [...asList(s.Action), ...asList(s.NotAction).map((a) => `not ${a}`)];
        const resources = [...asList(s.Resource), ...asList(s.NotResource).map((r) => `not ${r}`)];
        statementNodes.push({
          id: sid,
          type: "statement",
          label: s.Sid ? s.Sid : `#${index}`,
          detail: `${POLICY_WORDS[p.kind]} ${p.name} statement #${index}`,
          effect: s.Effect,
          actions,
          resources,
          conditional: s.Condition !== undefined && s.Condition !== null,
          ...(found ? { findings: found } : {}),
          categories: cats(sid),
        });
        const what = actions.length > 3 ? `${actions.slice(0, 3).join(", ")} and ${actions.length - 3} more` : actions.join(", ") || "no actions";
        statementEdges.push(
          edgeFor(
            {
              fromNode: pid,
              toNode: sid,
              kind: "has-statement",
              via: null,
              reason: `Statement #${index}${s.Sid ? ` (Sid ${s.Sid})` : ""} of ${POLICY_WORDS[p.kind]} "${p.name}": ${s.Effect} ${what} on ${resources.join(", ") || "no resources"}${s.Condition ? ", with conditions" : ""}.`,
              shortReason: s.Effect === "Deny" ? "denies" : "allows",
              conditional: Boolean(s.Condition),
            },
          ),
        );
      });
      const policyCategories = sortedUnion(...statementNodes.map((n) => n.categories));
      nodes.push({
        id: pid,
        type: "policy",
        label: p.name,
        detail: p.arn ?? POLICY_WORDS[p.kind],
        policyKind: p.kind,
        categories: policyCategories,
      });
      const boundary = p.kind === "boundary";
      edges.push({
        ...edgeFor({
          fromNode: rootRole,
          toNode: pid,
          kind: boundary ? "bounded-by" : "has-policy",
          via: null,
          reason: boundary
            ? `Role ${shortLabel(rootRole)} has permission boundary "${p.name}": it allows nothing the boundary does not allow.`
            : p.statements === null
              ? `Role ${shortLabel(rootRole)} has ${POLICY_WORDS[p.kind]} "${p.name}" attached, but its document could not be read (treated as granting nothing).`
              : `Role ${shortLabel(rootRole)} has ${POLICY_WORDS[p.kind]} "${p.name}" attached.`,
          shortReason: boundary ? "boundary" : p.kind === "inline" ? "inline" : "attached",
          conditional: false,
        }),
        categories: policyCategories,
      });
      // Cited statements stay visible; the rest collapse when a policy has many statements.
      const quiet = statementNodes.filter((n) => !n.findings);
      if (statementNodes.length > threshold && quiet.length > 1) {
        const loud = new Set(statementNodes.filter((n) => n.findings).map((n) => n.id));
        statementNodes.forEach((n, i) => {
          if (loud.has(n.id)) {
            nodes.push(n);
            edges.push(statementEdges[i]);
          }
        });
        const members = statementNodes.map((n, i) => ({ node: n, edge: statementEdges[i] })).filter((m) => !loud.has(m.node.id));
        const g = groupNode(pid, "has-statement", members, 0);
        nodes.push(g.node);
        edges.push(g.edge);
      } else {
        nodes.push(...statementNodes);
        edges.push(...statementEdges);
      }
    }
  }

  // Collapsed fan-outs.
  for (const g of walk.groups.values()) {
    const kind = g.kind as GraphEdgeKind;
    const from = walk.nodes.get(g.from);
    const hops = (from?.hops ?? 0) + (RESOURCE_KINDS.has(kind) ? 0 : 1);
    const members = g.edges.map((row) => {
      const type: GraphNodeType = RESOURCE_KINDS.has(kind) || isPattern(row.toNode) ? "resource" : FUNCTION_MOVES.has(kind) ? "function" : "role";
      return { node: nodeFor(row.toNode, type, hops), edge: edgeFor(row) };
    });
    const built = groupNode(g.from, kind, members, hops);
    nodes.push(built.node);
    edges.push(built.edge);
  }

  function groupNode(from: string, kind: GraphEdgeKind, members: GroupMember[], hops: number): { node: GraphNode; edge: GraphEdge } {
    const id = groupId(from, kind);
    const noun = KIND_NOUN[kind] ?? "nodes";
    const categories = sortedUnion(...members.map((m) => m.node.categories), ...members.map((m) => m.edge.categories));
    const label = kind === "has-statement" ? `+${members.length} ${noun}` : `+${members.length} ${noun} via ${kind}`;
    const node: GraphNode = { id, type: "group", label, detail: `Click to show all ${members.length}`, hops, categories, group: { kind, from, members } };
    const conditional = members.every((m) => m.edge.conditional);
    const edge: GraphEdge = {
      id: `e${edgeSeq++}:${kind}`,
      source: from,
      target: id,
      kind,
      via: null,
      reason:
        kind === "has-statement"
          ? `${members.length} more statements of this policy that no finding cites; expand the group to see each one.`
          : `${shortLabel(from)} has ${members.length} ${kind} edges to ${noun}; expand the group to see each edge and its reason.`,
      shortReason: `${members.length} × ${kind}`,
      conditional,
      categories,
    };
    return { node, edge };
  }

  // Only categories something besides the function itself explains (deprecated-runtime has no edge to show).
  const present = new Set<string>();
  for (const n of nodes) if (n.id !== rootFunctionArn) for (const c of n.categories) present.add(c);
  for (const e of edges) for (const c of e.categories) present.add(c);
  return { rootId: rootFunctionArn, nodes, edges, truncated: { hiddenNodes: walk.hiddenNodes }, categories: [...present].sort() };
}

// ---------------------------------------------------------------------------------------------
// Client-side operations

/** Replace a group node by its members (members already drawn elsewhere are not duplicated). */
export function expandGroup(view: GraphView, groupNodeId: string): GraphView {
  const group = view.nodes.find((n) => n.id === groupNodeId && n.group);
  if (!group?.group) return view;
  const ids = new Set(view.nodes.map((n) => n.id));
  const nodes = view.nodes.filter((n) => n.id !== groupNodeId);
  for (const m of group.group.members) {
    if (!ids.has(m.node.id)) {
      nodes.push(m.node);
      ids.add(m.node.id);
    }
  }
  const edges = view.edges.filter((e) => e.target !== groupNodeId && e.source !== groupNodeId);
  for (const m of group.group.members) edges.push(m.edge);
  return { ...view, nodes, edges };
}

export interface GraphFilter {
  /** Edge-kind groups to show; undefined shows all. */
  filters?: ReadonlySet<EdgeFilter> | readonly EdgeFilter[];
  /** Finding category: keep what explains it and the path from the function to it. */
  category?: string | null;
}

/**
 * Hide edges of unchecked kinds, then (with a category) keep only edges and nodes that explain
 * that category plus the path to them, then drop nodes no longer connected to the root function.
 */
export function filterGraph(view: GraphView, filter: GraphFilter): GraphView {
  const allowed = filter.filters ? new Set(filter.filters) : null;
  let edges = view.edges.filter((e) => {
    const f = filterOfKind(e.kind);
    return f === null || !allowed || allowed.has(f);
  });

  if (filter.category) {
    const c = filter.category;
    const keepEdges = new Set<GraphEdge>();
    const keepNodes = new Set<string>([view.rootId]);
    const incoming = new Map<string, GraphEdge[]>();
    for (const e of edges) {
      const list = incoming.get(e.target);
      if (list) list.push(e);
      else incoming.set(e.target, [e]);
    }
    const seeds: string[] = [];
    for (const e of edges) {
      if (filterOfKind(e.kind) !== null && e.categories.includes(c)) {
        keepEdges.add(e);
        seeds.push(e.target, e.source);
      }
    }
    for (const n of view.nodes) if (n.id !== view.rootId && n.type !== "function" && n.categories.includes(c)) seeds.push(n.id);
    // Walk back towards the root so every kept node stays connected to it.
    const seen = new Set<string>();
    while (seeds.length) {
      const id = seeds.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      keepNodes.add(id);
      if (id === view.rootId) continue;
      for (const e of incoming.get(id) ?? []) {
        if (e.kind === "triggers") continue;
        keepEdges.add(e);
        seeds.push(e.source);
      }
    }
    edges = edges.filter((e) => keepEdges.has(e) && keepNodes.has(e.source) && keepNodes.has(e.target));
  }

  // Keep what is still connected to the root (either direction: event sources point at it).
  const adjacent = new Map<string, string[]>();
  const link = (a: string, b: string) => {
    const list = adjacent.get(a);
    if (list) list.push(b);
    else adjacent.set(a, [b]);
  };
  for (const e of edges) {
    link(e.source, e.target);
    link(e.target, e.source);
  }
  const connected = new Set<string>([view.rootId]);
  const stack = [view.rootId];
  while (stack.length) {
    const id = stack.pop()!;
    for (const next of adjacent.get(id) ?? []) {
      if (!connected.has(next)) {
        connected.add(next);
        stack.push(next);
      }
    }
  }
  return {
    ...view,
    nodes: view.nodes.filter((n) => connected.has(n.id)),
    edges: edges.filter((e) => connected.has(e.source) && connected.has(e.target)),
  };
}
