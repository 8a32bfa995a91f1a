import { describe, expect, it } from "vitest";
import type { Edge, ReachedFunction } from "@/lib/analysis/types";
import {
  buildGraphView,
  clampDepth,
  expandGroup,
  filterGraph,
  findNodes,
  leafCount,
  parseEdgeFilter,
  shortLabel,
  statementNodeId,
  type EdgeRow,
  type FindingInput,
  type PolicyInput,
} from "./graph-view-model";

const fn = (name: string, account = "111111111111") => `arn:aws:lambda:us-east-1:${account}:function:${name}`;
const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

function edge(fromNode: string, toNode: string, kind: string, extra: Partial<EdgeRow> = {}): EdgeRow {
  return { fromNode, toNode, kind, via: null, reason: `${kind} from ${fromNode} to ${toNode}.`, shortReason: kind, conditional: false, ...extra };
}

function step(from: string, to: string, kind: Edge["kind"], reason = `${kind} from ${from} to ${to}.`): Edge {
  return { from, to, kind, reason, shortReason: kind, conditional: false };
}

const DATA = "resource:s3:arn:aws:s3:::data/*";
const ORDERS = "resource:dynamodb:arn:aws:dynamodb:us-east-1:111111111111:table/orders";

/** The root role's stored edges: resource access and role moves. */
const ROLE_EDGES: EdgeRow[] = [
  edge(role("api-role"), "arn:aws:s3:::data/*", "can-read", { shortReason: "s3 read" }),
  edge(role("api-role"), "arn:aws:dynamodb:us-east-1:111111111111:table/orders", "can-write", { shortReason: "dynamodb write" }),
  edge(role("api-role"), "*", "can-read", { shortReason: "sqs read" }),
  edge(role("api-role"), role("admin"), "can-assume"),
];

/** The stored reach of api: worker (taken over), billing behind it, ledger behind that, reporter invoked. */
const REACH: ReachedFunction[] = [
  { arn: fn("worker"), hops: 1, path: [step(fn("api"), fn("worker"), "can-update-code", "Role api-role may call lambda:UpdateFunctionCode on worker (inline policy \"deploy\" statement #1 allows it).")] },
  { arn: fn("reporter"), hops: 1, path: [step(fn("api"), fn("reporter"), "can-invoke")] },
  { arn: fn("billing"), hops: 2, path: [step(fn("api"), fn("worker"), "can-update-code"), step(fn("worker"), fn("billing"), "can-update-config")] },
  {
    arn: fn("ledger"),
    hops: 3,
    path: [step(fn("api"), fn("worker"), "can-update-code"), step(fn("worker"), fn("billing"), "can-update-config"), step(fn("billing"), fn("ledger"), "can-update-code")],
  },
];

function build(opts: { depth?: number; reach?: ReachedFunction[]; roleEdges?: EdgeRow[]; triggersIn?: EdgeRow[]; policies?: PolicyInput[]; findings?: FindingInput[] } = {}) {
  const reach = opts.reach ?? REACH;
  const maxHops = Math.max(0, ...reach.map((r) => r.hops));
  const depth = clampDepth(opts.depth, maxHops);
  return buildGraphView({
    rootFunctionArn: fn("api"),
    rootRoleArn: role("api-role"),
    depth,
    reach: reach.filter((r) => r.hops <= depth),
    reachTotal: reach.length,
    maxHops,
    roleEdges: opts.roleEdges ?? ROLE_EDGES,
    triggersIn: opts.triggersIn ?? [],
    functions: new Map([[fn("api"), { arn: fn("api"), name: "api", severity: "critical", riskScore: 91 }]]),
    rootPolicies: opts.policies ?? POLICIES,
    findings: opts.findings ?? FINDINGS,
  });
}

/** Every function the view draws or holds in a group. */
function functionsIn(v: ReturnType<typeof build>): Set<string> {
  const out = new Set<string>();
  const visit = (n: (typeof v.nodes)[number]) => {
    if (n.type === "function") out.add(n.id);
    for (const m of n.group?.members ?? []) visit(m.node);
  };
  v.nodes.forEach(visit);
  return out;
}

