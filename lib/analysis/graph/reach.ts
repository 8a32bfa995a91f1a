/**
 * `reach`: the one breadth-first walk of what a compromised function controls, over the graph's
 * capabilities, with one shortest path (its edges and their reasons) per reached function.
 */
import { forEachMatch, type MatchInfo } from "../policy/target-matching";
import type { Edge, ReachedFunction } from "../types";
import { COMPROMISING, type EscalationMove, type FunctionCapability, type RoleMove, type TriggerSource } from "./capabilities";
import { escalationEdge, executesAsEdge, functionEdge, roleEdge, type PermissionGraph } from "./edges";

/**
 * One step of a walk. Edges are built only when a path through the step is asked for, with the
 * walk's start function (a walk is shared by the functions of one role).
 */
interface Step {
  parent: Step | null;
  hops: number;
  /**
   * What the edge is made from. Plain data, not a closure: a closure would keep the whole walk
   * (its maps share the closure's context) alive for as long as the step is cached.
   */
  move:
    | { kind: "function"; holderFn: string | null; holderRole: string; cap: FunctionCapability; candidate: string; info: MatchInfo; source: TriggerSource | undefined }
    | { kind: "executes-as"; holderFn: string; holderRole: string }
    | { kind: "role"; holderRole: string; move: RoleMove }
    | { kind: "escalation"; holderRole: string; move: EscalationMove };
  path?: Edge[];
  pathFor?: string;
}

function edgeOf(step: Step, startFn: string): Edge {
  const m = step.move;
  const fn = (holderFn: string | null) => (holderFn === START ? startFn : holderFn);
  switch (m.kind) {
    case "function":
      return functionEdge(fn(m.holderFn) ?? m.holderRole, m.holderRole, m.cap, m.candidate, m.info, m.source);
    case "executes-as":
      return executesAsEdge(fn(m.holderFn)!, m.holderRole);
    case "role":
      return roleEdge(m.holderRole, m.move);
    case "escalation":
      return escalationEdge(m.holderRole, m.move);
  }
}

function pathOf(step: Step | null, startFn: string): Edge[] {
  if (!step) return [];
  if (step.pathFor !== startFn) {
    step.path = [...pathOf(step.parent, startFn), edgeOf(step, startFn)];
    step.pathFor = startFn;
  }
  return step.path!;
}

/** Stands for "the function the walk starts from" in a walk shared by a role's functions. */
const START = "\u0000start";

interface Holder {
  /** Function whose identity is used (START for the start function), or null for a role obtained by assume / create-with-role. */
  fnArn: string | null;
  roleArn: string;
  step: Step | null;
}

/** A walk from one role: what any of its functions reaches (the function itself still to be removed). */
interface RoleWalk {
  reached: Map<string, Step>;
  rolesReached: Map<string, Step>;
  compromised: Set<string>;
}

/** Recent walks per graph: a few, because an admin role's walk holds every function. */
const WALK_CACHE_SIZE = 8;
const walkCaches = new WeakMap<PermissionGraph, Map<string, RoleWalk>>();

