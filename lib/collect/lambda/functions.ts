import { paginateListFunctions, type FunctionConfiguration, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["lambda:ListFunctions"] as const;

/** `aws lambda list-functions`: every page, merged. */
export async function collectFunctions(lambda: LambdaClient, signal?: AbortSignal): Promise<{ Functions: FunctionConfiguration[] }> {
  const functions: FunctionConfiguration[] = [];
  for await (const page of paginateListFunctions({ client: lambda, pageSize: 50, stopOnSameToken: true }, {}, { abortSignal: signal })) functions.push(...(page.Functions ?? []));
  return toCliJson({ Functions: functions });
}
