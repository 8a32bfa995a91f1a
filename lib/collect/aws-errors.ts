/**
 * Which AWS errors the crawl handles, and how they read in a coverage gap.
 *
 * Only these become gaps: access denied, not found, a region not enabled for the account,
 * retries exhausted (throttling, 5xx, dropped connections after the SDK's last attempt), and a
 * response that could not be read (not the JSON/XML the API defines). Anything else is a bug of
 * ours (a parameter we sent wrong, a TypeError) and fails the crawl loudly.
 */

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

const NOT_FOUND_ERRORS = new Set(["ResourceNotFoundException", "NoSuchEntity", "NoSuchEntityException"]);

// Transient failures the SDK retries; seen here only once its attempts are used up.
const TRANSIENT_ERRORS = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "InternalFailure",
  "InternalError",
  "InternalServerError",
  "ServiceException",
]);

/** Why an error is an expected coverage gap; null means it is not expected (a bug: fail loudly). */
export type ExpectedErrorKind = "access-denied" | "not-found" | "region-disabled" | "retries-exhausted" | "unreadable-response";

/** A response that arrived but cannot be used (a required member missing, a job that failed in AWS). */
export class UnusableResponseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnusableResponseError";
  }
}

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
  return NOT_FOUND_ERRORS.has(errorName(error));
}

/** The SDK could not parse the response (not JSON/XML, or an error without an AWS error code). */
function isUnreadableResponse(error: unknown): boolean {
  if (error instanceof UnusableResponseError) return true;
  if (!(error instanceof Error)) return false;
  // The SDK marks its deserialization failures by this sentence in the message.
  return error.message.includes("Deserialization error") || errorName(error) === "UnknownError";
}

function isRetriesExhausted(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return isThrottlingError(error) || (status !== undefined && status >= 500) || TRANSIENT_ERRORS.has(errorName(error));
}

/** The kind of expected failure, or null for an error the crawl must not swallow. */
export function expectedErrorKind(error: unknown): ExpectedErrorKind | null {
  if (isAccessError(error)) return "access-denied";
  if (isRegionDisabledError(error)) return "region-disabled";
  if (isNotFoundError(error)) return "not-found";
  if (isUnreadableResponse(error)) return "unreadable-response";
  if (isRetriesExhausted(error)) return "retries-exhausted";
  return null;
}

const MAX_MESSAGE = 300;

/**
 * `AccessDeniedException: User … is not authorized …` — name and AWS's message on one line,
 * without the SDK's own explanations ("Deserialization error: to see the raw response …").
 */
export function describeAwsError(error: unknown): string {
  const name = errorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  const attempts = (error as { $metadata?: { attempts?: number } } | null)?.$metadata?.attempts;
  const raw = error instanceof Error ? error.message : String(error);
  if (isUnreadableResponse(error) && !(error instanceof UnusableResponseError)) {
    return `unreadable response${status ? ` (HTTP ${status})` : ""}: not the ${status && status >= 400 ? "AWS error" : "response"} the API defines (does the endpoint implement this API?)`;
  }
  let message = oneLine(raw.replace(/\s*Deserialization error:[\s\S]*$/, ""));
  if (message.length > MAX_MESSAGE) message = `${message.slice(0, MAX_MESSAGE)}…`;
  const retried = attempts && attempts > 1 && isRetriesExhausted(error) ? `; gave up after ${attempts} attempts` : "";
  if (!message || message === name || message === "UnknownError") return `${name}${status ? ` (HTTP ${status}${retried})` : retried ? ` (${retried.slice(2)})` : ""}`;
  return `${name}: ${message}${retried ? ` (${retried.slice(2)})` : ""}`;
}

function oneLine(text: string): string {
  // Control characters (terminal escapes included) never reach a gap message.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").replace(/\s+/g, " ").trim();
}
