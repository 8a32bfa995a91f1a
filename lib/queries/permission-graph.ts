import "server-only";
import {
  buildGraphView,
  clampDepth,
  filterGraph,
  walkGraph,
  type EdgeFilter,
  type EdgeRow,
  type FindingInput,
  type FunctionMeta,
  type GraphView,
  type PolicyInput,
  type StatementRefLike,
} from "@/lib/analysis/graph-view";
import type { PolicyDocument } from "@/lib/snapshot/types";
import { findingDetailsCodec } from "@/lib/store/codecs/finding-details";
import { inlinePoliciesCodec } from "@/lib/store/codecs/inline-policies";
import { managedPolicyDocumentCodec } from "@/lib/store/codecs/policy-document";
import { attachedPolicyArnsCodec } from "@/lib/store/codecs/string-list";
import { getDb } from "@/lib/server/db";

export type { GraphEdge, GraphNode, GraphView } from "@/lib/analysis/graph-view";

export interface FunctionGraphOptions {
  /** Moves from the function, 1–3 (default 2). */
  depth?: number;
  /** Edge-kind groups to keep; undefined keeps all. */
  levels?: EdgeFilter[];
  /** Finding category to focus on. */
  category?: string;
}

/** The function's graph plus what the page header needs. */
export interface FunctionGraph extends GraphView {
  scanId: number;
  depth: number;
  function: { arn: string; name: string; severity: string | null; riskScore: number | null };
}

const EDGE_SELECT = { fromNode: true, toNode: true, kind: true, via: true, reason: true, shortReason: true, conditional: true } as const;

/**
 * The permission and blast-radius graph around one function; null when the scan has no such function.
 * Edges are loaded hop by hop: the walk says which nodes it still needs, at most depth × 2 + 2 rounds.
 */
export async function getFunctionGraph(scanId: number, functionArn: string, opts: FunctionGraphOptions = {}): Promise<FunctionGraph | null> {
  const db = await getDb();
  const prisma = db.prisma;
  const fn = await prisma.lambdaFunction.findUnique({
    where: { scanId_arn: { scanId, arn: functionArn } },
    select: { arn: true, name: true, roleArn: true, accountId: true, severity: true, riskScore: true },
  });
  if (!fn) return null;
  const depth = clampDepth(opts.depth);

  const outgoing = new Map<string, EdgeRow[]>();
  const triggersIn = await prisma.edge.findMany({ where: { scanId, toNode: functionArn, kind: "triggers" }, select: EDGE_SELECT, orderBy: { id: "asc" } });
  let walk = walkGraph({ rootFunctionArn: functionArn, depth, outgoing, triggersIn, rootRoleArn: fn.roleArn });
  for (let round = 0; walk.missing.length > 0 && round < depth * 2 + 4; round++) {
    const rows = await prisma.edge.findMany({ where: { scanId, fromNode: { in: walk.missing } }, select: EDGE_SELECT, orderBy: { id: "asc" } });
    for (const id of walk.missing) outgoing.set(id, []);
    for (const row of rows) outgoing.get(row.fromNode)!.push(row);
    walk = walkGraph({ rootFunctionArn: functionArn, depth, outgoing, triggersIn, rootRoleArn: fn.roleArn });
  }

  // Function metadata for every function drawn or grouped.
  const functionIds = new Set<string>([functionArn]);
  for (const n of walk.nodes.values()) if (n.type === "function") functionIds.add(n.id);
  for (const g of walk.groups.values()) for (const e of g.edges) if (!/[*?]/.test(e.toNode)) functionIds.add(e.toNode);
  const [metaRows, role, findingRows] = await Promise.all([
    prisma.lambdaFunction.findMany({ where: { scanId, arn: { in: [...functionIds] } }, select: { arn: true, name: true, severity: true, riskScore: true } }),
    prisma.role.findUnique({ where: { scanId_arn: { scanId, arn: fn.roleArn } }, select: { inlinePolicies: true, attachedPolicyArns: true, permissionsBoundaryArn: true } }),
    prisma.finding.findMany({ where: { scanId, functionArn }, select: { ruleId: true, category: true, severity: true, title: true, details: true }, orderBy: { id: "asc" } }),
  ]);
  const functions = new Map<string, FunctionMeta>(metaRows.map((r) => [r.arn, r]));

  const rootPolicies: PolicyInput[] = [];
  if (role) {
    const roleRef = { scanId, key: fn.roleArn };
    const attached = attachedPolicyArnsCodec.decode(role.attachedPolicyArns, roleRef);
    const boundaryArn = role.permissionsBoundaryArn;
    const managedArns = [...attached, ...(boundaryArn ? [boundaryArn] : [])];
    const managed = managedArns.length
      ? await prisma.managedPolicy.findMany({ where: { scanId, accountId: fn.accountId, arn: { in: managedArns } }, select: { arn: true, name: true, document: true } })
      : [];
    const byArn = new Map(managed.map((p) => [p.arn, p]));
    const managedInput = (arn: string, kind: PolicyInput["kind"]): PolicyInput => {
      const p = byArn.get(arn);
      const doc = p ? managedPolicyDocumentCodec.decode(p.document, { scanId, key: p.arn }) : null;
      return { kind, name: p?.name ?? arn.split("/").pop() ?? arn, arn, statements: doc ? statementsOf(doc) : null };
    };
    for (const p of inlinePoliciesCodec.decode(role.inlinePolicies, roleRef)) rootPolicies.push({ kind: "inline", name: p.name, arn: null, statements: statementsOf(p.document) });
    for (const arn of attached) rootPolicies.push(managedInput(arn, arn.startsWith("arn:aws:iam::aws:policy/") ? "aws-managed" : "customer-managed"));
    if (boundaryArn) rootPolicies.push(managedInput(boundaryArn, "boundary"));
  }

  const findings: FindingInput[] = findingRows.map((f) => {
    const details = findingDetailsCodec.decode(f.details, { scanId, key: `${functionArn} ${f.ruleId}` });
    return {
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      title: f.title,
      statements: details.statements as StatementRefLike[],
      resources: details.resources,
      escalationTarget: details.escalation?.target ?? null,
    };
  });

  let view = buildGraphView({ walk, rootFunctionArn: functionArn, functions, rootPolicies, findings });
  if (opts.levels || opts.category) view = filterGraph(view, { filters: opts.levels, category: opts.category ?? null });
  return {
    ...view,
    scanId,
    depth,
    function: { arn: fn.arn, name: fn.name, severity: fn.severity, riskScore: fn.riskScore },
  };
}

/** IAM allows a single statement object in place of the array. */
function statementsOf(doc: PolicyDocument): PolicyInput["statements"] {
  const s = doc?.Statement as unknown;
  if (Array.isArray(s)) return s as NonNullable<PolicyInput["statements"]>;
  if (s && typeof s === "object") return [s as NonNullable<PolicyInput["statements"]>[number]];
  return [];
}
