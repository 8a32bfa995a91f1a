import { GenerateServiceLastAccessedDetailsCommand, GetServiceLastAccessedDetailsCommand, type GetServiceLastAccessedDetailsResponse, type IAMClient, type ServiceLastAccessed } from "@aws-sdk/client-iam";
import { toCliJson } from "@/lib/collect/cli-shape";
import { sleep } from "@/lib/collect/job-pool";
import { UnusableResponseError } from "@/lib/collect/aws-errors";

export const API_CALLS = ["iam:GenerateServiceLastAccessedDetails", "iam:GetServiceLastAccessedDetails"] as const;

export interface LastAccessedOptions {
  signal?: AbortSignal;
  /** First wait between polls; doubles up to 8× this. */
  pollIntervalMs?: number;
  /** Give up after this long (the job keeps running in AWS; nothing to clean up). */
  timeoutMs?: number;
}

type LastAccessedDetails = Omit<GetServiceLastAccessedDetailsResponse, "$metadata" | "Marker" | "IsTruncated">;

/**
 * `aws iam generate-service-last-accessed-details --arn ROLE --granularity ACTION_LEVEL`, then
 * `get-service-last-accessed-details --job-id J` polled until the job ends, every page merged.
 */
export async function collectServiceLastAccessed(iam: IAMClient, roleArn: string, options: LastAccessedOptions = {}): Promise<LastAccessedDetails> {
  const { signal } = options;
  const { JobId } = await iam.send(new GenerateServiceLastAccessedDetailsCommand({ Arn: roleArn, Granularity: "ACTION_LEVEL" }), { abortSignal: signal });
  if (!JobId) throw new UnusableResponseError(`GenerateServiceLastAccessedDetails for ${roleArn} returned no JobId`);

  const base = options.pollIntervalMs ?? 1000;
  const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
  let wait = base;
  let first = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }), { abortSignal: signal });
  while (first.JobStatus === "IN_PROGRESS") {
    if (Date.now() > deadline) throw new UnusableResponseError(`service-last-accessed job ${JobId} for ${roleArn} still IN_PROGRESS after ${options.timeoutMs ?? 300_000} ms`);
    await sleep(wait, signal);
    wait = Math.min(wait * 2, base * 8);
    first = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId }), { abortSignal: signal });
  }
  if (first.JobStatus === "FAILED") throw new UnusableResponseError(`service-last-accessed job ${JobId} for ${roleArn} failed: ${first.Error?.Code ?? ""} ${first.Error?.Message ?? ""}`.trim());

  const services: ServiceLastAccessed[] = [...(first.ServicesLastAccessed ?? [])];
  let marker = first.IsTruncated ? first.Marker : undefined;
  // The SDK has no paginator for GetServiceLastAccessedDetails (its first page doubles as the status poll).
  while (marker) {
    const page = await iam.send(new GetServiceLastAccessedDetailsCommand({ JobId, Marker: marker }), { abortSignal: signal });
    services.push(...(page.ServicesLastAccessed ?? []));
    marker = page.IsTruncated ? page.Marker : undefined;
  }
  const { JobStatus, JobType, JobCreationDate, JobCompletionDate } = first;
  return toCliJson({ JobStatus, JobType, JobCreationDate, JobCompletionDate, ServicesLastAccessed: services });
}
