/**
 * Sets of actions as bits over the action universe (sorted, lower-cased, ~22k known actions) plus
 * the few actions iam-data does not know. A role's allowed actions are the union of its grants'
 * shared arrays: OR-ing their bits costs a few hundred words, where a Set of strings costs 22k
 * insertions per role, and the known actions come out of the bits already sorted.
 */
import { actionUniverse } from "./action-expansion";
import { actionPositions } from "./working-actions";

export interface ActionBits {
  /** Bit i set: the universe's action i is in the set. */
  bits: Uint32Array;
  /** Distinct actions not in the universe, in first-seen order. */
  unknown: readonly string[];
}

function wordCount(): number {
  return (actionUniverse().actions.length + 31) >>> 5;
}

const bitsCache = new WeakMap<readonly string[], ActionBits>();

/** The set of one (shared) action array, once per array. */
export function bitsOf(actions: readonly string[]): ActionBits {
  let found = bitsCache.get(actions);
  if (!found) {
    const positions = actionPositions(actions);
    const bits = new Uint32Array(wordCount());
    let unknown: Set<string> | null = null;
    for (let i = 0; i < positions.length; i++) {
      const p = positions[i];
      if (p >= 0) bits[p >>> 5] |= 1 << (p & 31);
      else (unknown ??= new Set()).add(actions[i]);
    }
    found = { bits, unknown: unknown ? [...unknown] : [] };
    bitsCache.set(actions, found);
  }
  return found;
}

/** The union of several sets (unknown actions in first-seen order). */
export function unionBits(sets: readonly ActionBits[]): ActionBits {
  const bits = new Uint32Array(wordCount());
  const unknown = new Set<string>();
  for (const s of sets) {
    for (let w = 0; w < bits.length; w++) bits[w] |= s.bits[w];
    for (const a of s.unknown) unknown.add(a);
  }
  return { bits, unknown: [...unknown] };
}

function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** How many actions the set holds. */
export function actionCount(set: ActionBits): number {
  let n = set.unknown.length;
  for (let w = 0; w < set.bits.length; w++) if (set.bits[w] !== 0) n += popcount(set.bits[w]);
  return n;
}

/** Is the (lower-cased) action in the set? */
export function holdsAction(set: ActionBits, action: string): boolean {
  const p = actionUniverse().position.get(action);
  return p === undefined ? set.unknown.includes(action) : ((set.bits[p >>> 5] >>> (p & 31)) & 1) === 1;
}

/** Visit each known action of the set in universe (sorted) order. */
export function forEachKnown(set: ActionBits, visit: (action: string, position: number) => void): void {
  const actions = actionUniverse().actions;
  for (let w = 0; w < set.bits.length; w++) {
    let word = set.bits[w];
    while (word !== 0) {
      const low = word & -word;
      const p = (w << 5) + (31 - Math.clz32(low));
      visit(actions[p], p);
      word ^= low;
    }
  }
}

/** How many actions of the set belong to none of these services (lower-case prefixes). */
export function countOutsideServices(set: ActionBits, services: ReadonlySet<string>): number {
  let n = 0;
  for (const [service, [start, end]] of actionUniverse().services) {
    if (services.has(service)) continue;
    for (let p = start; p < end; p++) if ((set.bits[p >>> 5] >>> (p & 31)) & 1) n += 1;
  }
  for (const a of set.unknown) if (!services.has(a.slice(0, a.indexOf(":")))) n += 1;
  return n;
}

const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every action of the set, sorted by code units (as `[...set].sort()` would). */
export function sortedActions(set: ActionBits): string[] {
  const known: string[] = [];
  forEachKnown(set, (a) => known.push(a));
  if (set.unknown.length === 0) return known;
  const unknown = [...set.unknown].sort(byCodeUnits);
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < known.length || j < unknown.length) {
    if (j >= unknown.length || (i < known.length && known[i] < unknown[j])) out.push(known[i++]);
    else out.push(unknown[j++]);
  }
  return out;
}

/** The first `n` actions of the set in sorted order. */
export function firstSorted(set: ActionBits, n: number): string[] {
  const actions = actionUniverse().actions;
  const first: string[] = [];
  for (let w = 0; w < set.bits.length && first.length < n; w++) {
    let word = set.bits[w];
    while (word !== 0 && first.length < n) {
      const low = word & -word;
      first.push(actions[(w << 5) + (31 - Math.clz32(low))]);
      word ^= low;
    }
  }
  return [...first, ...set.unknown].sort(byCodeUnits).slice(0, n);
}

/** Actions of `set` not in `other`: how many, and the first `sample` in sorted order. */
export function difference(set: ActionBits, other: ActionBits, sample: number): { count: number; first: string[] } {
  const actions = actionUniverse().actions;
  let count = 0;
  const first: string[] = [];
  for (let w = 0; w < set.bits.length; w++) {
    let word = set.bits[w] & ~other.bits[w];
    if (word === 0) continue;
    count += popcount(word);
    while (word !== 0 && first.length < sample) {
      const low = word & -word;
      first.push(actions[(w << 5) + (31 - Math.clz32(low))]);
      word ^= low;
    }
  }
  const extraUnknown = set.unknown.filter((a) => !other.unknown.includes(a));
  count += extraUnknown.length;
  return { count, first: [...first, ...extraUnknown].sort(byCodeUnits).slice(0, sample) };
}
