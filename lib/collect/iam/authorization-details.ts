import { paginateGetAccountAuthorizationDetails, type GetAccountAuthorizationDetailsResponse, type IAMClient } from "@aws-sdk/client-iam";
import { decodeIamPolicyDocuments, toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["iam:GetAccountAuthorizationDetails"] as const;

type Details = Required<Pick<GetAccountAuthorizationDetailsResponse, "UserDetailList" | "GroupDetailList" | "RoleDetailList" | "Policies">>;

/**
 * `aws iam get-account-authorization-details`: every page (Marker / IsTruncated) merged list by
 * list, policy documents decoded from the raw API's URL encoding as the CLI prints them.
 */
export async function collectAuthorizationDetails(iam: IAMClient, signal?: AbortSignal): Promise<Details> {
  const details: Details = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  for await (const page of paginateGetAccountAuthorizationDetails({ client: iam, pageSize: 1000, stopOnSameToken: true }, {}, { abortSignal: signal })) {
    details.UserDetailList.push(...(page.UserDetailList ?? []));
    details.GroupDetailList.push(...(page.GroupDetailList ?? []));
    details.RoleDetailList.push(...(page.RoleDetailList ?? []));
    details.Policies.push(...(page.Policies ?? []));
  }
  return decodeIamPolicyDocuments(toCliJson(details));
}
