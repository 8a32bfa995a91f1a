import { ListFunctionsCommand, type FunctionConfiguration, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["lambda:ListFunctions"] as const;

/** `aws lambda list-functions`: every page, merged. */
export async function collectFunctions(lambda: LambdaClient, signal?: AbortSignal): Promise<{ Functions: FunctionConfiguration[] }> {
  const functions: FunctionConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListFunctionsCommand({ Marker: marker, MaxItems: 50 }), { abortSignal: signal });
    functions.push(...(page.Functions ?? []));
    marker = page.NextMarker || undefined;
  } while (marker);
  return toCliJson({ Functions: functions });
}