function walkFromRole(graph: PermissionGraph, startRole: string, maxHops: number): RoleWalk {
  let cache = walkCaches.get(graph);
  if (!cache) walkCaches.set(graph, (cache = new Map()));
  const key = `${startRole}|${maxHops}`;
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  // Insertion order is discovery order, which in a breadth-first walk is nondecreasing hops.
  const reached = new Map<string, Step>();
  const rolesReached = new Map<string, Step>();
  const expandedRoles = new Set<string>();
  // A role's first queue entry is its shortest; later ones would only be skipped.
  const queuedRoles = new Set<string>([startRole]);
  const compromised = new Set<string>();
  const queue: Holder[] = [{ fnArn: START, roleArn: startRole, step: null }];
  const totalFunctions = graph.index.functions.size;
  const otherRoles = graph.index.roles.size - (graph.index.roles.has(startRole) ? 1 : 0);

  // Capabilities are shared per permission set. In a breadth-first walk the first holder to use
  // one reaches every target of it at the fewest hops; a later holder of the same set adds nothing.
  const usedFunctionCaps = new Set<readonly FunctionCapability[]>();
  const usedCreateMoves = new Set<Map<string, RoleMove>>();
  for (let head = 0; head < queue.length; head++) {
    const h = queue[head];
    const holderHops = h.step?.hops ?? 0;
    if (holderHops >= maxHops || expandedRoles.has(h.roleArn)) continue;
    expandedRoles.add(h.roleArn);
    const caps = graph.capabilitiesOf(h.roleArn);
    if (!caps) continue;
    const hops = holderHops + 1;
    // Once every function is compromised (an admin-like role on the way), function moves add nothing.
    const functionsSaturated = compromised.size >= totalFunctions || usedFunctionCaps.has(caps.functionCaps);
    usedFunctionCaps.add(caps.functionCaps);

    for (const cap of functionsSaturated ? [] : caps.functionCaps) {
      const compromising = COMPROMISING.has(cap.kind);
      const visit = (fn: string, candidate: string, info: MatchInfo, source: TriggerSource | undefined) => {
        if (fn === h.fnArn) return;
        const known = reached.get(fn);
        const needsCompromise = compromising && !compromised.has(fn);
        if (known && !needsCompromise) return;
        const step: Step = { parent: h.step, hops, move: { kind: "function", holderFn: h.fnArn, holderRole: h.roleArn, cap, candidate, info, source } };
        if (!known) reached.set(fn, step);
        if (!needsCompromise) return;
        compromised.add(fn);
        const target = graph.index.functions.get(fn);
        if (!target) return;
        // Taking over a function hands over its role.
        if (target.roleArn !== startRole && !rolesReached.has(target.roleArn)) rolesReached.set(target.roleArn, step);
        if (!queuedRoles.has(target.roleArn)) {
          queuedRoles.add(target.roleArn);
          queue.push({ fnArn: fn, roleArn: target.roleArn, step });
        }
      };
      forEachMatch(cap.matches, cap.cands, (candidate, info) => {
        if (!cap.trigger) return visit(candidate, candidate, info, undefined);
        for (const source of cap.trigger.sources.get(candidate) ?? []) visit(source.functionArn, candidate, info, source);
      });
    }

    const rolesSaturated = rolesReached.size >= otherRoles;
    const createMoves = usedCreateMoves.has(caps.createWithRole) ? [] : [caps.createWithRole];
    usedCreateMoves.add(caps.createWithRole);
    // Role moves: assume, create-with-role, then the escalation methods' hops (modify then assume,
    // rewrite a trust, pass to a service that runs as the role), the same hops escalation chains take.
    const roleMoves: (Step["move"] & { kind: "role" | "escalation" })[] = [];
    if (!rolesSaturated) {
      for (const moves of [caps.assume, ...createMoves]) for (const move of moves.values()) roleMoves.push({ kind: "role", holderRole: h.roleArn, move });
      for (const move of graph.escalationMovesOf(h.roleArn)) roleMoves.push({ kind: "escalation", holderRole: h.roleArn, move });
    }
    for (const roleMove of roleMoves) {
      const target = roleMove.move.target;
      if (rolesReached.has(target) || queuedRoles.has(target)) continue;
      // From a function, the path shows it runs as the role that makes the move.
      const parent: Step | null = h.fnArn
        ? { parent: h.step, hops: holderHops, move: { kind: "executes-as", holderFn: h.fnArn, holderRole: h.roleArn } }
        : h.step;
      const step: Step = { parent, hops, move: roleMove };
      rolesReached.set(target, step);
      queuedRoles.add(target);
      queue.push({ fnArn: null, roleArn: target, step });
    }
  }

  const walk = { reached, rolesReached, compromised };
  cache.set(key, walk);
  if (cache.size > WALK_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return walk;
}

/** A role the walk ends up holding, and how. */
export interface ReachedRole {
  arn: string;
  hops: number;
  path: Edge[];
  /** The moves that hand over a role along the path, in order (`sts:AssumeRole`, an escalation method id, …). */
  moves: string[];
  /** Some move on the path is an escalation method (modify then assume, pass to a service, …). */
  escalated: boolean;
}

/** The role-yielding moves from the start to this step, oldest first. */
function movesOf(step: Step | null): { moves: string[]; escalated: boolean } {
  const moves: string[] = [];
  let escalated = false;
  for (let at = step; at; at = at.parent) {
    const m = at.move;
    if (m.kind === "escalation") {
      moves.unshift(m.move.method);
      escalated = true;
    } else if (m.kind === "role") moves.unshift(m.move.kind === "can-assume" ? "sts:AssumeRole" : m.move.kind === "can-create-with-role" ? `iam:PassRole + ${m.move.lambdaAction?.action ?? "lambda"}` : "iam:PassRole");
    else if (m.kind === "function" && COMPROMISING.has(m.cap.kind)) moves.unshift(m.cap.action);
  }
  return { moves, escalated };
}

/** What a walk from one function reached. */
export interface ReachResult {
  /** Functions taken over (code or configuration) first, then by hops; at most `limit`, each with one shortest path. */
  functions: ReachedFunction[];
  /** Every function reached, including those past `limit`. */
  functionCount: number;
  /** Roles whose permissions the attacker ends up holding (its own role excluded), nearest first, at most `limit`. */
  roles: ReachedRole[];
  roleCount: number;
}

/**
 * What a compromised function reaches within `maxHops` moves. It controls its role's permissions;
 * updating another function's code or configuration compromises that function (and its role);
 * assuming a role, or passing a Lambda-trusting role into a function it creates or reconfigures,
 * hands over that role, and so does every escalation method's role hop the graph was given (write
 * a role's policy then assume it, rewrite its trust, pass it to a service that runs as it): the
 * same hops escalation chains take. Invoking a function or writing into its event source only
 * feeds it input: the function counts as reached but the walk does not continue through it.
 *
 * Cost follows the roles expanded, not pairs of functions: functions sharing an expanded role are
 * not expanded again, a walk stops looking at function moves once every function is compromised,
 * and edges and paths are only built for the `limit` nearest results (an admin role reaches every
 * function, and 10,000 paths per function is more than any report shows). `listFunctions: false`
 * leaves the functions out (their count stays): a caller that keeps only the count builds no path.
 */
export function reachDetailed(graph: PermissionGraph, functionArn: string, maxHops = 5, limit = Number.POSITIVE_INFINITY, { listFunctions = true } = {}): ReachResult {
  const start = graph.index.functions.get(functionArn);
  if (!start) return { functions: [], functionCount: 0, roles: [], roleCount: 0 };
  const walk = Number.isFinite(limit) ? compactWalk(graph, start.roleArn, maxHops, limit) : compact(walkFromRole(graph, start.roleArn, maxHops), limit, null);
  return {
    functions: listFunctions
      ? walk.functions
          .filter(([arn]) => arn !== functionArn)
          .slice(0, limit)
          .map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, functionArn) }))
      : [],
    functionCount: walk.functionCount - (walk.ownReached.has(functionArn) ? 1 : 0),
    roles: walk.roles.map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, functionArn), ...movesOf(step) })),
    roleCount: walk.roleCount,
  };
}