describe("buildGraphView from the stored reach", () => {
  it("draws every reached function within the depth, with the path to it, and counts the rest", () => {
    // Given api reaches worker and reporter at 1 hop, billing at 2, ledger at 3
    // When drawing depth 2
    const v = build({ depth: 2 });
    // Then worker, reporter and billing are drawn with the edges of their paths; ledger is counted
    expect([...functionsIn(v)].sort()).toEqual([fn("api"), fn("billing"), fn("reporter"), fn("worker")].sort());
    expect(v.edges.some((e) => e.source === fn("worker") && e.target === fn("billing") && e.kind === "can-update-config")).toBe(true);
    expect(v.truncated.hiddenNodes).toBe(1);
    expect(v.reach).toEqual({ total: 4, shown: 3, depth: 2, maxHops: 3 });
  });

  it("changes what is drawn with the depth", () => {
    const counts = [1, 2, 3].map((d) => functionsIn(build({ depth: d })).size);
    expect(counts).toEqual([3, 4, 5]);
  });

  it("shows the whole reach when no depth is given", () => {
    expect(build().reach.depth).toBe(3);
    expect(functionsIn(build()).has(fn("ledger"))).toBe(true);
  });

  it("shows the role's own resource edges and role moves", () => {
    const v = build({ depth: 1 });
    expect(v.nodes.some((n) => n.id === DATA)).toBe(true);
    expect(v.nodes.find((n) => n.id === role("admin"))?.type).toBe("role");
    expect(v.edges.some((e) => e.kind === "executes-as" && e.source === fn("api") && e.target === role("api-role"))).toBe(true);
  });

  it("groups a wide fan-out by account, every member kept", () => {
    // Given api invokes 20 functions in account A and 15 in account B
    const reach: ReachedFunction[] = [
      ...Array.from({ length: 20 }, (_, i) => ({ arn: fn(`a${i}`, "222222222222"), hops: 1, path: [step(fn("api"), fn(`a${i}`, "222222222222"), "can-invoke")] })),
      ...Array.from({ length: 15 }, (_, i) => ({ arn: fn(`b${i}`, "333333333333"), hops: 1, path: [step(fn("api"), fn(`b${i}`, "333333333333"), "can-invoke")] })),
    ];
    const v = build({ reach, roleEdges: [] });
    // Then two group nodes, one per account, hold all 35
    const groups = v.nodes.filter((n) => n.type === "group" && n.group?.kind === "can-invoke");
    expect(groups.map((g) => `${g.label} ${g.detail}`).sort()).toEqual(["15 functions account 333333333333", "20 functions account 222222222222"]);
    expect(functionsIn(v).size).toBe(36);
    expect(groups.reduce((n, g) => n + leafCount(g), 0)).toBe(35);
  });

  it("nests the account groups under one group when there are many accounts", () => {
    const reach: ReachedFunction[] = Array.from({ length: 60 }, (_, i) => {
      const account = String(100000000000 + (i % 20));
      return { arn: fn(`f${i}`, account), hops: 1, path: [step(fn("api"), fn(`f${i}`, account), "can-invoke")] };
    });
    const v = build({ reach, roleEdges: [] });
    const outer = v.nodes.filter((n) => n.type === "group" && n.group?.kind === "can-invoke");
    expect(outer).toHaveLength(1);
    expect(outer[0].label).toBe("60 functions");
    // Expanding it shows one group per account
    const expanded = expandGroup(v, outer[0].id);
    expect(expanded.nodes.filter((n) => n.type === "group" && n.group?.by === "account")).toHaveLength(20);
    expect(functionsIn(expanded).size).toBe(61);
  });

  it("never hides a function some path runs through", () => {
    // Given 14 invoked functions and one of them taken over, leading further
    const reach: ReachedFunction[] = [
      ...Array.from({ length: 14 }, (_, i) => ({ arn: fn(`t${i}`), hops: 1, path: [step(fn("api"), fn(`t${i}`), "can-update-code")] })),
      { arn: fn("deep"), hops: 2, path: [step(fn("api"), fn("t3"), "can-update-code"), step(fn("t3"), fn("deep"), "can-invoke")] },
    ];
    const v = build({ reach, roleEdges: [] });
    expect(v.nodes.find((n) => n.id === fn("t3"))?.type).toBe("function");
    expect(v.nodes.find((n) => n.id === fn("deep"))?.type).toBe("function");
  });

  it("adds event sources that trigger the function", () => {
    const trigger = edge("arn:aws:sqs:us-east-1:111111111111:orders", fn("api"), "triggers", { via: "sqs" });
    const v = build({ triggersIn: [trigger] });
    expect(v.nodes.find((n) => n.id === "arn:aws:sqs:us-east-1:111111111111:orders")?.type).toBe("event-source");
  });
});

