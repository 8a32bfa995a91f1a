/**
 * IAM action patterns → concrete lower-cased `service:action` lists.
 *
 * The action universe (~22,000 actions from iam-data) is computed once; every expansion is
 * a cached, frozen array so grants that share a pattern list share memory. Unknown literal
 * actions (not in iam-data) are kept as written, lower-cased: a policy may name an action
 * newer than our data, and dropping it would hide a grant.
 */
import { iamActionTable } from "./iam-action-table";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import type { PolicyStatement } from "@/lib/snapshot/types";
import { wildcardMatches, wildcardRegex } from "./glob";

/** Every known action, sorted, lower-cased, with lookups. */
export interface ActionUniverse {
  /** Frozen, sorted `service:action` (lower-case). The array `*` expands to. */
  actions: readonly string[];
  /** action → position in `actions`. */
  position: Map<string, number>;
  /** service prefix → [start, end) range in `actions`. */
  services: Map<string, [number, number]>;
}

let universe: ActionUniverse | null = null;

function buildUniverse(all: Iterable<string>): ActionUniverse {
  const actions = Array.from(new Set(Array.from(all, (a) => a.toLowerCase()))).sort();
  const position = new Map<string, number>();
  const services = new Map<string, [number, number]>();
  actions.forEach((action, i) => {
    position.set(action, i);
    const service = action.slice(0, action.indexOf(":"));
    const range = services.get(service);
    if (range) range[1] = i + 1;
    else services.set(service, [i, i + 1]);
  });
  return { actions: Object.freeze(actions), position, services };
}

/**
 * Load the action universe with iam-expand (`*` with `expandAsterisk`). Call once at start-up
 * where async is convenient; `actionUniverse()` loads synchronously otherwise.
 */
export async function loadActionUniverse(): Promise<ActionUniverse> {
  if (!universe) universe = buildUniverse(await expandIamActions("*", { expandAsterisk: true }));
  return universe;
}

/** The action universe; built from iam-data's action table on first use when not loaded yet. */
export function actionUniverse(): ActionUniverse {
  if (!universe) universe = buildUniverse(tableActions());
  return universe;
}

function tableActions(): string[] {
  const all: string[] = [];
  for (const [service, actions] of iamActionTable()) for (const key of actions.keys()) all.push(`${service}:${key}`);
  return all;
}

/** IAM action glob (`*`, `?`), case-insensitive, as iam-expand and IAM match actions. */
export function actionPatternRegex(pattern: string): RegExp {
  return wildcardRegex(pattern.toLowerCase(), true);
}

/** Does the concrete action match the IAM action pattern (case-insensitive)? */
export function actionMatchesPattern(action: string, pattern: string): boolean {
  if (/^\*+$/.test(pattern)) return true;
  return wildcardMatches(pattern.toLowerCase(), action.toLowerCase());
}

/**
 * Does the statement's Action (or NotAction) cover `action`? The one answer for identity,
 * resource and trust policies alike, so `lambda:Invoke*` in a resource policy counts as it does
 * in a role's policy.
 */
export function statementAllowsAction(statement: Pick<PolicyStatement, "Action" | "NotAction">, action: string): boolean {
  const notAction = statement.NotAction !== undefined;
  return actionMatcher(notAction ? statement.NotAction : statement.Action, notAction).has(action.toLowerCase());
}

function normalizePatterns(patterns: string | string[] | undefined): string[] {
  if (patterns === undefined) return [];
  const list = Array.isArray(patterns) ? patterns : [patterns];
  return Array.from(new Set(list.map((p) => p.trim().toLowerCase()).filter((p) => p.length > 0))).sort();
}

const expansionCache = new Map<string, readonly string[]>();
const EMPTY: readonly string[] = Object.freeze([]);

/** Positions in the universe matched by one pattern, or the literal unknown action. */
function expandOne(u: ActionUniverse, pattern: string): { all: boolean; positions: number[]; unknown: string | null } {
  if (/^\*+$/.test(pattern)) return { all: true, positions: [], unknown: null };
  const colon = pattern.indexOf(":");
  if (colon < 0) return { all: false, positions: [], unknown: null };
  const service = pattern.slice(0, colon);
  const name = pattern.slice(colon + 1);
  const wild = pattern.includes("*") || pattern.includes("?");
  if (!wild) {
    const at = u.position.get(pattern);
    return at === undefined ? { all: false, positions: [], unknown: pattern } : { all: false, positions: [at], unknown: null };
  }
  const positions: number[] = [];
  const serviceWild = service.includes("*") || service.includes("?");
  const ranges: [number, number][] = serviceWild
    ? [[0, u.actions.length]]
    : u.services.has(service)
      ? [u.services.get(service)!]
      : [];
  if (!serviceWild && /^\*+$/.test(name)) {
    for (const [start, end] of ranges) for (let i = start; i < end; i++) positions.push(i);
    return { all: false, positions, unknown: null };
  }
  const regex = actionPatternRegex(pattern);
  for (const [start, end] of ranges) for (let i = start; i < end; i++) if (regex.test(u.actions[i])) positions.push(i);
  return { all: false, positions, unknown: null };
}

/**
 * Expand action patterns (`*`, `s3:Get*`, `S3:getobject`) to concrete lower-cased actions.
 * Returns a frozen array shared by every caller with the same pattern set.
 */
