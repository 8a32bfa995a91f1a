/**
 * The crawl's responses kept under the offline snapshot layout's relative paths (README
 * "Snapshot format"), so the directory reader's normalization reads them, and `--save-snapshot`
 * writes exactly what `readSnapshotDir` reads back.
 */
import { mkdir, readdir, writeFile } from "node:fs/promises";
import path from "node:path";

export const layout = {
  describeOrganization: "organizations/describe-organization.json",
  listAccounts: "organizations/list-accounts.json",
  listRoots: "organizations/list-roots.json",
  listParents: (childId: string) => `organizations/list-parents/${safeName(childId)}.json`,
  listPoliciesForTarget: (targetId: string) => `organizations/list-policies-for-target/${safeName(targetId)}.json`,
  describePolicy: (policyId: string) => `organizations/describe-policy/${safeName(policyId)}.json`,
  authorizationDetails: (accountId: string) => `accounts/${accountId}/iam/get-account-authorization-details.json`,
  serviceLastAccessed: (accountId: string, roleName: string) => `accounts/${accountId}/iam/service-last-accessed/${safeName(roleName)}.json`,
  lambda: (accountId: string, region: string) => `accounts/${accountId}/regions/${region}/lambda`,
  listFunctions: (accountId: string, region: string) => `${layout.lambda(accountId, region)}/list-functions.json`,
  listEventSourceMappings: (accountId: string, region: string) => `${layout.lambda(accountId, region)}/list-event-source-mappings.json`,
  getPolicy: (accountId: string, region: string, fn: string) => `${layout.lambda(accountId, region)}/get-policy/${safeName(fn)}.json`,
  listFunctionUrlConfigs: (accountId: string, region: string, fn: string) => `${layout.lambda(accountId, region)}/list-function-url-configs/${safeName(fn)}.json`,
};

// Ids and names come from AWS (function and role names are [A-Za-z0-9_+=,.@-]); refuse anything
// that could climb out of the snapshot directory rather than trust it.
function safeName(name: string): string {
  if (!name || name === "." || name === ".." || /[/\\\0]/.test(name)) throw new Error(`refusing to use ${JSON.stringify(name)} as a snapshot file name`);
  return name;
}

/** Fails early (before a crawl) when `dir` exists and is not empty: a snapshot is never mixed into another. */
export async function assertEmptyOrMissingDir(dir: string): Promise<void> {
  const entries = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  if (entries.length > 0) throw new Error(`--save-snapshot directory ${dir} is not empty`);
}

/**
 * Owner-only modes for what `--save-snapshot` writes: list-functions output carries every
 * function's environment variable values as AWS returns them, secrets included.
 */
export const SAVED_SNAPSHOT_DIR_MODE = 0o700;
export const SAVED_SNAPSHOT_FILE_MODE = 0o600;

/** Writes every file as the AWS CLI prints JSON (4-space indent), readable by the owner only. */
export async function writeSnapshotLayout(dir: string, files: ReadonlyMap<string, unknown>): Promise<void> {
  const root = path.resolve(dir);
  const paths = [...files.keys()].sort();
  const dirs = new Set([root, ...paths.map((rel) => path.dirname(path.join(root, rel)))]);
  for (const d of dirs) await mkdir(d, { recursive: true, mode: SAVED_SNAPSHOT_DIR_MODE });
  // In batches: an organization can have tens of thousands of files, more than open-file limits.
  for (let i = 0; i < paths.length; i += 64) {
    await Promise.all(
      paths.slice(i, i + 64).map((rel) => writeFile(path.join(root, rel), `${JSON.stringify(files.get(rel), null, 4)}\n`, { flag: "wx", mode: SAVED_SNAPSHOT_FILE_MODE })),
    );
  }
}
