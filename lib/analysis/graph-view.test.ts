import { describe, expect, it } from "vitest";
import {
  buildGraphView,
  expandGroup,
  filterGraph,
  parseEdgeFilter,
  shortLabel,
  statementNodeId,
  walkGraph,
  type EdgeRow,
  type FindingInput,
  type PolicyInput,
} from "./graph-view";

const fn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;
const role = (name: string) => `arn:aws:iam::111111111111:role/${name}`;

function edge(fromNode: string, toNode: string, kind: string, extra: Partial<EdgeRow> = {}): EdgeRow {
  return { fromNode, toNode, kind, via: null, reason: `${kind} from ${fromNode} to ${toNode}.`, shortReason: kind, conditional: false, ...extra };
}

function outgoingOf(rows: EdgeRow[]): Map<string, EdgeRow[]> {
  const map = new Map<string, EdgeRow[]>();
  for (const r of rows) map.set(r.fromNode, [...(map.get(r.fromNode) ?? []), r]);
  return map;
}

/** Every node id any of the rows starts from gets an entry, so the walk never reports "missing". */
function loaded(rows: EdgeRow[], extraIds: string[] = []): Map<string, EdgeRow[]> {
  const map = outgoingOf(rows);
  for (const r of rows) if (!map.has(r.toNode)) map.set(r.toNode, []);
  for (const id of extraIds) if (!map.has(id)) map.set(id, []);
  return map;
}

const DATA = "resource:s3:arn:aws:s3:::data/*";
const ORDERS = "resource:dynamodb:arn:aws:dynamodb:us-east-1:111111111111:table/orders";

const ORG: EdgeRow[] = [
  edge(fn("api"), role("api-role"), "executes-as"),
  edge(fn("api"), fn("worker"), "can-update-code", { reason: "Role api-role may call lambda:UpdateFunctionCode on worker (inline policy \"deploy\" statement #1 allows it)." }),
  edge(fn("api"), fn("reporter"), "can-invoke"),
  edge(role("api-role"), "arn:aws:s3:::data/*", "can-read", { shortReason: "s3 read" }),
  edge(role("api-role"), "arn:aws:dynamodb:us-east-1:111111111111:table/orders", "can-write", { shortReason: "dynamodb write" }),
  edge(role("api-role"), "*", "can-read", { shortReason: "sqs read" }),
  edge(role("api-role"), role("admin"), "can-assume"),
  edge(fn("worker"), role("worker-role"), "executes-as"),
  edge(fn("worker"), fn("billing"), "can-update-config"),
  edge(fn("billing"), role("billing-role"), "executes-as"),
  edge(fn("billing"), fn("ledger"), "can-update-code"),
  edge(fn("reporter"), role("reporter-role"), "executes-as"),
  edge(fn("reporter"), fn("secret-fn"), "can-update-code"),
  edge(role("admin"), role("root-like"), "can-assume"),
  edge(role("worker-role"), "arn:aws:s3:::worker-bucket/*", "can-read", { shortReason: "s3 read" }),
];

