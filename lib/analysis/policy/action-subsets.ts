/**
 * Parts of a shared action array picked by a fixed test (its permissions-management actions, its
 * credential actions, …), once per (array, test). Grants share their action arrays (a statement on
 * `*` holds one 22k-action array in every role of an account), and rules ask each role the same
 * question of them: the answer is kept with the array. Tests must be pure module-level functions.
 */
import { actionUniverse } from "./action-expansion";
import { actionPositions } from "./working-actions";

const subsets = new WeakMap<readonly string[], Map<(action: string) => boolean, readonly string[]>>();

/**
 * A test's answer for every known action, as bits over the action universe: arrays made by
 * removing a few actions from a large one (a role's denies, boundary, SCPs) are new arrays, and
 * asking the test again of each of their actions would cost 22k calls per array.
 */
const testMasks = new Map<(action: string) => boolean, Uint32Array>();

function testMask(test: (action: string) => boolean): Uint32Array {
  let mask = testMasks.get(test);
  if (!mask) {
    const actions = actionUniverse().actions;
    mask = new Uint32Array((actions.length + 31) >>> 5);
    for (let i = 0; i < actions.length; i++) if (test(actions[i])) mask[i >>> 5] |= 1 << (i & 31);
    testMasks.set(test, mask);
  }
  return mask;
}

/** The actions that pass `test`, in the array's order. */
export function actionsWhere(actions: readonly string[], test: (action: string) => boolean): readonly string[] {
  let byTest = subsets.get(actions);
  if (!byTest) subsets.set(actions, (byTest = new Map()));
  let found = byTest.get(test);
  if (!found) {
    const mask = testMask(test);
    const positions = actionPositions(actions);
    // Actions iam-data does not know (position -1) are asked directly.
    found = Object.freeze(actions.filter((a, i) => (positions[i] >= 0 ? ((mask[positions[i] >>> 5] >>> (positions[i] & 31)) & 1) === 1 : test(a))));
    byTest.set(test, found);
  }
  return found;
}

/** `compute` kept per action array: for answers about a whole shared array (its services, a sorted sample). */
export function perActionArray<T>(compute: (actions: readonly string[]) => T): (actions: readonly string[]) => T {
  const cache = new WeakMap<readonly string[], { value: T }>();
  return (actions) => {
    let found = cache.get(actions);
    if (!found) cache.set(actions, (found = { value: compute(actions) }));
    return found.value;
  };
}
