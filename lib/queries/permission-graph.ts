/** The permission graph around one function, on a given store (no `server-only`: the consistency tests read it). */
import {
  buildGraphView,
  clampDepth,
  filterGraph,
  type EdgeFilter,
  type FindingInput,
  type FunctionMeta,
  type GraphView,
  type PolicyInput,
  type StatementRefLike,
} from "@/components/permission-graph/graph-view-model";
import type { PolicyDocument } from "@/lib/snapshot/types";
import { findingDetailsCodec } from "@/lib/store/codecs/finding-details";
import { inlinePoliciesCodec } from "@/lib/store/codecs/inline-policies";
import { managedPolicyDocumentCodec } from "@/lib/store/codecs/policy-document";
import { attachedPolicyArnsCodec } from "@/lib/store/codecs/string-list";
import type { Database } from "@/lib/store/db";
import { reachedFunctionsIn } from "./reach";
import { loadSuppressionOverlay } from "./suppression-overlay";
import { canonicalActionsInText } from "./action-names";
import { attachedPolicyKind } from "@/lib/snapshot/aws-managed-policy-arn";
import { accountRowsScanId, findingIdsOf, graphScanId } from "@/lib/store/shared-rows";

export type { GraphEdge, GraphNode, GraphView } from "@/components/permission-graph/graph-view-model";

