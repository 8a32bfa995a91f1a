import { GetPolicyCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";
import { isNotFoundError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["lambda:GetPolicy"] as const;

/** `aws lambda get-policy --function-name X`; null when the function has no resource policy. */
export async function collectFunctionPolicy(lambda: LambdaClient, functionName: string, signal?: AbortSignal): Promise<{ Policy: string; RevisionId?: string } | null> {
  try {
    const { Policy, RevisionId } = await lambda.send(new GetPolicyCommand({ FunctionName: functionName }), { abortSignal: signal });
    if (Policy === undefined) return null;
    return toCliJson({ Policy, RevisionId });
  } catch (error) {
    // Lambda answers ResourceNotFoundException both for "no policy" and for a function deleted since the listing.
    if (isNotFoundError(error)) return null;
    throw error;
  }
}
