/**
 * The permission graph as the UI draws it around one function: a view model over what the
 * analysis computed and the scan stored. No walk happens here: the functions drawn are exactly
 * the stored reach (`ReachedFunction[]`, one shortest path each, from the analysis' one reach
 * walk), so the graph shows what the function page lists.
 *
 * - `buildGraphView` draws the root function, its role with its policies and statements, the
 *   role's own resource and role edges (stored `Edge` rows, one hop), and the union of the paths
 *   of the reached functions up to the chosen depth. Wide fan-outs are grouped by account (functions,
 *   roles) or service (resources) into expandable group nodes.
 * - `filterGraph`, `expandGroup` and `findNodes` are what the client (and the JSON route) apply on top.
 *
 * No server-only imports: the client component imports the types and the helpers.
 */
import type { Edge, EdgeKind, ReachedFunction } from "@/lib/analysis/types";

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
  /**
   * Groups: what was collapsed, with the edge kind, the node it fans out from and what its members share.
   * `leaves` is how many drawn nodes it stands for; `members` is empty in a first view (`withoutMembers`).
   */
  group?: { kind: GraphEdgeKind; from: string; members: GroupMember[]; leaves: number; by: "account" | "service" | "kind"; key: string };
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
  /** Reached functions further than the depth shown (drawn at a larger depth). */
  truncated: { hiddenNodes: number };
  /** The stored reach: functions reached at any depth, those within the depth shown, the depth and the deepest hop. */
  reach: { total: number; shown: number; depth: number; maxHops: number };
  /** Finding categories present, for the category filter's options. */
  categories: string[];
}

/** Fan-outs above this many edges of one kind from one node are grouped (by account or service). */
export const GROUP_THRESHOLD = 12;
/** The reach walk's hop limit (lib/analysis blast radius): the depth control goes this far. */
export const MAX_DEPTH = 5;

const FUNCTION_MOVES = new Set(["can-invoke", "can-update-code", "can-update-config", "can-trigger-via"]);
const RESOURCE_KINDS = new Set(["can-read", "can-write", "can-delete", "can-manage"]);
const ROLE_MOVES = new Set(["can-pass", "can-assume", "can-create-with-role"]);

function isPattern(id: string): boolean {
  return /[*?]/.test(id);
}

