/**
 * The org-wide permission graph: edges with reasons between functions, roles, event sources and
 * resource patterns. A grant on `*` that matches many targets is drawn as ONE edge to the pattern
 * (with the count) rather than thousands of edges; reach and blast radius still see every target
 * through the capability index.
 */
import { accessLevelsOf, serviceOf } from "../policy/access-levels";
import { DATA_STORE_ACTIONS, type DataAccessKind } from "../data/data-stores";
import { describeStatement } from "../policy/permission-queries";
import type { SnapshotIndex } from "../snapshot-index";
import { forEachMatch, type MatchInfo } from "../policy/target-matching";
import type { Edge, EdgeKind, EffectivePermissions, Grant } from "../types";
import {
  accountOf,
  capabilityIndex,
  FANOUT_LIMIT,
  keyCapabilities,
  roleCapabilities,
  shortName,
  type EscalationMove,
  type FunctionCapability,
  type KeyCapabilities,
  type RoleCapabilities,
  type RoleMove,
  type TriggerSource,
} from "./capabilities";

function conditionWords(conditional: boolean): string {
  return conditional ? ", only when its conditions hold" : "";
}

function grantWords(info: MatchInfo): string {
  return `${describeStatement(info.grant.source)} allows it on ${info.pattern}${conditionWords(info.conditional)}`;
}

export function functionEdge(from: string, holderRole: string, cap: FunctionCapability, target: string, info: MatchInfo, source?: TriggerSource): Edge {
  if (source) {
    return {
      from,
      to: source.functionArn,
      kind: "can-trigger-via",
      via: source.via,
      reason: `Role ${shortName(holderRole)} may call ${cap.action} on ${target} (${grantWords(info)}), and ${source.detail}.`,
      shortReason: `${cap.action} → ${shortName(source.sourceArn)}`,
      conditional: info.conditional,
    };
  }
  return {
    from,
    to: target,
    kind: cap.kind,
    reason: `Role ${shortName(holderRole)} may call ${cap.action} on ${target} (${grantWords(info)}).`,
    shortReason: `${cap.action} → ${shortName(target)}`,
    conditional: info.conditional,
  };
}

export function roleEdge(from: string, move: RoleMove): Edge {
  const target = move.target;
  let reason: string;
  if (move.kind === "can-assume" && move.trust) {
    const sid = move.trust.sid ? ` (Sid ${move.trust.sid})` : "";
    reason = `Role ${shortName(from)} may call sts:AssumeRole on ${target} (${grantWords(move.info)}), and ${shortName(target)}'s trust policy statement #${move.trust.statementIndex}${sid} admits it${conditionWords(move.trust.conditional)}.`;
  } else if (move.kind === "can-create-with-role" && move.lambdaAction) {
    reason = `Role ${shortName(from)} may pass ${target} (${grantWords(move.info)}) and call ${move.lambdaAction.action} (${grantWords(move.lambdaAction.info)}); ${shortName(target)} trusts lambda.amazonaws.com, so a function it creates or reconfigures runs with that role.`;
  } else {
    reason = `Role ${shortName(from)} may call iam:PassRole on ${target} (${grantWords(move.info)}).`;
  }
  const short = move.kind === "can-assume" ? "sts:AssumeRole" : move.kind === "can-create-with-role" ? `PassRole + ${move.lambdaAction?.action}` : "iam:PassRole";
  return { from, to: target, kind: move.kind, reason, shortReason: `${short} → ${shortName(target)}`, conditional: move.conditional };
}

/** A role becomes another through an escalation method: the method and its reason, each hop of a chain its own edge. */
export function escalationEdge(from: string, move: EscalationMove): Edge {
  return {
    from,
    to: move.target,
    kind: move.kind,
    reason: `Role ${shortName(from)} can become ${shortName(move.target)} — ${move.title}: ${move.reason}.`,
    shortReason: `${move.method} → ${shortName(move.target)}`,
    conditional: move.conditional,
  };
}

export function executesAsEdge(fnArn: string, roleArn: string): Edge {
  return {
    from: fnArn,
    to: roleArn,
    kind: "executes-as",
    reason: `Function ${shortName(fnArn)} runs with the permissions of its execution role ${roleArn}.`,
    shortReason: "runs as",
    conditional: false,
  };
}

// ---------------------------------------------------------------------------------------------
// Drawable edges (with fan-out collapsed)

interface GroupedTargets {
  info: MatchInfo;
  targets: { target: string; info: MatchInfo; source?: TriggerSource }[];
}