describe("walkGraph", () => {
  it("walks compromising moves up to the depth and counts what lies beyond", () => {
    // Given an org where api can update worker, worker can update billing, billing can update ledger
    // When walking two hops from api
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 2, outgoing: loaded(ORG), triggersIn: [] });
    // Then worker (1 hop) and billing (2 hops) are drawn, ledger (3 hops) is only counted
    expect(walk.nodes.get(fn("worker"))?.hops).toBe(1);
    expect(walk.nodes.get(fn("billing"))?.hops).toBe(2);
    expect(walk.nodes.has(fn("ledger"))).toBe(false);
    expect(walk.hiddenNodes).toBeGreaterThanOrEqual(1);
    expect(walk.missing).toEqual([]);
  });

  it("does not walk through a function that is only invoked", () => {
    // Given api can only invoke reporter, and reporter can update secret-fn
    // When walking three hops
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 3, outgoing: loaded(ORG), triggersIn: [] });
    // Then reporter is drawn but nothing behind it
    expect(walk.nodes.get(fn("reporter"))?.type).toBe("function");
    expect(walk.nodes.has(role("reporter-role"))).toBe(false);
    expect(walk.nodes.has(fn("secret-fn"))).toBe(false);
  });

  it("shows resource patterns of the function's own role only", () => {
    // Given api's role reads data/* and worker's role reads worker-bucket/*
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 3, outgoing: loaded(ORG), triggersIn: [] });
    // Then only the root role's resources are nodes
    expect(walk.nodes.get(DATA)?.type).toBe("resource");
    expect([...walk.nodes.keys()].some((id) => id.includes("worker-bucket"))).toBe(false);
  });

  it("follows assumed roles", () => {
    // Given api-role can assume admin, which can assume root-like
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 2, outgoing: loaded(ORG), triggersIn: [] });
    // Then both roles are reached, one hop apart
    expect(walk.nodes.get(role("admin"))).toMatchObject({ type: "role", hops: 1 });
    expect(walk.nodes.get(role("root-like"))).toMatchObject({ type: "role", hops: 2 });
  });

  it("reports the nodes whose edges are not loaded yet", () => {
    // Given only the root function's edges are loaded
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 2, outgoing: outgoingOf(ORG.filter((r) => r.fromNode === fn("api"))), triggersIn: [] });
    // Then the walk asks for its role and the function it can take over
    expect(walk.missing.sort()).toEqual([fn("worker"), role("api-role")].sort());
  });

  it("draws the execution role even when the scan stored no edges", () => {
    // Given an unanalysed scan: no edges at all
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 2, outgoing: loaded([], [fn("api"), role("api-role")]), triggersIn: [], rootRoleArn: role("api-role") });
    // Then the role is still there, linked by executes-as
    expect(walk.nodes.get(role("api-role"))?.type).toBe("role");
    expect(walk.rootRoleArn).toBe(role("api-role"));
    expect(walk.edges[0].kind).toBe("executes-as");
  });

  it("collapses a wide fan-out into one group and does not walk through it", () => {
    // Given api can update the code of 20 functions
    const rows = [edge(fn("api"), role("api-role"), "executes-as"), ...Array.from({ length: 20 }, (_, i) => edge(fn("api"), fn(`t${i}`), "can-update-code"))];
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 2, outgoing: loaded(rows), triggersIn: [] });
    // Then the targets are one group, not nodes, and are not expanded
    expect(walk.groups.get(`group:can-update-code:${fn("api")}`)?.edges).toHaveLength(20);
    expect(walk.nodes.has(fn("t0"))).toBe(false);
    expect(walk.missing).toEqual([]);
  });

  it("adds event sources that trigger the function", () => {
    // Given a queue triggers api
    const trigger = edge("arn:aws:sqs:us-east-1:111111111111:orders", fn("api"), "triggers", { via: "sqs" });
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 1, outgoing: loaded(ORG), triggersIn: [trigger] });
    // Then the queue is an event-source node with its edge
    expect(walk.nodes.get("arn:aws:sqs:us-east-1:111111111111:orders")?.type).toBe("event-source");
    expect(walk.edges).toContain(trigger);
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
  const walk = walkGraph({ rootFunctionArn: fn("api"), depth, outgoing: loaded(ORG), triggersIn: [] });
  return buildGraphView({
    walk,
    rootFunctionArn: fn("api"),
    functions: new Map([[fn("api"), { arn: fn("api"), name: "api", severity: "critical", riskScore: 91 }]]),
    rootPolicies: POLICIES,
    findings: FINDINGS,
  });
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
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 1, outgoing: loaded(ORG), triggersIn: [] });
    const v = buildGraphView({
      walk,
      rootFunctionArn: fn("api"),
      functions: new Map(),
      rootPolicies: [many],
      findings: [{ ...FINDINGS[0], statements: [{ kind: "inline", policyName: "big", statementIndex: 7 }] }],
    });
    const group = v.nodes.find((n) => n.type === "group");
    expect(group?.label).toBe("+19 statements");
    expect(v.nodes.some((n) => n.id === statementNodeId("inline", "big", 7))).toBe(true);
  });

  it("labels a group node with the count and the edge kind", () => {
    const rows = [edge(fn("api"), role("api-role"), "executes-as"), ...Array.from({ length: 37 }, (_, i) => edge(fn("api"), fn(`t${i}`), "can-invoke"))];
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 2, outgoing: loaded(rows), triggersIn: [] });
    const v = buildGraphView({ walk, rootFunctionArn: fn("api"), functions: new Map(), rootPolicies: [], findings: [] });
    const group = v.nodes.find((n) => n.type === "group");
    expect(group?.label).toBe("+37 functions via can-invoke");
    expect(group?.group?.members).toHaveLength(37);
    expect(group?.group?.members[0].node.type).toBe("function");
  });
});

describe("expandGroup", () => {
  it("replaces the group by its members and their edges", () => {
    const rows = [edge(fn("api"), role("api-role"), "executes-as"), ...Array.from({ length: 15 }, (_, i) => edge(fn("api"), fn(`t${i}`), "can-invoke"))];
    const walk = walkGraph({ rootFunctionArn: fn("api"), depth: 1, outgoing: loaded(rows), triggersIn: [] });
    const v = buildGraphView({ walk, rootFunctionArn: fn("api"), functions: new Map(), rootPolicies: [], findings: [] });
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
