import { paginateListFunctionUrlConfigs, type FunctionUrlConfig, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";
import { isNotFoundError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["lambda:ListFunctionUrlConfigs"] as const;

/** `aws lambda list-function-url-configs --function-name X`; null when the function has no URL. */
export async function collectFunctionUrls(lambda: LambdaClient, functionName: string, signal?: AbortSignal): Promise<{ FunctionUrlConfigs: FunctionUrlConfig[] } | null> {
  const configs: FunctionUrlConfig[] = [];
  try {
    for await (const page of paginateListFunctionUrlConfigs({ client: lambda, pageSize: 50, stopOnSameToken: true }, { FunctionName: functionName }, { abortSignal: signal })) {
      configs.push(...(page.FunctionUrlConfigs ?? []));
    }
  } catch (error) {
    // The function was deleted since it was listed.
    if (isNotFoundError(error)) return null;
    throw error;
  }
  return configs.length > 0 ? toCliJson({ FunctionUrlConfigs: configs }) : null;
}