/** Group a capability's targets by (grant, pattern) so a wide wildcard becomes one edge. */
function groupTargets(cap: FunctionCapability): GroupedTargets[] {
  const groups = new Map<Grant, Map<string, GroupedTargets>>();
  forEachMatch(cap.matches, cap.cands, (candidate, info) => {
    let byPattern = groups.get(info.grant);
    if (!byPattern) groups.set(info.grant, (byPattern = new Map()));
    let group = byPattern.get(info.pattern);
    if (!group) byPattern.set(info.pattern, (group = { info, targets: [] }));
    if (cap.trigger) {
      for (const source of cap.trigger.sources.get(candidate) ?? []) group.targets.push({ target: candidate, info, source });
    } else group.targets.push({ target: candidate, info });
  });
  return [...groups.values()].flatMap((m) => [...m.values()]);
}

function isWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}

function functionEdgeTemplates(holderRole: string, caps: RoleCapabilities): Edge[] {
  const out: Edge[] = [];
  for (const cap of caps.functionCaps) {
    for (const group of groupTargets(cap)) {
      if (group.targets.length > FANOUT_LIMIT && isWildcard(group.info.pattern)) {
        const noun = cap.kind === "can-trigger-via" ? `${cap.via} event sources of ${group.targets.length} functions` : `${group.targets.length} functions`;
        out.push({
          from: "",
          to: group.info.pattern,
          kind: cap.kind,
          ...(cap.via ? { via: cap.via } : {}),
          reason: `Role ${shortName(holderRole)} may call ${cap.action} on ${group.info.pattern}, covering ${noun} (${grantWords(group.info)}).`,
          shortReason: `${cap.action} → ${group.info.pattern} (${group.targets.length})`,
          conditional: group.info.conditional,
        });
        continue;
      }
      for (const t of group.targets) out.push(functionEdge("", holderRole, cap, t.target, t.info, t.source));
    }
  }
  return out;
}

function roleEdgeList(roleArn: string, caps: RoleCapabilities): Edge[] {
  const out: Edge[] = [];
  // can-pass: collapse a wide wildcard like function edges.
  const passGroups = new Map<string, { info: MatchInfo; targets: string[] }>();
  forEachMatch(caps.pass, caps.passCandidates, (target, info) => {
    if (target === roleArn) return;
    const key = `${describeStatement(info.grant.source)}|${info.pattern}`;
    let g = passGroups.get(key);
    if (!g) passGroups.set(key, (g = { info, targets: [] }));
    g.targets.push(target);
  });
  for (const { info, targets } of passGroups.values()) {
    if (targets.length > FANOUT_LIMIT && isWildcard(info.pattern)) {
      out.push({
        from: roleArn,
        to: info.pattern,
        kind: "can-pass",
        reason: `Role ${shortName(roleArn)} may call iam:PassRole on ${info.pattern}, covering ${targets.length} roles (${grantWords(info)}).`,
        shortReason: `iam:PassRole → ${info.pattern} (${targets.length})`,
        conditional: info.conditional,
      });
    } else {
      for (const target of targets) out.push(roleEdge(roleArn, { kind: "can-pass", target, action: "iam:PassRole", info, conditional: info.conditional }));
    }
  }
  const createGroups = new Map<string, RoleMove[]>();
  for (const move of caps.createWithRole.values()) {
    if (move.target === roleArn) continue;
    const key = `${describeStatement(move.info.grant.source)}|${move.info.pattern}`;
    const list = createGroups.get(key);
    if (list) list.push(move);
    else createGroups.set(key, [move]);
  }
  for (const moves of createGroups.values()) {
    const { info, lambdaAction } = moves[0];
    if (moves.length > FANOUT_LIMIT && isWildcard(info.pattern) && lambdaAction) {
      out.push({
        from: roleArn,
        to: info.pattern,
        kind: "can-create-with-role",
        reason: `Role ${shortName(roleArn)} may pass any of ${moves.length} roles that trust lambda.amazonaws.com (${grantWords(info)}) and call ${lambdaAction.action} (${grantWords(lambdaAction.info)}), so a function it creates or reconfigures runs with any of them.`,
        shortReason: `PassRole + ${lambdaAction.action} → ${info.pattern} (${moves.length})`,
        conditional: moves.every((m) => m.conditional),
      });
    } else for (const move of moves) out.push(roleEdge(roleArn, move));
  }
  for (const move of caps.assume.values()) out.push(roleEdge(roleArn, move));
  return out;
}

/** Role → resource pattern edges: data-store read/write/delete and permissions management, per service + pattern. */
interface ResourceAction {
  action: string;
  store: ReturnType<typeof DATA_STORE_ACTIONS.get>;
  manages: boolean;
}

