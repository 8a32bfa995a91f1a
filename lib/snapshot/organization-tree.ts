/**
 * The organization tree must lead every scanned member account to a root: the SCPs that apply to
 * an account are those on every node of that path, so a missing link (a `list-parents` file not
 * collected, a parent no file describes) or a cycle would silently drop the SCPs above the break
 * — and a function would be reported able to do what the root's SCP denies.
 */

/** One break in the tree, located as the file (and JSON path) where it shows. */
export interface OrganizationTreeProblem {
  file: string;
  jsonPath: string;
  detail: string;
  /** The member account whose SCP chain the break cuts, when it is one account's own file. */
  accountId: string | null;
  /** True when a file is missing (a crawl that recorded a ListParents failure explains it). */
  missingFile: boolean;
}

export const listParentsFile = (childId: string) => `organizations/list-parents/${childId}.json`;

/**
 * Every break between the given accounts (or any child with a list-parents file) and a root.
 * `parents` maps child id → parent id as read from the list-parents files.
 */
export function organizationTreeProblems(input: { rootIds: readonly string[]; parents: Readonly<Record<string, string>>; accountIds: readonly string[] }): OrganizationTreeProblem[] {
  const roots = new Set(input.rootIds);
  const { parents } = input;
  const problems = new Map<string, OrganizationTreeProblem>();
  const add = (problem: OrganizationTreeProblem) => problems.set(`${problem.file}|${problem.jsonPath}|${problem.detail}`, problem);
  const accounts = new Set(input.accountIds);

  for (const start of [...new Set([...input.accountIds, ...Object.keys(parents)])].sort()) {
    const path = [start];
    let current = start;
    for (;;) {
      if (roots.has(current)) break;
      const parent = parents[current];
      if (parent === undefined) {
        if (current === start) {
          if (accounts.has(start))
            add({ file: listParentsFile(start), jsonPath: "", detail: `required file is missing: without it the place of account ${start} in the organization, and so the SCPs that apply to it, are unknown`, accountId: start, missingFile: true });
        } else {
          const child = path[path.length - 2];
          add({ file: listParentsFile(current), jsonPath: "", detail: `required file is missing: ${current}, the parent of ${child} in ${listParentsFile(child)}, is not a root in organizations/list-roots.json, and without this file the SCPs above it are unknown`, accountId: accounts.has(child) ? child : null, missingFile: true });
        }
        break;
      }
      if (parent === current) {
        add({ file: listParentsFile(current), jsonPath: "$.Parents[0].Id", detail: `${current} is its own parent`, accountId: accounts.has(current) ? current : null, missingFile: false });
        break;
      }
      const seen = path.indexOf(parent);
      if (seen >= 0) {
        const cycle = [...path.slice(seen), parent];
        add({ file: listParentsFile(current), jsonPath: "$.Parents[0].Id", detail: `parent cycle ${cycle.join(" → ")}: the path to a root never ends`, accountId: null, missingFile: false });
        break;
      }
      path.push(parent);
      current = parent;
    }
  }
  return [...problems.values()];
}
