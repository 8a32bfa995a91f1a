/**
 * The whole analysis of a snapshot: per function its effective permissions, escalation paths,
 * findings, blast radius, risk score and recommended policy, plus the org-wide graph.
 * Work keyed by role (effective permissions, graph capabilities) is shared by every function
 * executing as that role, so the cost follows distinct roles, not functions.
 */
import type { Snapshot } from "@/lib/snapshot/types";
import { evaluateRulesCached, type RuleHitCache } from "@/lib/rules/index";
import { loadAccessLevels } from "@/lib/analysis/policy/access-levels";
import { actionUniverse } from "@/lib/analysis/policy/action-expansion";
import { blastRadius, releaseSummaries } from "@/lib/analysis/graph/blast-radius";
import { createPermissionsCache, effectivePermissions } from "@/lib/analysis/policy/effective-permissions";
import { findEscalationPaths, roleEscalationMoves } from "@/lib/analysis/escalation/escalation-paths";
import { buildPermissionGraph, streamPermissionGraph, type PermissionGraph } from "@/lib/analysis/graph/edges";
import { releaseWalks, roleReach } from "@/lib/analysis/graph/reach";
import { allowedActionBits } from "@/lib/analysis/policy/permission-queries";
import { actionCount, countOutsideServices } from "@/lib/analysis/policy/action-bits";
import { recommendPolicy } from "@/lib/analysis/recommend/recommend-policy";
import { riskScore } from "@/lib/analysis/risk-score";
import { indexSnapshot } from "@/lib/analysis/snapshot-index";
import type { BlastRadius, EffectivePermissions, Edge, FunctionAnalysis, Finding, RiskScore } from "@/lib/analysis/types";
import { functionSeverity, incompleteExplanation, incompleteInputs, PUBLIC_INVOKE_RULE, type IncompleteInput } from "@/lib/analysis/verdicts";
import type { ServiceLastAccessed } from "@/lib/snapshot/types";

export interface SnapshotAnalysis {
  functions: Map<string, FunctionAnalysis>;
  edges: Edge[];
  stats: { functions: number; roles: number; distinctPermissionSets: number; findings: number };
}

export interface AnalyzeOptions {
  /** Reference time for date-based rules (ISO); defaults to now. */
  now?: string;
  onProgress?: (fraction: number, message: string) => void;
  /**
   * Analyse only the functions of these accounts (an incremental rescan reuses the others'
   * stored results). The whole snapshot is still indexed: their analysis reads other accounts.
   */
  onlyAccounts?: ReadonlySet<string>;
  /**
   * With `onlyAccounts`: the blast radius an earlier scan with the same organization-level inputs
   * stored for these functions (lib/jobs/analysis-inputs.ts). When every analysed function has
   * one, the org-wide graph is not built: the radius (and its escalation paths) is what it would
   * compute, and the role reach is left out (the store copies it).
   */
  storedBlastRadius?: ReadonlyMap<string, BlastRadius>;
  /**
   * false: each blast radius leaves out its first reached functions and their paths, keeping their
   * count. The store keeps none of them (lib/store/scan-rows.ts): a role's stored reach lists them all.
   */
  listReachedFunctions?: boolean;
}

const PROGRESS_EVERY = 250;

/** Loads the IAM action data every analysis reads; a worker started ahead of its input does it while the snapshot is read. */
export async function loadAnalysisData(): Promise<void> {
  await loadAccessLevels();
  actionUniverse();
}

/** The whole analysis, kept in memory (tests, `saltzer check`). Scans stream it instead. */
export async function analyzeSnapshot(snapshot: Snapshot, options: AnalyzeOptions = {}): Promise<SnapshotAnalysis> {
  const functions = new Map<string, FunctionAnalysis>();
  const { edges, stats } = await streamAnalysis(snapshot, options, (result) => {
    functions.set(result.functionArn, result);
  });
  return { functions, edges, stats };
}

/**
 * The analysis, one function at a time: `onFunction` receives each result as soon as it is
 * computed (and may await, e.g. to write it), so a large organization's results need not all
 * sit in memory at once. Returns the org-wide graph edges and counts.
 */