/** What a listing needs from a role's walk: the first entries and the counts, small enough to keep for every role. */
interface CompactWalk {
  /** First `limit + 1` functions (one more, in case the start function itself is among them). */
  functions: [string, Step][];
  functionCount: number;
  /** Whether the walk reaches a function of the start role (each is left out of its own result). */
  ownReached: Pick<Set<string>, "has">;
  roles: [string, Step][];
  roleCount: number;
}

const compactCaches = new WeakMap<PermissionGraph, Map<string, CompactWalk>>();

/**
 * Forgets the walks kept for the graph's roles. A scan calls it between accounts: a walk starts
 * from a role and only that role's functions read it, so an account's walks are no use once its
 * functions are done (kept for every role they were a large organization's largest cache).
 * Walks asked for again are walked again, with the same result.
 */
export function releaseWalks(graph: PermissionGraph): void {
  compactCaches.delete(graph);
  walkCaches.delete(graph);
}

/** `ownFunctions`: the start role's functions, to keep only their membership; null keeps the whole walk's. */
function compact(walk: RoleWalk, limit: number, ownFunctions: { arn: string }[] | null): CompactWalk {
  return {
    functions: firstEntries(walk.reached, limit + 1, walk.compromised, null),
    functionCount: walk.reached.size,
    ownReached: ownFunctions ? new Set(ownFunctions.map((f) => f.arn).filter((arn) => walk.reached.has(arn))) : walk.reached,
    roles: firstEntries(walk.rolesReached, limit, null, null),
    roleCount: walk.rolesReached.size,
  };
}