export interface FunctionGraphOptions {
  /** Moves from the function, 1 to the deepest reached (default: the whole reach). */
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
 * The functions drawn are the stored reach within the depth (the list the function page shows),
 * with their stored paths; the role's own resource and role edges are its stored edges. No walk here.
 */
export async function functionGraphIn(db: Database, scanId: number, functionArn: string, opts: FunctionGraphOptions = {}): Promise<FunctionGraph | null> {
  const prisma = db.prisma;
  const fn = await prisma.functionVerdict.findUnique({
    where: { scanId_arn: { scanId, arn: functionArn } },
    select: { arn: true, name: true, roleArn: true, accountId: true, severity: true, riskScore: true },
  });
  if (!fn) return null;
  // One read of the stored reach: the depth control needs its deepest move, the graph what lies within the depth.
  const graphScan = await graphScanId(db, scanId);
  const [reach, roleEdges, triggersIn] = await Promise.all([
    reachedFunctionsIn(db, scanId, functionArn, { names: false }),
    prisma.edge.findMany({ where: { scanId: graphScan, fromNode: fn.roleArn }, select: EDGE_SELECT, orderBy: { id: "asc" } }),
    prisma.edge.findMany({ where: { scanId: graphScan, toNode: functionArn, kind: "triggers" }, select: EDGE_SELECT, orderBy: { id: "asc" } }),
  ]);
  const maxHops = reach?.deepest ?? 0;
  const depth = clampDepth(opts.depth, maxHops);
  const entries = (reach?.entries ?? []).filter((r) => r.hops <= depth);
  // Reasons name actions: shown in AWS's spelling like every other surface.
  const inAwsCase = <T extends { reason: string; shortReason: string }>(row: T): T => ({ ...row, reason: canonicalActionsInText(row.reason), shortReason: canonicalActionsInText(row.shortReason) });

  // Function metadata for every function drawn or grouped.
  const functionIds = new Set<string>([functionArn]);
  for (const r of entries) for (const e of r.path) for (const id of [e.from, e.to]) if (id.includes(":function:") && !/[*?]/.test(id)) functionIds.add(id);
  const [metaRows, role, allFindingRows, overlay] = await Promise.all([
    prisma.functionVerdict.findMany({ where: { scanId, arn: { in: [...functionIds] } }, select: { arn: true, name: true, severity: true, riskScore: true } }),
    // Where the role's account's rows are (shared-rows.ts).
    accountRowsScanId(db, scanId, fn.roleArn.split(":")[4] ?? "").then((at) =>
      prisma.role.findUnique({ where: { scanId_arn: { scanId: at, arn: fn.roleArn } }, select: { inlinePolicies: true, attachedPolicyArns: true, permissionsBoundaryArn: true } }),
    ),
    prisma.finding.findMany({ where: { id: { in: await findingIdsOf(db, scanId, [functionArn]) } }, select: { ruleId: true, category: true, severity: true, title: true, details: true, fingerprint: true }, orderBy: { id: "asc" } }),
    loadSuppressionOverlay(db, scanId),
  ]);
  // Suppressions as every surface applies them: a suppressed finding marks no statement, and a
  // function with one shows the severity and score its page shows (the overlay's one derivation).
  const suppressed = new Set(overlay.active);
  const findingRows = allFindingRows.filter((f) => !suppressed.has(f.fingerprint));
  const shown = new Map(overlay.affected.map((v) => [v.arn, v]));
  const withView = <T extends { arn: string; severity: string | null; riskScore: number | null }>(row: T): T => {
    const view = shown.get(row.arn);
    return view ? { ...row, severity: view.severity, riskScore: view.riskScore } : row;
  };
  const functions = new Map<string, FunctionMeta>(metaRows.map((r) => [r.arn, withView(r)]));
  const root = withView(fn);

  const rootPolicies: PolicyInput[] = [];
  if (role) {
    const roleRef = { scanId, key: fn.roleArn };
    const attached = attachedPolicyArnsCodec.decode(role.attachedPolicyArns, roleRef);
    const boundaryArn = role.permissionsBoundaryArn;
    const managedArns = [...attached, ...(boundaryArn ? [boundaryArn] : [])];
    const managed = managedArns.length
      ? await prisma.managedPolicy.findMany({ where: { scanId: await accountRowsScanId(db, scanId, fn.accountId), accountId: fn.accountId, arn: { in: managedArns } }, select: { arn: true, name: true, document: true } })
      : [];
    const byArn = new Map(managed.map((p) => [p.arn, p]));
    const managedInput = (arn: string, kind: PolicyInput["kind"]): PolicyInput => {
      const p = byArn.get(arn);
      const doc = p ? managedPolicyDocumentCodec.decode(p.document, { scanId, key: p.arn }) : null;
      return { kind, name: p?.name ?? arn.split("/").pop() ?? arn, arn, statements: doc ? statementsOf(doc) : null };
    };
    for (const p of inlinePoliciesCodec.decode(role.inlinePolicies, roleRef)) rootPolicies.push({ kind: "inline", name: p.name, arn: null, statements: statementsOf(p.document) });
    for (const arn of attached) rootPolicies.push(managedInput(arn, attachedPolicyKind(arn)));
    if (boundaryArn) rootPolicies.push(managedInput(boundaryArn, "boundary"));
  }

  const findings: FindingInput[] = findingRows.map((f) => {
    const details = findingDetailsCodec.decode(f.details, { scanId, key: `${functionArn} ${f.ruleId}` });
    return {
      ruleId: f.ruleId,
      category: f.category,
      severity: f.severity,
      title: canonicalActionsInText(f.title),
      statements: details.statements as StatementRefLike[],
      resources: details.resources,
      escalationTarget: details.escalation?.target ?? null,
    };
  });

  let view = buildGraphView({
    rootFunctionArn: functionArn,
    rootRoleArn: fn.roleArn,
    depth,
    reach: entries,
    reachTotal: reach?.total ?? 0,
    maxHops,
    roleEdges: roleEdges.map(inAwsCase),
    triggersIn: triggersIn.map(inAwsCase),
    functions,
    rootPolicies,
    findings,
  });
  if (opts.levels || opts.category) view = filterGraph(view, { filters: opts.levels, category: opts.category ?? null });
  return {
    ...view,
    scanId,
    depth,
    function: { arn: root.arn, name: root.name, severity: root.severity, riskScore: root.riskScore },
  };
}

/** IAM allows a single statement object in place of the array. */
function statementsOf(doc: PolicyDocument): PolicyInput["statements"] {
  const s = doc?.Statement as unknown;
  if (Array.isArray(s)) return s as NonNullable<PolicyInput["statements"]>;
  if (s && typeof s === "object") return [s as NonNullable<PolicyInput["statements"]>[number]];
  return [];
}