describe("findNodes", () => {
  it("finds a node inside a group and names the groups to open", () => {
    const reach: ReachedFunction[] = Array.from({ length: 30 }, (_, i) => ({ arn: fn(`t${i}`), hops: 1, path: [step(fn("api"), fn(`t${i}`), "can-invoke")] }));
    const v = build({ reach, roleEdges: [] });
    const [hit] = findNodes(v, "T17");
    expect(hit.node.id).toBe(fn("t17"));
    expect(hit.groups).toHaveLength(1);
    expect(findNodes(v, "nothing-like-this")).toEqual([]);
  });
});

const POLICIES: PolicyInput[] = [
  {
    kind: "inline",
    name: "deploy",
    arn: null,
    statements: [
      { Sid: "Logs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: "*" },
      { Effect: "Allow", Action: "lambda:UpdateFunctionCode", Resource: "*" },
    ],
  },
  { kind: "boundary", name: "Boundary", arn: "arn:aws:iam::111111111111:policy/Boundary", statements: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] },
];

const FINDINGS: FindingInput[] = [
  {
    ruleId: "lambda-code-takeover",
    category: "privilege-escalation",
    severity: "high",
    title: "Can replace other functions' code",
    statements: [{ kind: "inline", policyName: "deploy", statementIndex: 1 }],
    resources: [fn("worker")],
    escalationTarget: null,
  },
];

function view(depth = 2) {
  return build({ depth });
}

describe("buildGraphView", () => {
  it("draws the role's policies and one node per statement, labelled by Sid or index", () => {
    const v = view();
    const labels = v.nodes.filter((n) => n.type === "statement").map((n) => n.label);
    expect(labels).toEqual(["Logs", "#1", "#0"]);
    expect(v.nodes.find((n) => n.id === "policy:boundary:arn:aws:iam::111111111111:policy/Boundary")?.policyKind).toBe("boundary");
    expect(v.edges.some((e) => e.kind === "bounded-by" && e.source === role("api-role"))).toBe(true);
  });

  it("keeps the actions as written, NotAction marked", () => {
    const v = view();
    const boundaryStatement = v.nodes.find((n) => n.id === statementNodeId("boundary", "Boundary", 0));
    expect(boundaryStatement?.actions).toEqual(["not iam:*"]);
  });

  it("highlights the statement a finding cites, with the finding", () => {
    const v = view();
    const cited = v.nodes.find((n) => n.id === statementNodeId("inline", "deploy", 1));
    expect(cited?.findings?.[0].ruleId).toBe("lambda-code-takeover");
    expect(v.nodes.find((n) => n.id === statementNodeId("inline", "deploy", 0))?.findings).toBeUndefined();
  });

  it("keeps a service's `*` apart from another service's and names it", () => {
    const v = view();
    const anySqs = v.nodes.find((n) => n.id === "resource:sqs:*");
    expect(anySqs).toMatchObject({ type: "resource", label: "any sqs resource", detail: "*", service: "sqs" });
    expect(v.nodes.find((n) => n.id === DATA)?.label).toBe("data/*");
  });

  it("carries function metadata and each edge's reason", () => {
    const v = view();
    expect(v.nodes.find((n) => n.id === fn("api"))).toMatchObject({ root: true, severity: "critical", label: "api" });
    expect(v.nodes.find((n) => n.id === fn("worker"))?.label).toBe("worker");
    const takeover = v.edges.find((e) => e.kind === "can-update-code" && e.target === fn("worker"));
    expect(takeover?.reason).toContain("lambda:UpdateFunctionCode");
    expect(takeover?.categories).toContain("privilege-escalation");
  });

  it("collapses a policy with many statements but keeps the cited one visible", () => {
    const many: PolicyInput = { kind: "inline", name: "big", arn: null, statements: Array.from({ length: 20 }, (_, i) => ({ Effect: "Allow", Action: `s3:Get${i}`, Resource: "*" })) };
    const v = build({ depth: 1, policies: [many], findings: [{ ...FINDINGS[0], statements: [{ kind: "inline", policyName: "big", statementIndex: 7 }] }] });
    const group = v.nodes.find((n) => n.type === "group");
    expect(group?.label).toBe("+19 statements");
    expect(v.nodes.some((n) => n.id === statementNodeId("inline", "big", 7))).toBe(true);
  });
});

