/**
 * Test support: the standard retry rules (retry throttling and transient errors, up to
 * `maxAttempts`) with millisecond backoff, so fault-injection tests stay fast. The SDK's adaptive
 * strategy waits ~1 s per throttle and lowers each client's send rate to as little as 0.5 req/s,
 * which turns a 30%-throttled crawl of the sample into ~50 s.
 */
import type { RetryErrorInfo, RetryStrategyV2, RetryToken } from "@aws-sdk/types";

export function fastRetryStrategy(maxAttempts = 8, baseDelayMs = 5): RetryStrategyV2 {
  const token = (count: number, delay: number): RetryToken => ({ getRetryCount: () => count, getRetryDelay: () => delay });
  return {
    acquireInitialRetryToken: async () => token(0, 0),
    async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
      const count = previous.getRetryCount() + 1;
      if ((info.errorType !== "THROTTLING" && info.errorType !== "TRANSIENT") || count >= maxAttempts) throw new Error("no retry");
      return token(count, Math.floor(Math.random() * baseDelayMs * 2 ** count));
    },
    recordSuccess: () => undefined,
  };
}
