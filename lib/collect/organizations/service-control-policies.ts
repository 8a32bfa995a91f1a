import { DescribePolicyCommand, ListPoliciesForTargetCommand, type OrganizationsClient, type PolicySummary } from "@aws-sdk/client-organizations";
import { toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["organizations:ListPoliciesForTarget", "organizations:DescribePolicy"] as const;

/** `aws organizations list-policies-for-target --target-id X --filter SERVICE_CONTROL_POLICY` */
export async function collectPoliciesForTarget(org: OrganizationsClient, targetId: string, signal?: AbortSignal): Promise<{ Policies: PolicySummary[] }> {
  const policies: PolicySummary[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListPoliciesForTargetCommand({ TargetId: targetId, Filter: "SERVICE_CONTROL_POLICY", NextToken: token }), { abortSignal: signal });
    policies.push(...(page.Policies ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return toCliJson({ Policies: policies });
}

/** `aws organizations describe-policy --policy-id X` */
export async function collectPolicy(org: OrganizationsClient, policyId: string, signal?: AbortSignal) {
  const { Policy } = await org.send(new DescribePolicyCommand({ PolicyId: policyId }), { abortSignal: signal });
  if (!Policy) throw new Error(`DescribePolicy ${policyId} returned no Policy`);
  return toCliJson({ Policy });
}
