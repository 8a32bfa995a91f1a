/**
 * The resources a function's configuration and environment point at: the ARNs a `*` grant can
 * be narrowed to. Only hints: a resource the code reaches without naming it in its configuration
 * is invisible here, which the recommendation's notes say.
 */
import type { EventSourceMapping, LambdaFunction } from "@/lib/snapshot/types";
import { parseArn } from "@/lib/analysis/policy/arn-match";

/** An ARN (or ARN pattern) the function's configuration references, and where it was seen. */
export interface ReferencedResource {
  arn: string;
  /** e.g. `environment variable BUCKET_NAME`, `event source mapping`, `dead-letter target`. */
  origin: string;
  /** True when an environment variable names it (the code uses it), false for configuration ARNs. */
  fromEnvironment: boolean;
}

/** An ARN from a value, with the patterns that go with it (a bucket's objects, a table's indexes). */
function expandArn(arn: string): string[] {
  const parsed = parseArn(arn);
  if (!parsed) return [];
  if (parsed.service === "s3" && parsed.region === "" && !parsed.resource.includes("/")) return [arn, `${arn}/*`];
  if (parsed.service === "dynamodb" && /^table\/[^/]+$/.test(parsed.resource)) return [arn, `${arn}/index/*`];
  return [arn];
}

/** Every resource the function's environment and configuration reference, deduplicated, in a stable order. */
export function referencedResources(fn: LambdaFunction, mappings: EventSourceMapping[]): ReferencedResource[] {
  const found = new Map<string, string>();
  const add = (arn: string, origin: string) => {
    if (!found.has(arn)) found.set(arn, origin);
  };

  // The reader kept only the resources a value is an identifier of or names in the snapshot, never the value.
  for (const variable of fn.environment) {
    for (const arn of variable.referencedArns) for (const pattern of expandArn(arn)) add(pattern, `environment variable ${variable.name}`);
  }
  for (const mapping of mappings) {
    if (mapping.eventSourceArn) add(mapping.eventSourceArn, "event source mapping");
  }
  if (fn.deadLetterTargetArn) add(fn.deadLetterTargetArn, "dead-letter target");
  if (fn.kmsKeyArn) add(fn.kmsKeyArn, "environment encryption key");

  return [...found.entries()]
    .map(([arn, origin]) => ({ arn, origin, fromEnvironment: origin.startsWith("environment variable") }))
    .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
}