export async function streamAnalysis(
  snapshot: Snapshot,
  options: AnalyzeOptions,
  onFunction: (result: FunctionAnalysis) => void | Promise<void>,
  /**
   * Receives the graph's edges before the first function, each made as it is read; the analysis
   * keeps none (reach reads the capabilities, not the edges) and returns none. A large
   * organization's edges (~8 per function, each with its reason) need not be in memory at once.
   */
  onEdges?: (edges: Iterable<Edge>) => void | Promise<void>,
): Promise<Omit<SnapshotAnalysis, "functions">> {
  await loadAnalysisData();
  const index = indexSnapshot(snapshot);
  const cache = createPermissionsCache();
  const permsByRole = new Map<string, EffectivePermissions>();
  const permsOf = (roleArn: string): EffectivePermissions => {
    let perms = permsByRole.get(roleArn);
    if (!perms) {
      perms = effectivePermissions(index, roleArn, cache);
      permsByRole.set(roleArn, perms);
    }
    return perms;
  };

  const analysed = options.onlyAccounts ? snapshot.accounts.filter((a) => options.onlyAccounts!.has(a.accountId)) : snapshot.accounts;
  const stored = options.onlyAccounts && options.storedBlastRadius;
  const storedRadius = stored && analysed.every((a) => a.functions.every((fn) => stored.has(fn.arn))) ? stored : null;
  options.onProgress?.(0, storedRadius ? "reading the stored blast radius" : "building the permission graph");
  // The graph's reach follows the escalation methods' role hops too, so reach and chains agree.
  const graphOptions = {
    escalationMoves: (roleArn: string) => roleEscalationMoves(index, roleArn, permsOf),
    onProgress: (done: number, steps: number) => options.onProgress?.(0, `building the permission graph: ${done}/${steps} functions and roles`),
  };
  let graph: PermissionGraph | null = null;
  if (storedRadius) graph = null;
  else if (onEdges) {
    // Each edge goes out as it is made; none is kept.
    const streamed = streamPermissionGraph(index, permsOf, graphOptions);
    graph = streamed.graph;
    await onEdges(streamed.edges);
  } else graph = buildPermissionGraph(index, permsOf, graphOptions);
  const edges = graph?.edges ?? [];
  const total = analysed.reduce((n, a) => n + a.functions.length, 0);
  const ruleCache: RuleHitCache = { shared: new Map(), role: new Map() };
  let done = 0;
  let findingCount = 0;
  // The reach is one walk per role: stored with the role's first function, read by all of them.
  const rolesWithReach = new Set<string>();

  for (const account of analysed) {
    // A role's functions are all in its account: the walks kept for the last one are done with.
    if (graph) releaseWalks(graph);
    releaseSummaries();
    // A role's findings were kept for its account's functions only.
    ruleCache.role.clear();
    for (const fn of account.functions) {
      const role = index.roles.get(fn.roleArn) ?? null;
      const perms = permsOf(fn.roleArn);
      const lastAccessed = role ? (account.lastAccessed[role.name] ?? null) : null;
      const reused = storedRadius?.get(fn.arn) ?? null;
      const escalationPaths = reused ? reused.escalationPaths : findEscalationPaths({ index, fn, perms, permsOf });
      const sharedWith = (index.functionsByRole.get(fn.roleArn) ?? []).filter((f) => f.arn !== fn.arn).map((f) => f.arn);
      const findings = evaluateRulesCached({ fn, role, account, index, perms, sharedWith, lastAccessed, escalationPaths, now: options.now }, ruleCache);
      const radius = reused ?? blastRadius({ index, fn, perms, graph: graph!, escalationPaths, permsOf, listReachedFunctions: options.listReachedFunctions });
      const rolePolicyArns = role ? [...role.attachedPolicyArns, ...(role.permissionsBoundaryArn ? [role.permissionsBoundaryArn] : [])] : [];
      const incomplete = incompleteInputs({ ...fn, rolePolicyArns }, snapshot.gaps);
      const risk = withVerdicts(
        riskScore({
          blastRadius: radius,
          findings,
          fn,
          exposure: exposureOf(findings),
          unusedShare: unusedShare(perms, lastAccessed),
        }),
        findings,
        incomplete,
      );
      const recommendedPolicy = recommendPolicy({ index, fn, perms, lastAccessed, mappings: index.mappingsByFunction.get(fn.arn) ?? [] });
      await onFunction({
        functionArn: fn.arn,
        roleArn: fn.roleArn,
        permissionsKey: perms.key,
        findings,
        blastRadius: radius,
        risk,
        recommendedPolicy,
        isPublic: findings.some((f) => f.ruleId === PUBLIC_INVOKE_RULE),
        incomplete,
        ...(!graph || rolesWithReach.has(fn.roleArn) ? {} : { roleReach: roleReach(graph, fn.roleArn) }),
      });
      rolesWithReach.add(fn.roleArn);
      findingCount += findings.length;
      done += 1;
      if (done % PROGRESS_EVERY === 0) options.onProgress?.(done / total, `${done}/${total} functions analysed`);
    }
  }
  options.onProgress?.(1, `${total} functions analysed`);
  return {
    edges,
    stats: {
      functions: total,
      roles: permsByRole.size,
      distinctPermissionSets: new Set([...permsByRole.values()].map((p) => p.key)).size,
      findings: findingCount,
    },
  };
}

/**
 * Who can reach the function from outside, read from the rules' verdicts so the score and the
 * findings agree: public = a public-invoke finding; triggers from outside the organization = the
 * resource-policy statements the cross-account-invoke rule flagged (own-account callers are not).
 */
function exposureOf(findings: Finding[]) {
  const outside = findings.filter((f) => f.category === "cross-account-invoke");
  return {
    public: findings.some((f) => f.ruleId === PUBLIC_INVOKE_RULE),
    crossAccount: outside.length > 0,
    outsideTriggers: outside.length,
  };
}

/** The risk score with the one severity rule (lib/analysis/verdicts.ts) and what could not be seen. */
function withVerdicts(risk: RiskScore, findings: Finding[], incomplete: IncompleteInput[]): RiskScore {
  const missing = incompleteExplanation(incomplete);
  return {
    ...risk,
    severity: functionSeverity(risk.score, findings.map((f) => f.severity)),
    explanation: missing ? [...risk.explanation, missing] : risk.explanation,
    // Kept with the parts, so a score re-derived after a suppression says it too.
    ...(risk.parts ? { parts: { ...risk.parts, notes: missing ? [missing] : [] } } : {}),
  };
}

/** Share of granted actions in services the role never used, from service-last-accessed data. */
function unusedShare(perms: EffectivePermissions, lastAccessed: ServiceLastAccessed[] | null): number | null {
  if (!lastAccessed || lastAccessed.length === 0) return null;
  const used = new Set(lastAccessed.filter((s) => s.lastAuthenticated).map((s) => s.serviceNamespace.toLowerCase()));
  const actions = allowedActionBits(perms);
  const total = actionCount(actions);
  if (total === 0) return 0;
  return countOutsideServices(actions, used) / total;
}
