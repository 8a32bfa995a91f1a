/**
 * `reach`: the one breadth-first walk of what a compromised function controls, over the graph's
 * capabilities, with one shortest path (its edges and their reasons) per reached function.
 */
import { forEachMatch, type MatchInfo } from "../policy/target-matching";
import type { Edge, ReachedFunction } from "../types";
import { COMPROMISING, type FunctionCapability, type RoleMove, type TriggerSource } from "./capabilities";
import { executesAsEdge, functionEdge, roleEdge, type PermissionGraph } from "./edges";

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
    | { kind: "role"; holderRole: string; move: RoleMove };
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
    for (const moves of rolesSaturated ? [] : [caps.assume, ...createMoves]) {
      for (const move of moves.values()) {
        if (rolesReached.has(move.target) || queuedRoles.has(move.target)) continue;
        // From a function, the path shows it runs as the role that makes the move.
        const parent: Step | null = h.fnArn
          ? { parent: h.step, hops: holderHops, move: { kind: "executes-as", holderFn: h.fnArn, holderRole: h.roleArn } }
          : h.step;
        const step: Step = { parent, hops, move: { kind: "role", holderRole: h.roleArn, move } };
        rolesReached.set(move.target, step);
        queuedRoles.add(move.target);
        queue.push({ fnArn: null, roleArn: move.target, step });
      }
    }
  }

  const walk = { reached, rolesReached, compromised };
  cache.set(key, walk);
  if (cache.size > WALK_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  return walk;
}

/** What a walk from one function reached. */
export interface ReachResult {
  /** Functions taken over (code or configuration) first, then by hops; at most `limit`, each with one shortest path. */
  functions: ReachedFunction[];
  /** Every function reached, including those past `limit`. */
  functionCount: number;
  /** Roles whose permissions the attacker ends up holding (its own role excluded), nearest first, at most `limit`. */
  roles: { arn: string; hops: number; path: Edge[] }[];
  roleCount: number;
}

/**
 * What a compromised function reaches within `maxHops` moves. It controls its role's permissions;
 * updating another function's code or configuration compromises that function (and its role);
 * assuming a role, or passing a Lambda-trusting role into a function it creates or reconfigures,
 * hands over that role. Invoking a function or writing into its event source only feeds it input:
 * the function counts as reached but the walk does not continue through it.
 *
 * Cost follows the roles expanded, not pairs of functions: functions sharing an expanded role are
 * not expanded again, a walk stops looking at function moves once every function is compromised,
 * and edges and paths are only built for the `limit` nearest results (an admin role reaches every
 * function, and 10,000 paths per function is more than any report shows).
 */
export function reachDetailed(graph: PermissionGraph, functionArn: string, maxHops = 5, limit = Number.POSITIVE_INFINITY): ReachResult {
  const start = graph.index.functions.get(functionArn);
  if (!start) return { functions: [], functionCount: 0, roles: [], roleCount: 0 };
  const walk = Number.isFinite(limit) ? compactWalk(graph, start.roleArn, maxHops, limit) : compact(walkFromRole(graph, start.roleArn, maxHops), limit, null);
  return {
    functions: walk.functions
      .filter(([arn]) => arn !== functionArn)
      .slice(0, limit)
      .map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, functionArn) })),
    functionCount: walk.functionCount - (walk.ownReached.has(functionArn) ? 1 : 0),
    roles: walk.roles.map(([arn, step]) => ({ arn, hops: step.hops, path: pathOf(step, functionArn) })),
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
 * The first `limit` entries of a discovery-ordered map: those in `preferred` (functions taken
 * over) first, then by hops, then ARN.
 */
function firstEntries(found: Map<string, Step>, limit: number, preferred: Set<string> | null, skip: string | null): [string, Step][] {
  const picked: [string, Step][] = [];
  const rank = (arn: string) => (preferred && !preferred.has(arn) ? 1 : 0);
  for (const pass of preferred ? [0, 1] : [0]) {
    for (const entry of found) {
      if (picked.length >= limit) break;
      if (entry[0] !== skip && rank(entry[0]) === pass) picked.push(entry);
    }
  }
  return picked.sort(([a, x], [b, y]) => rank(a) - rank(b) || x.hops - y.hops || (a < b ? -1 : a > b ? 1 : 0));
}

/** Functions a compromised function reaches within `maxHops`, each with one shortest path (taken-over first, then by hops). */
export function reach(graph: PermissionGraph, functionArn: string, maxHops = 5): ReachedFunction[] {
  return reachDetailed(graph, functionArn, maxHops).functions;
}