/** A depth from the URL, kept within 1..maxHops (the whole reach when absent). */
export function clampDepth(depth: number | undefined, maxHops = MAX_DEPTH): number {
  const top = Math.max(1, Math.min(MAX_DEPTH, maxHops));
  if (depth === undefined || !Number.isFinite(depth)) return top;
  return Math.min(top, Math.max(1, Math.trunc(depth)));
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

function rowOfEdge(e: Edge): EdgeRow {
  return { fromNode: e.from, toNode: e.to, kind: e.kind, via: e.via ?? null, reason: e.reason, shortReason: e.shortReason, conditional: e.conditional };
}

/** The account of an ARN (`arn:aws:lambda:us-east-1:111122223333:function:x`), or null. */
export function accountOf(arn: string): string | null {
  const account = arn.split(":")[4];
  return account && /^\d{12}$/.test(account) ? account : null;
}

// ---------------------------------------------------------------------------------------------
// View

export interface BuildInput {
  rootFunctionArn: string;
  /** The root function's execution role (drawn even when the scan stored no edges). */
  rootRoleArn: string | null;
  /** Depth shown (1..maxHops). */
  depth: number;
  /** The stored reach of the root function with hops ≤ depth (the query loads exactly those). */
  reach: readonly ReachedFunction[];
  /** Functions reached at any depth. */
  reachTotal: number;
  /** The largest hop count in the stored reach (0 when it reaches nothing). */
  maxHops: number;
  /** Stored edges leaving the root role (resource access and role moves): one hop, drawn as stored. */
  roleEdges: readonly EdgeRow[];
  /** Stored `triggers` edges into the root function. */
  triggersIn: readonly EdgeRow[];
  /** Metadata of functions drawn (root, reached); unknown ARNs fall back to their name part. */
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

/**
 * Build view nodes and edges: the root's structure, its role's one-hop edges and the union of
 * the stored reach paths (every reached function within the depth is a node or a group member).
 */
export function buildGraphView(input: BuildInput): GraphView {
  const { rootFunctionArn } = input;
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

  // 1. Collect the drawn edges (deduplicated by from, to and kind) and the nodes' types and hops.
  const resources = new Map<string, { service: string; pattern: string }>();
  const types = new Map<string, GraphNodeType>([[rootFunctionArn, "function"]]);
  const hopsOf = new Map<string, number>([[rootFunctionArn, 0]]);
  const rows: EdgeRow[] = [];
  const seen = new Set<string>();
  const addRow = (row: EdgeRow, toType: GraphNodeType, hops: number) => {
    const key = `${row.fromNode}\u0000${row.toNode}\u0000${row.kind}`;
    if (row.fromNode === row.toNode || seen.has(key)) return;
    seen.add(key);
    rows.push(row);
    if (!types.has(row.toNode)) types.set(row.toNode, toType);
    if (!hopsOf.has(row.toNode) || hopsOf.get(row.toNode)! > hops) hopsOf.set(row.toNode, hops);
  };
  const typeOfTarget = (kind: string, to: string): GraphNodeType =>
    isPattern(to) || RESOURCE_KINDS.has(kind) ? "resource" : FUNCTION_MOVES.has(kind) ? "function" : kind === "executes-as" || ROLE_MOVES.has(kind) ? "role" : "resource";

  const rootRole = input.rootRoleArn;
  if (rootRole) addRow(executesAsRow(rootFunctionArn, rootRole), "role", 0);
  for (const row of input.roleEdges) {
    if (!rootRole || row.fromNode !== rootRole) continue;
    if (RESOURCE_KINDS.has(row.kind)) {
      const id = resourceNodeId(row);
      resources.set(id, { service: serviceOfResourceEdge(row), pattern: row.toNode });
      addRow({ ...row, toNode: id }, "resource", 0);
    } else if (ROLE_MOVES.has(row.kind)) addRow(row, typeOfTarget(row.kind, row.toNode), 1);
  }
  let shown = 0;
  for (const reached of input.reach) {
    if (reached.hops > input.depth || reached.arn === rootFunctionArn) continue;
    shown += 1;
    let hops = 0;
    for (const e of reached.path) {
      if (e.kind !== "executes-as") hops += 1;
      const target = e.to === reached.arn ? "function" : typeOfTarget(e.kind, e.to);
      if (!types.has(e.from)) types.set(e.from, e.from.includes(":function:") ? "function" : "role");
      addRow(rowOfEdge(e), target, hops);
    }
    types.set(reached.arn, "function");
    hopsOf.set(reached.arn, Math.min(hopsOf.get(reached.arn) ?? reached.hops, reached.hops));
  }
  for (const row of input.triggersIn) {
    if (row.kind !== "triggers" || row.toNode !== rootFunctionArn) continue;
    if (!types.has(row.fromNode)) types.set(row.fromNode, "event-source");
    hopsOf.set(row.fromNode, 0);
    const key = `${row.fromNode}\u0000${row.toNode}\u0000${row.kind}`;
    if (!seen.has(key)) {
      seen.add(key);
      rows.push(row);
    }
  }

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
    const resource = resources.get(id);
    if (resource) {
      const { service, pattern } = resource;
      const label = pattern === "*" ? `any ${service} resource` : shortLabel(pattern);
      return { id, type, label, detail: pattern, service, hops, categories: sortedUnion(cats(id), cats(pattern)) };
    }
    const label = id === "*" ? "* (anything)" : shortLabel(id);
    return { id, type, label, detail: id, hops, categories: cats(id) };
  };
  let edgeSeq = 0;
  const edgeFor = (row: EdgeRow, source = row.fromNode, target = row.toNode): GraphEdge => {
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
      categories: sortedUnion(CATEGORIES_OF_KIND[kind], cats(row.toNode), cats(resources.get(row.toNode)?.pattern ?? row.toNode)),
    };
  };

  // 2. Group wide fan-outs of leaves. A leaf has one drawn edge in and none out, so hiding it in
  //    a group never hides a path to something else.
  const outDegree = new Map<string, number>();
  const inDegree = new Map<string, number>();
  for (const row of rows) {
    outDegree.set(row.fromNode, (outDegree.get(row.fromNode) ?? 0) + 1);
    inDegree.set(row.toNode, (inDegree.get(row.toNode) ?? 0) + 1);
  }
  const isLeaf = (id: string) => id !== rootFunctionArn && !outDegree.has(id) && inDegree.get(id) === 1 && types.get(id) !== "event-source";
  const fanOuts = new Map<string, EdgeRow[]>();
  for (const row of rows) {
    if (!isLeaf(row.toNode) || row.kind === "executes-as") continue;
    const key = `${row.fromNode}\u0000${row.kind}`;
    const list = fanOuts.get(key);
    if (list) list.push(row);
    else fanOuts.set(key, [row]);
  }
  const grouped = new Set<EdgeRow>();
  const groups: { node: GraphNode; edge: GraphEdge }[] = [];
  for (const list of fanOuts.values()) {
    if (list.length <= threshold) continue;
    for (const row of list) grouped.add(row);
    const from = list[0].fromNode;
    const kind = list[0].kind as GraphEdgeKind;
    const hops = (hopsOf.get(from) ?? 0) + (RESOURCE_KINDS.has(kind) ? 0 : 1);
    const member = (row: EdgeRow): GroupMember => ({ node: nodeFor(row.toNode, types.get(row.toNode)!, hopsOf.get(row.toNode) ?? hops), edge: edgeFor(row) });
    // Functions and roles by account, resources by service: what an auditor scopes by.
    const by: "account" | "service" = RESOURCE_KINDS.has(kind) ? "service" : "account";
    const buckets = new Map<string, EdgeRow[]>();
    for (const row of list) {
      const key = by === "service" ? (resources.get(row.toNode)?.service ?? "other") : (accountOf(row.toNode) ?? "other");
      const bucket = buckets.get(key);
      if (bucket) bucket.push(row);
      else buckets.set(key, [row]);
    }
    const bucketMembers: GroupMember[] = [...buckets]
      .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : 1))
      .map(([key, bucket]) => (bucket.length === 1 ? member(bucket[0]) : groupNode(from, kind, bucket.map(member), hops, by, key)));
    // Few buckets: draw them; many: one group whose expansion shows the buckets.
    if (bucketMembers.length <= threshold && bucketMembers.length > 1) for (const m of bucketMembers) groups.push(m);
    else if (bucketMembers.length === 1) groups.push(bucketMembers[0]);
    else groups.push(groupNode(from, kind, bucketMembers, hops, "kind", kind));
  }

  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const groupedTargets = new Set([...grouped].map((r) => r.toNode));
  for (const [id, type] of types) {
    if (groupedTargets.has(id)) continue;
    if (id !== rootFunctionArn && !inDegree.has(id) && !outDegree.has(id)) continue;
    nodes.push(nodeFor(id, type, hopsOf.get(id) ?? 0));
  }
  for (const row of rows) if (!grouped.has(row)) edges.push(edgeFor(row));
  for (const g of groups) {
    nodes.push(g.node);
    edges.push(g.edge);
  }

  // Policies and statements of the root role.

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

  function groupNode(
    from: string,
    kind: GraphEdgeKind,
    members: GroupMember[],
    hops: number,
    by: "account" | "service" | "kind" = "kind",
    key: string = kind,
  ): GroupMember {
    const id = `group:${kind}:${from}${by === "kind" ? "" : `:${by}:${key}`}`;
    const noun = KIND_NOUN[kind] ?? "nodes";
    const count = members.reduce((n, m) => n + leafCount(m.node), 0);
    const categories = sortedUnion(...members.map((m) => m.node.categories), ...members.map((m) => m.edge.categories));
    const where = by === "account" ? ` in account ${key}` : by === "service" ? ` (${key})` : "";
    const label = kind === "has-statement" ? `+${count} ${noun}` : by === "service" ? `${count} ${key} ${noun}` : `${count} ${noun}`;
    const detail = by === "account" ? `account ${key}` : by === "kind" && kind !== "has-statement" ? `in ${members.length} accounts or services` : `${kind}`;
    const node: GraphNode = { id, type: "group", label, detail, hops, categories, group: { kind, from, members, leaves: count, by, key } };
    const conditional = members.every((m) => m.edge.conditional);
    const edge: GraphEdge = {
      id: `e${edgeSeq++}:${kind}`,
      source: from,
      target: id,
      kind,
      via: null,
      reason:
        kind === "has-statement"
          ? `${count} more statements of this policy that no finding cites; expand the group to see each one.`
          : `${shortLabel(from)} has ${count} ${kind} edges to ${noun}${where}; expand the group to see each edge and its reason.`,
      shortReason: `${kind} × ${count}`,
      conditional,
      categories,
    };
    return { node, edge };
  }

  const hidden = Math.max(0, input.reachTotal - shown);
  // Only categories something besides the function itself explains (deprecated-runtime has no edge to show).
  const present = new Set<string>();
  for (const n of nodes) if (n.id !== rootFunctionArn) for (const c of n.categories) present.add(c);
  for (const e of edges) for (const c of e.categories) present.add(c);
  return {
    rootId: rootFunctionArn,
    nodes,
    edges,
    truncated: { hiddenNodes: hidden },
    reach: { total: input.reachTotal, shown, depth: input.depth, maxHops: input.maxHops },
    categories: [...present].sort(),
  };
}

