/**
 * The actions one Allow statement still grants while its denies, boundary and SCP levels are
 * applied (effective-permissions.ts). A statement on `*` holds 22k actions and loses a few at each
 * step: marks over the action universe make each removal and membership test cost what is removed
 * or tested, not a new 22k-element array and Set per step.
 */
import { actionUniverse, type ActionMatcher } from "./action-expansion";

const positionCache = new WeakMap<readonly string[], Int32Array>();

/** Universe position of each action of a shared action array (-1: an action iam-data does not know), once per array. */
export function actionPositions(actions: readonly string[]): Int32Array {
  let positions = positionCache.get(actions);
  if (!positions) {
    const u = actionUniverse();
    positions = new Int32Array(actions.length);
    if (actions === u.actions) for (let i = 0; i < actions.length; i++) positions[i] = i;
    else for (let i = 0; i < actions.length; i++) positions[i] = u.position.get(actions[i]) ?? -1;
    positionCache.set(actions, positions);
  }
  return positions;
}

/**
 * Records the universe positions of a new action array whose positions are known already
 * (-1: unknown), so reading it again by position (action-bits.ts) costs no lookups.
 */
export function rememberPositions(actions: readonly string[], positions: ArrayLike<number>): void {
  if (positions.length !== actions.length) throw new Error(`${positions.length} positions for ${actions.length} actions`);
  positionCache.set(actions, Int32Array.from(positions));
}

/** Some actions with their universe positions (-1: unknown), side by side. */
export interface PositionedActions {
  actions: string[];
  positions: number[];
}

const maskCache = new WeakMap<ActionMatcher, Uint32Array>();

/**
 * What is left of an expanded action array, one array per content: many statements on `*` lose
 * the same few actions to the same deny or SCP, and every cache keyed by an action array (its Set,
 * positions, bits, subsets) then holds one entry for all of them instead of one 22k-action copy each.
 */
const interned = new WeakMap<readonly string[], Map<string, WeakRef<readonly string[]>>>();

/** The known actions a matcher matches, as a bitset over universe positions (once per matcher). */
function matcherMask(matcher: ActionMatcher): Uint32Array {
  let mask = maskCache.get(matcher);
  if (!mask) {
    const actions = actionUniverse().actions;
    mask = new Uint32Array((actions.length + 31) >>> 5);
    for (let i = 0; i < actions.length; i++) if (matcher.has(actions[i])) mask[i >>> 5] |= 1 << (i & 31);
    maskCache.set(matcher, mask);
  }
  return mask;
}

/** `matcher.has` for a whole statement's walk: known actions read the bitset, unknown ones ask the matcher. */
export function matcherTest(matcher: ActionMatcher): (action: string, position: number) => boolean {
  if (matcher.all) return () => true;
  const mask = matcherMask(matcher);
  return (action, position) => (position >= 0 ? ((mask[position >>> 5] >>> (position & 31)) & 1) === 1 : matcher.has(action));
}

/** A shrinking subset of an expanded action array, kept in that array's order. */
export class WorkingActions {
  private readonly positions: Int32Array;
  /** 1 where the known action at that universe position is still held. */
  private readonly held: Uint8Array;
  /** Unknown (literal) actions still held. */
  private readonly heldUnknown = new Set<string>();
  private count: number;
  private array: readonly string[];

  constructor(private readonly expanded: readonly string[]) {
    this.positions = actionPositions(expanded);
    this.held = new Uint8Array(actionUniverse().actions.length);
    for (let i = 0; i < expanded.length; i++) {
      const p = this.positions[i];
      if (p >= 0) this.held[p] = 1;
      else this.heldUnknown.add(expanded[i]);
    }
    this.count = expanded.length;
    this.array = expanded;
  }

  get size(): number {
    return this.count;
  }

  has(action: string): boolean {
    return this.holds(action, actionUniverse().position.get(action) ?? -1);
  }

  /** `has` with the action's universe position known (-1: unknown). */
  holds(action: string, position: number): boolean {
    return position >= 0 ? this.held[position] === 1 : this.heldUnknown.has(action);
  }

