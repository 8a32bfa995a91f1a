import { DescribeOrganizationCommand, paginateListAccounts, paginateListParents, paginateListRoots, type Account, type OrganizationsClient, type Parent, type Root } from "@aws-sdk/client-organizations";
import { toCliJson } from "@/lib/collect/cli-shape";
import { UnusableResponseError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListRoots", "organizations:ListParents"] as const;

/** `aws organizations describe-organization` */
export async function collectOrganizationDescription(org: OrganizationsClient, signal?: AbortSignal) {
  const { Organization } = await org.send(new DescribeOrganizationCommand({}), { abortSignal: signal });
  if (!Organization) throw new UnusableResponseError("DescribeOrganization returned no Organization");
  return toCliJson({ Organization });
}

/** `aws organizations list-accounts`: every page (NextToken), merged. */
export async function collectAccounts(org: OrganizationsClient, signal?: AbortSignal): Promise<{ Accounts: Account[] }> {
  const accounts: Account[] = [];
  for await (const page of paginateListAccounts({ client: org, stopOnSameToken: true }, {}, { abortSignal: signal })) accounts.push(...(page.Accounts ?? []));
  return toCliJson({ Accounts: accounts });
}

/** `aws organizations list-roots` */
export async function collectRoots(org: OrganizationsClient, signal?: AbortSignal): Promise<{ Roots: Root[] }> {
  const roots: Root[] = [];
  for await (const page of paginateListRoots({ client: org, stopOnSameToken: true }, {}, { abortSignal: signal })) roots.push(...(page.Roots ?? []));
  return toCliJson({ Roots: roots });
}

/** `aws organizations list-parents --child-id X` (an account or an OU). */
export async function collectParents(org: OrganizationsClient, childId: string, signal?: AbortSignal): Promise<{ Parents: Parent[] }> {
  const parents: Parent[] = [];
  for await (const page of paginateListParents({ client: org, stopOnSameToken: true }, { ChildId: childId }, { abortSignal: signal })) parents.push(...(page.Parents ?? []));
  return toCliJson({ Parents: parents });
}
