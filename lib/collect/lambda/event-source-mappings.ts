import { ListEventSourceMappingsCommand, type EventSourceMappingConfiguration, type LambdaClient } from "@aws-sdk/client-lambda";
import { toCliJson } from "@/lib/collect/cli-shape";

export const API_CALLS = ["lambda:ListEventSourceMappings"] as const;

/** `aws lambda list-event-source-mappings`: every page, merged. */
export async function collectEventSourceMappings(lambda: LambdaClient, signal?: AbortSignal): Promise<{ EventSourceMappings: EventSourceMappingConfiguration[] }> {
  const mappings: EventSourceMappingConfiguration[] = [];
  let marker: string | undefined;
  do {
    const page = await lambda.send(new ListEventSourceMappingsCommand({ Marker: marker, MaxItems: 100 }), { abortSignal: signal });
    mappings.push(...(page.EventSourceMappings ?? []));
    marker = page.NextMarker || undefined;
  } while (marker);
  return toCliJson({ EventSourceMappings: mappings });
}