  /**
   * The held actions, in the expanded order: the expanded array itself while nothing was removed,
   * else one array per content (see `interned`).
   */
  toArray(): readonly string[] {
    if (this.array.length !== this.count) {
      const { expanded, positions: expandedPositions, held, heldUnknown } = this;
      // The content, named by what is left out of the expanded array (or what is kept, when shorter).
      const dropped: number[] = [];
      for (let i = 0; i < expanded.length; i++) {
        const p = expandedPositions[i];
        if (!(p >= 0 ? held[p] === 1 : heldUnknown.has(expanded[i]))) dropped.push(i);
      }
      const key = dropped.length <= this.count ? `-${dropped.join(",")}` : `+${this.keptIndexes().join(",")}`;
      let byContent = interned.get(expanded);
      if (!byContent) interned.set(expanded, (byContent = new Map()));
      const known = byContent.get(key)?.deref();
      if (known) this.array = known;
      else {
        const out: string[] = [];
        const positions = new Int32Array(this.count);
        this.forEach((action, position) => {
          positions[out.length] = position;
          out.push(action);
        });
        this.array = Object.freeze(out);
        // The grant's array is read again by position (action-bits.ts): known here already.
        positionCache.set(this.array, positions);
        // Weakly held: the expanded arrays live as long as the process, a scan's grants do not.
        byContent.set(key, new WeakRef(this.array));
      }
    }
    return this.array;
  }

  private keptIndexes(): number[] {
    const kept: number[] = [];
    for (let i = 0; i < this.expanded.length; i++) {
      const p = this.positions[i];
      if (p >= 0 ? this.held[p] === 1 : this.heldUnknown.has(this.expanded[i])) kept.push(i);
    }
    return kept;
  }

  /** Visit each held action in order, with its universe position (-1 when unknown). */
  forEach(visit: (action: string, position: number) => void): void {
    const { expanded, positions, held, heldUnknown } = this;
    for (let i = 0; i < expanded.length; i++) {
      const p = positions[i];
      if (p >= 0 ? held[p] === 1 : heldUnknown.has(expanded[i])) visit(expanded[i], p);
    }
  }

  /** Held unknown actions, in the expanded order. */
  unknownActions(): string[] {
    if (this.heldUnknown.size === 0) return [];
    const out: string[] = [];
    for (let i = 0; i < this.expanded.length; i++) if (this.positions[i] < 0 && this.heldUnknown.has(this.expanded[i])) out.push(this.expanded[i]);
    return out;
  }

  /** `remove` with the actions' positions known. */
  removePositioned(list: PositionedActions): void {
    const { actions, positions } = list;
    for (let i = 0; i < actions.length; i++) {
      const p = positions[i];
      if (p < 0) {
        if (this.heldUnknown.delete(actions[i])) this.count -= 1;
      } else if (this.held[p] === 1) {
        this.held[p] = 0;
        this.count -= 1;
      }
    }
  }

  remove(actions: readonly string[]): void {
    const position = actionUniverse().position;
    for (const action of actions) {
      const p = position.get(action);
      if (p === undefined) {
        if (this.heldUnknown.delete(action)) this.count -= 1;
      } else if (this.held[p] === 1) {
        this.held[p] = 0;
        this.count -= 1;
      }
    }
  }
}

/** Below this many actions a list is not worth interning (the lookup would cost what it saves). */
const INTERN_MIN = 64;
// Weakly held: a server runs many scans, and a list no permission set holds any more may go.
const internedLists = new Map<string, WeakRef<string[]>[]>();

/**
 * One array per content for the action lists a permission set keeps beside its grants (the
 * actions a limit touches, the actions a deny or an SCP removed): a boundary or SCP that leaves
 * `*` conditional touches the same ~22k actions in every role under it. Returns `list` itself
 * when it is small or new. The lists are read, never changed, once the permission set is made.
 * `positions`, when given, are the actions' universe positions (actionPositions), saving the lookups.
 */
export function internActionList(list: string[], positions?: ArrayLike<number>): string[] {
  if (list.length < INTERN_MIN) return list;
  // The caller's positions when it has them (-1: unknown action), else looked up.
  const position = positions ? null : actionUniverse().position;
  let hash = 0x811c9dc5;
  for (let i = 0; i < list.length; i++) {
    const p = positions ? positions[i] : (position!.get(list[i]) ?? -1);
    hash = Math.imul(hash ^ (p >= 0 ? p : list[i].length + 0x10000), 0x01000193);
  }
  const key = `${list.length}|${hash >>> 0}`;
  const candidates = (internedLists.get(key) ?? []).filter((ref) => ref.deref() !== undefined);
  internedLists.set(key, candidates);
  for (const ref of candidates) {
    const known = ref.deref();
    if (known && known.every((a, i) => a === list[i])) return known;
  }
  candidates.push(new WeakRef(list));
  return list;
}
