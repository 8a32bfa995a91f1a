import { DescribePolicyCommand, paginateListPoliciesForTarget, type OrganizationsClient, type PolicySummary } from "@aws-sdk/client-organizations";
import { toCliJson } from "@/lib/collect/cli-shape";
import { UnusableResponseError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["organizations:ListPoliciesForTarget", "organizations:DescribePolicy"] as const;

/** `aws organizations list-policies-for-target --target-id X --filter SERVICE_CONTROL_POLICY` */
export async function collectPoliciesForTarget(org: OrganizationsClient, targetId: string, signal?: AbortSignal): Promise<{ Policies: PolicySummary[] }> {
  const policies: PolicySummary[] = [];
  const input = { TargetId: targetId, Filter: "SERVICE_CONTROL_POLICY" as const };
  for await (const page of paginateListPoliciesForTarget({ client: org, stopOnSameToken: true }, input, { abortSignal: signal })) policies.push(...(page.Policies ?? []));
  return toCliJson({ Policies: policies });
}

/** `aws organizations describe-policy --policy-id X` */
export async function collectPolicy(org: OrganizationsClient, policyId: string, signal?: AbortSignal) {
  const { Policy } = await org.send(new DescribePolicyCommand({ PolicyId: policyId }), { abortSignal: signal });
  if (!Policy) throw new UnusableResponseError(`DescribePolicy ${policyId} returned no Policy`);
  return toCliJson({ Policy });
}
