import { GetAccountAuthorizationDetailsCommand, type GetAccountAuthorizationDetailsResponse, type IAMClient } from "@aws-sdk/client-iam";
import { decodeIamPolicyDocuments, toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["iam:GetAccountAuthorizationDetails"] as const;

type Details = Required<Pick<GetAccountAuthorizationDetailsResponse, "UserDetailList" | "GroupDetailList" | "RoleDetailList" | "Policies">>;

/**
 * `aws iam get-account-authorization-details`: every page (Marker / IsTruncated) merged list by
 * list, policy documents decoded from the raw API's URL encoding as the CLI prints them.
 */
export async function collectAuthorizationDetails(iam: IAMClient, signal?: AbortSignal): Promise<Details> {
  const details: Details = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [] };
  let marker: string | undefined;
  do {
    const page = await iam.send(new GetAccountAuthorizationDetailsCommand({ Marker: marker, MaxItems: 1000 }), { abortSignal: signal });
    details.UserDetailList.push(...(page.UserDetailList ?? []));
    details.GroupDetailList.push(...(page.GroupDetailList ?? []));
    details.RoleDetailList.push(...(page.RoleDetailList ?? []));
    details.Policies.push(...(page.Policies ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return decodeIamPolicyDocuments(toCliJson(details));
}
