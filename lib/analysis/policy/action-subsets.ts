/**
 * Parts of a shared action array picked by a fixed test (its permissions-management actions, its
 * credential actions, …), once per (array, test). Grants share their action arrays (a statement on
 * `*` holds one 22k-action array in every role of an account), and rules ask each role the same
 * question of them: the answer is kept with the array. Tests must be pure module-level functions.
 */
const subsets = new WeakMap<readonly string[], Map<(action: string) => boolean, readonly string[]>>();

/** The actions that pass `test`, in the array's order. */
export function actionsWhere(actions: readonly string[], test: (action: string) => boolean): readonly string[] {
  let byTest = subsets.get(actions);
  if (!byTest) subsets.set(actions, (byTest = new Map()));
  let found = byTest.get(test);
  if (!found) byTest.set(test, (found = Object.freeze(actions.filter(test))));
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
