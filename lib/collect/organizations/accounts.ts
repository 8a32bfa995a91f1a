import { DescribeOrganizationCommand, ListAccountsCommand, ListParentsCommand, ListRootsCommand, type Account, type OrganizationsClient, type Parent, type Root } from "@aws-sdk/client-organizations";
import { toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListRoots", "organizations:ListParents"] as const;

/** `aws organizations describe-organization` */
export async function collectOrganizationDescription(org: OrganizationsClient, signal?: AbortSignal) {
  const { Organization } = await org.send(new DescribeOrganizationCommand({}), { abortSignal: signal });
  if (!Organization) throw new Error("DescribeOrganization returned no Organization");
  return toCliJson({ Organization });
}

/** `aws organizations list-accounts`: every page (NextToken), merged. */
export async function collectAccounts(org: OrganizationsClient, signal?: AbortSignal): Promise<{ Accounts: Account[] }> {
  const accounts: Account[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListAccountsCommand({ NextToken: token }), { abortSignal: signal });
    accounts.push(...(page.Accounts ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return toCliJson({ Accounts: accounts });
}

/** `aws organizations list-roots` */
export async function collectRoots(org: OrganizationsClient, signal?: AbortSignal): Promise<{ Roots: Root[] }> {
  const roots: Root[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListRootsCommand({ NextToken: token }), { abortSignal: signal });
    roots.push(...(page.Roots ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return toCliJson({ Roots: roots });
}

/** `aws organizations list-parents --child-id X` (an account or an OU). */
export async function collectParents(org: OrganizationsClient, childId: string, signal?: AbortSignal): Promise<{ Parents: Parent[] }> {
  const parents: Parent[] = [];
  let token: string | undefined;
  do {
    const page = await org.send(new ListParentsCommand({ ChildId: childId, NextToken: token }), { abortSignal: signal });
    parents.push(...(page.Parents ?? []));
    token = page.NextToken || undefined;
  } while (token);
  return toCliJson({ Parents: parents });
}