/** The data-store and permissions-management actions of an actions array, once per (shared) array: `*` expands to 22k actions. */
const resourceActionsOf = (() => {
  const cache = new WeakMap<readonly string[], ResourceAction[]>();
  return (actions: readonly string[]): ResourceAction[] => {
    let found = cache.get(actions);
    if (!found) {
      found = [];
      for (const action of actions) {
        const store = DATA_STORE_ACTIONS.get(action);
        const manages = accessLevelsOf(action).includes("Permissions management");
        if (store || manages) found.push({ action, store, manages });
      }
      cache.set(actions, found);
    }
    return found;
  };
})();

function resourceEdgeTemplates(perms: EffectivePermissions): Omit<Edge, "from">[] {
  const groups = new Map<string, { kind: EdgeKind; service: string; pattern: string; actions: Set<string>; statements: Set<string>; conditional: boolean }>();
  const add = (kind: EdgeKind, service: string, pattern: string, action: string, grant: Grant) => {
    const key = `${kind}|${service}|${pattern}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { kind, service, pattern, actions: new Set(), statements: new Set(), conditional: true }));
    g.actions.add(action);
    g.statements.add(describeStatement(grant.source));
    if (grant.conditions === null) g.conditional = false;
  };
  const dataKinds: Record<DataAccessKind, EdgeKind> = { read: "can-read", write: "can-write", delete: "can-delete" };
  for (const grant of perms.grants) {
    for (const { action, store, manages } of resourceActionsOf(grant.actions)) {
      const service = store?.entry.store ?? serviceOf(action);
      const arnServices = store?.entry.arnServices ?? [serviceOf(action)];
      for (const pattern of resourcePatternsFor(grant, arnServices)) {
        if (store) for (const kind of store.kinds) add(dataKinds[kind], service, pattern, action, grant);
        if (manages) add("can-manage", serviceOf(action), pattern, action, grant);
      }
    }
  }
  const verbs: Partial<Record<EdgeKind, string>> = { "can-read": "read", "can-write": "write", "can-delete": "delete", "can-manage": "change permissions of" };
  return [...groups.values()].map((g) => {
    const actions = [...g.actions].sort();
    const shown = actions.length > 4 ? `${actions.slice(0, 4).join(", ")} and ${actions.length - 4} more` : actions.join(", ");
    return {
      to: g.pattern,
      kind: g.kind,
      reason: `May ${verbs[g.kind]} ${g.service} resources matching ${g.pattern} with ${shown} (${[...g.statements].join("; ")})${conditionWords(g.conditional)}.`,
      shortReason: `${g.service} ${verbs[g.kind]}`,
      conditional: g.conditional,
    };
  });
}

/**
 * The grant's resource patterns that can apply to these ARN services (`*`, wildcard-service
 * patterns, or patterns of that service). A NotResource grant reads as `*`.
 */
export function resourcePatternsFor(grant: Grant, arnServices: string[]): string[] {
  if (grant.notResources) return ["*"];
  return grant.resources.filter((pattern) => {
    if (pattern === "*") return true;
    const service = pattern.split(":")[2];
    if (service === undefined) return true;
    if (/[*?]/.test(service)) return true;
    return arnServices.includes(service);
  });
}

// ---------------------------------------------------------------------------------------------
// Graph

export interface PermissionGraph {
  /**
   * Every drawable edge. A scan hands them to the store once the graph is built and empties this
   * array (lib/audit/analyze-snapshot.ts): walks read the capabilities below, never the edges.
   */
  edges: Edge[];
  index: SnapshotIndex;
  /** Effective permissions of a role, memoized; null when the role is not in the snapshot. */
  permsOf(roleArn: string): EffectivePermissions | null;
  /** Capabilities of a role (shared per permission set). */
  capabilitiesOf(roleArn: string): RoleCapabilities | null;
  /** Roles this role can become through an escalation method, beyond plain assume and pass moves (memoized). */
  escalationMovesOf(roleArn: string): EscalationMove[];
}

export interface PermissionGraphOptions {
  /**
   * The escalation moves of a role (modify-then-assume, pass-then-run, …): given by the caller so
   * the graph and the reach walk follow the same hops as the escalation chains.
   */
  escalationMoves?: (roleArn: string) => EscalationMove[];
  /** Called every few hundred functions and roles built: done of total (a large org's build takes minutes). */
  onProgress?: (done: number, total: number) => void;
}

const GRAPH_PROGRESS_EVERY = 500;

/**
 * Build the org-wide permission graph. Call `await loadAccessLevels()` first: the can-manage
 * edges read access levels synchronously.
 */
export function buildPermissionGraph(index: SnapshotIndex, permsOf: (roleArn: string) => EffectivePermissions, options: PermissionGraphOptions = {}): PermissionGraph {
  const { graph, edges } = streamPermissionGraph(index, permsOf, options);
  graph.edges = [...edges];
  return graph;
}

/**
 * The graph without its edges, and its edges one at a time, in `buildPermissionGraph`'s order:
 * each is made as it is read, so a large organization's edges (~8 per function, each with its
 * reason) can be written as they come instead of all held at once. The capabilities the walks
 * read fill as the edges are read (or on first use).
 */
export function streamPermissionGraph(
  index: SnapshotIndex,
  permsOf: (roleArn: string) => EffectivePermissions,
  options: PermissionGraphOptions = {},
): { graph: PermissionGraph; edges: Iterable<Edge> } {
  const permsMemo = new Map<string, EffectivePermissions | null>();
  const memoPerms = (roleArn: string): EffectivePermissions | null => {
    if (permsMemo.has(roleArn)) return permsMemo.get(roleArn)!;
    const perms = index.roles.has(roleArn) ? permsOf(roleArn) : null;
    permsMemo.set(roleArn, perms);
    return perms;
  };
  const capsMemo = new Map<string, RoleCapabilities | null>();
  const capabilitiesOf = (roleArn: string): RoleCapabilities | null => {
    if (capsMemo.has(roleArn)) return capsMemo.get(roleArn)!;
    const perms = memoPerms(roleArn);
    const caps = perms ? roleCapabilities(index, roleArn, perms) : null;
    capsMemo.set(roleArn, caps);
    return caps;
  };

  const escalationMemo = new Map<string, EscalationMove[]>();
  const escalationMovesOf = (roleArn: string): EscalationMove[] => {
    let moves = escalationMemo.get(roleArn);
    if (!moves) {
      const caps = capabilitiesOf(roleArn);
      // A move the plain capabilities already make (assume, create-with-role) is drawn and walked as that.
      moves = caps && options.escalationMoves ? options.escalationMoves(roleArn).filter((m) => m.target !== roleArn && !caps.assume.has(m.target) && !caps.createWithRole.has(m.target)) : [];
      escalationMemo.set(roleArn, moves);
    }
    return moves;
  };

  const graph: PermissionGraph = { edges: [], index, permsOf: memoPerms, capabilitiesOf, escalationMovesOf };

  function* edges(): Generator<Edge> {
    const ci = capabilityIndex(index);

    // Function → role, and function → function (templates shared by functions with the same permissions).
    const fnTemplatesByKey = new Map<string, Edge[]>();
    const steps = index.functions.size + index.roles.size;
    let step = 0;
    const stepDone = () => {
      step += 1;
      if (step % GRAPH_PROGRESS_EVERY === 0) options.onProgress?.(step, steps);
    };
    for (const fn of index.functions.values()) {
      stepDone();
      yield executesAsEdge(fn.arn, fn.roleArn);
      const perms = memoPerms(fn.roleArn);
      const caps = capabilitiesOf(fn.roleArn);
      if (!perms || !caps) continue;
      // Reasons name the role, so the template key is (role, permission set).
      const templateKey = `${fn.roleArn}|${perms.key}`;
      let templates = fnTemplatesByKey.get(templateKey);
      if (!templates) fnTemplatesByKey.set(templateKey, (templates = functionEdgeTemplates(fn.roleArn, caps)));
      for (const t of templates) if (t.to !== fn.arn) yield { ...t, from: fn.arn };
    }

    // Role → role and role → resource pattern (templates per shared capabilities, kept only while building).
    const resourceTemplates = new Map<KeyCapabilities, Omit<Edge, "from">[]>();
    for (const roleArn of index.roles.keys()) {
      stepDone();
      const perms = memoPerms(roleArn);
      const caps = capabilitiesOf(roleArn);
      if (!perms || !caps) continue;
      yield* roleEdgeList(roleArn, caps);
      for (const move of escalationMovesOf(roleArn)) yield escalationEdge(roleArn, move);
      const keyCaps = keyCapabilities(ci, perms, accountOf(roleArn));
      let templates = resourceTemplates.get(keyCaps);
      if (!templates) resourceTemplates.set(keyCaps, (templates = resourceEdgeTemplates(perms)));
      for (const t of templates) yield { ...t, from: roleArn };
    }

    // Event source → function.
    for (const trigger of ci.triggers) {
      for (const sources of trigger.sources.values()) {
        for (const s of sources) {
          yield {
            from: s.sourceArn,
            to: s.functionArn,
            kind: "triggers",
            via: s.via,
            reason: `${s.detail[0].toUpperCase()}${s.detail.slice(1)}.`,
            shortReason: `${s.via} trigger`,
            conditional: false,
          };
        }
      }
    }
  }
  return { graph, edges: { [Symbol.iterator]: edges } };
}
