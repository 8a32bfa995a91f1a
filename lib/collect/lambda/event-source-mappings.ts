import { paginateListEventSourceMappings, type EventSourceMappingConfiguration, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["lambda:ListEventSourceMappings"] as const;

/** `aws lambda list-event-source-mappings`: every page, merged. */
export async function collectEventSourceMappings(lambda: LambdaClient, signal?: AbortSignal): Promise<{ EventSourceMappings: EventSourceMappingConfiguration[] }> {
  const mappings: EventSourceMappingConfiguration[] = [];
  for await (const page of paginateListEventSourceMappings({ client: lambda, pageSize: 100, stopOnSameToken: true }, {}, { abortSignal: signal })) mappings.push(...(page.EventSourceMappings ?? []));
  return toCliJson({ EventSourceMappings: mappings });
}