function compactWalk(graph: PermissionGraph, startRole: string, maxHops: number, limit: number): CompactWalk {
  let cache = compactCaches.get(graph);
  if (!cache) compactCaches.set(graph, (cache = new Map()));
  const key = `${startRole}|${maxHops}|${limit}`;
  let found = cache.get(key);
  if (!found) {
    found = compact(walkFromRole(graph, startRole, maxHops), limit, graph.index.functionsByRole.get(startRole) ?? []);
    cache.set(key, found);
  }
  return found;
}

/**
 * The first `limit` entries of a discovery-ordered map in listing order: those in `preferred`
 * (functions taken over) first, then by hops, then ARN. The same entries as the first `limit` of
 * the whole sorted listing, so a capped list (a blast radius) is the start of the uncapped one
 * (a role's stored reach, which the function page lists).
 */
function firstEntries(found: Map<string, Step>, limit: number, preferred: Set<string> | null, skip: string | null): [string, Step][] {
  const picked: [string, Step][] = [];
  const rank = (arn: string) => (preferred && !preferred.has(arn) ? 1 : 0);
  for (const pass of preferred ? [0, 1] : [0]) {
    if (picked.length >= limit) break;
    // Discovery order is nondecreasing in hops: past the limit, only entries as far as the last one
    // taken can still come before it (by ARN); the sort below keeps the first `limit`.
    let lastHops = -1;
    for (const entry of found) {
      if (entry[0] === skip || rank(entry[0]) !== pass) continue;
      if (picked.length >= limit && entry[1].hops !== lastHops) break;
      picked.push(entry);
      lastHops = entry[1].hops;
    }
  }
  return picked.sort(([a, x], [b, y]) => rank(a) - rank(b) || x.hops - y.hops || (a < b ? -1 : a > b ? 1 : 0)).slice(0, limit);
}

/** Functions a compromised function reaches within `maxHops`, each with one shortest path (taken-over first, then by hops). */
export function reach(graph: PermissionGraph, functionArn: string, maxHops = 5): ReachedFunction[] {
  return reachDetailed(graph, functionArn, maxHops).functions;
}

/** Moves a reach walk follows: the blast radius, the stored reach and the graph's depth control use it. */
export const REACH_MAX_HOPS = 5;

/** Stands for "the function reading this reach" in a role's stored reach (its functions share one walk). */
export const REACH_START = "";

/**
 * Every function any function of `roleArn` reaches within `maxHops` (the same walk as
 * `reachDetailed`, uncapped), in listing order (taken over first, then by hops, then ARN), each
 * with one shortest path whose start function is `REACH_START`. Stored once per role, so a
 * function page lists, and its graph draws, the whole reach; `reachSeenFrom` turns it into one
 * function's reach.
 */
export function roleReach(graph: PermissionGraph, roleArn: string, maxHops = REACH_MAX_HOPS): ReachedFunction[] {
  const walk = walkFromRole(graph, roleArn, maxHops);
  return firstEntries(walk.reached, Number.POSITIVE_INFINITY, walk.compromised, null).map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, REACH_START) }));
}

/** A role's stored reach as one of its functions sees it: itself left out, its ARN and name in the paths. */
export function reachSeenFrom(stored: readonly ReachedFunction[], functionArn: string): ReachedFunction[] {
  const out: ReachedFunction[] = [];
  for (const r of stored) {
    if (r.arn === functionArn) continue;
    out.push({
      ...r,
      path: r.path.map((e) => {
        if (e.from !== REACH_START && e.to !== REACH_START) return e;
        // The one edge whose reason names the start function is "runs as".
        if (e.kind === "executes-as") return executesAsEdge(functionArn, e.to);
        return { ...e, from: e.from === REACH_START ? functionArn : e.from, to: e.to === REACH_START ? functionArn : e.to };
      }),
    });
  }
  return out;
}