describe("expandGroup", () => {
  it("replaces the group by its members and their edges", () => {
    const reach: ReachedFunction[] = Array.from({ length: 15 }, (_, i) => ({ arn: fn(`t${i}`), hops: 1, path: [step(fn("api"), fn(`t${i}`), "can-invoke")] }));
    const v = build({ reach, roleEdges: [], policies: [] });
    const groupIdValue = v.nodes.find((n) => n.type === "group")!.id;
    const expanded = expandGroup(v, groupIdValue);
    expect(expanded.nodes.some((n) => n.id === groupIdValue)).toBe(false);
    expect(expanded.nodes.filter((n) => n.type === "function")).toHaveLength(16);
    expect(expanded.edges.filter((e) => e.kind === "can-invoke")).toHaveLength(15);
    expect(expanded.edges.every((e) => e.target !== groupIdValue)).toBe(true);
  });
});

describe("filterGraph", () => {
  it("hides unchecked edge kinds and what is no longer connected", () => {
    const v = filterGraph(view(), { filters: ["write", "update", "assume"] });
    expect(v.nodes.some((n) => n.id === DATA)).toBe(false);
    expect(v.nodes.some((n) => n.id === ORDERS)).toBe(true);
    // Structural edges (role, policies, statements) stay.
    expect(v.nodes.some((n) => n.id === role("api-role"))).toBe(true);
    expect(v.nodes.some((n) => n.type === "statement")).toBe(true);
  });

  it("keeps only what explains a category, with the path to it", () => {
    const v = filterGraph(view(), { category: "data-exfiltration" });
    const ids = new Set(v.nodes.map((n) => n.id));
    expect(ids.has(DATA)).toBe(true);
    expect(ids.has(role("api-role"))).toBe(true);
    expect(ids.has(fn("api"))).toBe(true);
    expect(ids.has(ORDERS)).toBe(false);
    expect(ids.has(statementNodeId("inline", "deploy", 0))).toBe(false);
  });

  it("keeps the cited statement under a finding's category", () => {
    const v = filterGraph(view(), { category: "privilege-escalation" });
    const ids = new Set(v.nodes.map((n) => n.id));
    expect(ids.has(statementNodeId("inline", "deploy", 1))).toBe(true);
    expect(ids.has("policy:inline:deploy")).toBe(true);
    expect(ids.has(fn("worker"))).toBe(true);
    expect(ids.has(DATA)).toBe(false);
  });
});

describe("helpers", () => {
  it("parses filter names and edge kinds", () => {
    expect(parseEdgeFilter("read")).toBe("read");
    expect(parseEdgeFilter("can-update-config")).toBe("update");
    expect(parseEdgeFilter("can-create-with-role")).toBe("pass");
    expect(parseEdgeFilter("bogus")).toBeNull();
  });

  it("shortens ARNs to their last segment", () => {
    expect(shortLabel(fn("api"))).toBe("api");
    expect(shortLabel(role("path/app-role"))).toBe("app-role");
    expect(shortLabel("arn:aws:s3:::bucket/*")).toBe("bucket/*");
    expect(shortLabel("arn:aws:dynamodb:us-east-1:111111111111:table/orders")).toBe("orders");
  });
});