/** How many drawn nodes a node stands for (a group: its members', recursively). */
export function leafCount(node: GraphNode): number {
  return node.group ? node.group.leaves : 1;
}

/**
 * The view with every group's members left out: what the first view draws. The members (most of
 * the bytes: one node and one reasoned edge per grouped function) are loaded after it is on screen.
 */
export function withoutMembers<V extends GraphView>(view: V): V {
  return { ...view, nodes: view.nodes.map((n) => (n.group && n.group.members.length ? { ...n, group: { ...n.group, members: [] } } : n)) };
}

/** Whether the view holds its groups' members (false for a `withoutMembers` first view). */
export function hasMembers(view: Pick<GraphView, "nodes">): boolean {
  return view.nodes.every((n) => !n.group || n.group.leaves === 0 || n.group.members.length > 0);
}

/** Every node of the view, group members included (recursively), with the groups (outermost first) to expand to draw it. */
export function allNodes(view: Pick<GraphView, "nodes">): { node: GraphNode; groups: string[] }[] {
  const out: { node: GraphNode; groups: string[] }[] = [];
  const visit = (node: GraphNode, groups: string[]) => {
    out.push({ node, groups });
    for (const m of node.group?.members ?? []) visit(m.node, [...groups, node.id]);
  };
  for (const n of view.nodes) visit(n, []);
  return out;
}

/** Nodes whose name or ARN contains the text (case-insensitive), group members included. */
export function findNodes(view: Pick<GraphView, "nodes">, text: string): { node: GraphNode; groups: string[] }[] {
  const q = text.trim().toLowerCase();
  if (!q) return [];
  return allNodes(view).filter(({ node }) => node.type !== "group" && (node.label.toLowerCase().includes(q) || (node.detail ?? "").toLowerCase().includes(q)));
}

// ---------------------------------------------------------------------------------------------
// Client-side operations

/** Replace a group node by its members (members already drawn elsewhere are not duplicated). */
export function expandGroup(view: GraphView, groupNodeId: string): GraphView {
  const group = view.nodes.find((n) => n.id === groupNodeId && n.group);
  // A first view's group without its members loaded stays a group.
  if (!group?.group || group.group.members.length === 0) return view;
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
