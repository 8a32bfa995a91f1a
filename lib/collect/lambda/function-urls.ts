import { ListFunctionUrlConfigsCommand, type FunctionUrlConfig, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";
import { isNotFoundError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["lambda:ListFunctionUrlConfigs"] as const;

/** `aws lambda list-function-url-configs --function-name X`; null when the function has no URL. */
export async function collectFunctionUrls(lambda: LambdaClient, functionName: string, signal?: AbortSignal): Promise<{ FunctionUrlConfigs: FunctionUrlConfig[] } | null> {
  const configs: FunctionUrlConfig[] = [];
  let marker: string | undefined;
  try {
    do {
      const page = await lambda.send(new ListFunctionUrlConfigsCommand({ FunctionName: functionName, Marker: marker, MaxItems: 50 }), { abortSignal: signal });
      configs.push(...(page.FunctionUrlConfigs ?? []));
      marker = page.NextMarker || undefined;
    } while (marker);
  } catch (error) {
    // The function was deleted since it was listed.
    if (isNotFoundError(error)) return null;
    throw error;
  }
  return configs.length > 0 ? toCliJson({ FunctionUrlConfigs: configs }) : null;
}