export function expandActionPatterns(patterns: string | string[] | undefined): readonly string[] {
  const list = normalizePatterns(patterns);
  const key = list.join("\n");
  const cached = expansionCache.get(key);
  if (cached) return cached;
  const u = actionUniverse();
  let result: readonly string[];
  if (list.length === 0) result = EMPTY;
  else {
    const parts = list.map((p) => expandOne(u, p));
    if (parts.some((p) => p.all)) result = u.actions;
    else if (parts.length === 1 && parts[0].unknown === null && isServiceWide(u, parts[0].positions)) {
      result = serviceArray(u, parts[0].positions);
    } else {
      const marks = new Uint8Array(u.actions.length);
      for (const part of parts) for (const i of part.positions) marks[i] = 1;
      const out: string[] = [];
      for (let i = 0; i < marks.length; i++) if (marks[i]) out.push(u.actions[i]);
      for (const part of parts) if (part.unknown !== null && !out.includes(part.unknown)) out.push(part.unknown);
      result = Object.freeze(out);
    }
  }
  expansionCache.set(key, result);
  return result;
}

const serviceArrays = new Map<string, readonly string[]>();

function isServiceWide(u: ActionUniverse, positions: number[]): boolean {
  if (positions.length === 0) return false;
  const first = u.actions[positions[0]];
  const range = u.services.get(first.slice(0, first.indexOf(":")));
  return !!range && range[0] === positions[0] && range[1] - range[0] === positions.length;
}

function serviceArray(u: ActionUniverse, positions: number[]): readonly string[] {
  const first = u.actions[positions[0]];
  const service = first.slice(0, first.indexOf(":"));
  let arr = serviceArrays.get(service);
  if (!arr) {
    arr = Object.freeze(positions.map((i) => u.actions[i]));
    serviceArrays.set(service, arr);
  }
  return arr;
}

/** `NotAction`: every known action that matches none of the patterns. Cached and frozen. */
export function expandNotActionPatterns(patterns: string | string[] | undefined): readonly string[] {
  const list = normalizePatterns(patterns);
  const key = `!${list.join("\n")}`;
  const cached = expansionCache.get(key);
  if (cached) return cached;
  const u = actionUniverse();
  let result: readonly string[];
  if (list.length === 0) result = u.actions;
  else {
    const excluded = new Set(expandActionPatterns(list));
    result = excluded.size === 0 ? u.actions : Object.freeze(u.actions.filter((a) => !excluded.has(a)));
  }
  expansionCache.set(key, result);
  return result;
}

/** Membership test for a statement's Action / NotAction element, including unknown actions. */
export interface ActionMatcher {
  /** True when the element matches every action (`*`, or NotAction of nothing). */
  all: boolean;
  /** Concrete known actions the element matches, or null when `all`. */
  expanded: readonly string[] | null;
  has(action: string): boolean;
}

/** Membership in an action array (lower-cased actions). */
export type ActionLookup = Pick<ReadonlySet<string>, "has">;

const setCache = new WeakMap<readonly string[], ActionLookup>();

/** Up to this many actions, a plain Set; above, bits over the universe (a Set of `*`'s 22k actions holds ~600 KiB, its bits 3 KiB). */
const SET_LIMIT = 256;

/** Membership in a (shared, frozen) action array, built once per array. */
export function actionSetOf(actions: readonly string[]): ActionLookup {
  let set = setCache.get(actions);
  if (!set) {
    set = actions.length <= SET_LIMIT ? new Set(actions) : bitLookup(actions);
    setCache.set(actions, set);
  }
  return set;
}

function bitLookup(actions: readonly string[]): ActionLookup {
  const { position } = actionUniverse();
  const bits = new Uint32Array((position.size + 31) >>> 5);
  let unknown: Set<string> | null = null;
  for (const action of actions) {
    const p = position.get(action);
    if (p === undefined) (unknown ??= new Set()).add(action);
    else bits[p >>> 5] |= 1 << (p & 31);
  }
  return {
    has(action) {
      const p = position.get(action);
      return p === undefined ? (unknown?.has(action) ?? false) : ((bits[p >>> 5] >>> (p & 31)) & 1) === 1;
    },
  };
}

const matcherCache = new Map<string, ActionMatcher>();

/** Matcher for `Action` (notAction false) or `NotAction` (true) patterns. */
export function actionMatcher(patterns: string | string[] | undefined, notAction: boolean): ActionMatcher {
  const list = normalizePatterns(patterns);
  const key = `${notAction ? "!" : ""}${list.join("\n")}`;
  const cached = matcherCache.get(key);
  if (cached) return cached;
  const u = actionUniverse();
  const wildAll = list.some((p) => /^\*+$/.test(p));
  const matchesPatterns = (action: string): boolean => {
    const lower = action.toLowerCase();
    if (u.position.has(lower)) return positive.has(lower);
    // Unknown actions: match the written patterns directly (e.g. `foo:*` covers `foo:bar`).
    return list.some((p) => actionMatchesPattern(lower, p));
  };
  const positive = actionSetOf(expandActionPatterns(list));
  let matcher: ActionMatcher;
  if (!notAction) {
    matcher = wildAll
      ? { all: true, expanded: null, has: () => true }
      : { all: false, expanded: expandActionPatterns(list), has: matchesPatterns };
  } else {
    matcher =
      list.length === 0
        ? { all: true, expanded: null, has: () => true }
        : wildAll
          ? { all: false, expanded: EMPTY, has: () => false }
          : { all: false, expanded: expandNotActionPatterns(list), has: (a) => !matchesPatterns(a) };
  }
  matcherCache.set(key, matcher);
  return matcher;
}
