/** Which AWS errors the crawl handles, and how they read in a coverage gap. */

const ACCESS_ERRORS = new Set([
  "AccessDenied",
  "AccessDeniedException",
  "UnauthorizedOperation",
  "AuthorizationError",
  // Organizations from an account that is not the management account or a delegated admin.
  "AWSOrganizationsNotInUseException",
]);

// A call into an opt-in region that is not enabled for the account fails authentication there:
// Lambda answers UnrecognizedClientException, EC2 AuthFailure, STS InvalidClientTokenId.
// https://docs.aws.amazon.com/accounts/latest/reference/manage-acct-regions.html
const REGION_DISABLED_ERRORS = new Set(["UnrecognizedClientException", "AuthFailure", "InvalidClientTokenId", "OptInRequired"]);

const THROTTLING_ERRORS = new Set(["Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded", "ThrottledException", "SlowDown"]);

export function errorName(error: unknown): string {
  if (error && typeof error === "object") {
    const e = error as { name?: unknown; Code?: unknown; code?: unknown };
    for (const candidate of [e.name, e.Code, e.code]) if (typeof candidate === "string" && candidate && candidate !== "Error") return candidate;
  }
  return "Error";
}

export function isAccessError(error: unknown): boolean {
  return ACCESS_ERRORS.has(errorName(error));
}

export function isRegionDisabledError(error: unknown): boolean {
  return REGION_DISABLED_ERRORS.has(errorName(error));
}

export function isThrottlingError(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return THROTTLING_ERRORS.has(errorName(error)) || e.$metadata?.httpStatusCode === 429 || e.$retryable?.throttling === true;
}

export function isNotFoundError(error: unknown): boolean {
  return ["ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException"].includes(errorName(error));
}

/** `AccessDeniedException: User … is not authorized …` — name and AWS's message, nothing else. */
export function describeAwsError(error: unknown): string {
  const name = errorName(error);
  const message = error instanceof Error ? error.message : String(error);
  if (!message || message === name || message === "UnknownError") {
    const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    return status ? `${name} (HTTP ${status})` : name;
  }
  return `${name}: ${message}`;
}
