import { AssumeRoleCommand, GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { UnusableResponseError } from "@/lib/collect/aws-errors";

// sts:GetCallerIdentity needs no permission (it cannot be denied), so it is not in the policy.
export const API_CALLS = ["sts:AssumeRole"] as const;

/** The account the credentials belong to. */
export async function collectCallerAccount(sts: STSClient, signal?: AbortSignal): Promise<{ accountId: string; arn: string }> {
  const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}), { abortSignal: signal });
  if (!Account || !Arn) throw new UnusableResponseError("GetCallerIdentity returned no Account/Arn");
  return { accountId: Account, arn: Arn };
}

export function auditRoleArn(accountId: string, roleName: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${roleName}`;
}

const SESSION_SECONDS = 3600;
// Re-assume this long before expiry, so no request is signed with credentials about to lapse.
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Assume the audit role once now (so an AccessDenied surfaces here, as a gap for that account),
 * and return a provider that re-assumes it before the session expires during long crawls.
 */
export async function assumeAuditRole(sts: STSClient, roleArn: string, externalId: string | undefined, signal?: AbortSignal): Promise<AwsCredentialIdentityProvider> {
  const assume = async (): Promise<AwsCredentialIdentity> => {
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: "saltzer-audit", ExternalId: externalId, DurationSeconds: SESSION_SECONDS }),
      { abortSignal: signal },
    );
    if (!Credentials?.AccessKeyId || !Credentials.SecretAccessKey) throw new UnusableResponseError(`AssumeRole ${roleArn} returned no credentials`);
    return { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken, expiration: Credentials.Expiration };
  };
  let current = await assume();
  let refreshing: Promise<AwsCredentialIdentity> | null = null;
  return async () => {
    if (current.expiration && current.expiration.getTime() - Date.now() < REFRESH_MARGIN_MS) {
      refreshing ??= assume().finally(() => (refreshing = null));
      current = await refreshing;
    }
    return current;
  };
}
