import { describe, expect, it } from "vitest";
import { safeNextPath, SIGN_IN_MAX_FAILURES, SIGN_IN_WINDOW_MS, SignInLimiter } from "./sign-in";

describe("where sign-in leads", () => {
  it("keeps a same-origin path with its query", () => {
    expect(safeNextPath("/functions?severity=high#top")).toBe("/functions?severity=high#top");
    expect(safeNextPath("/")).toBe("/");
  });

  it("sends anything a browser could read as another origin to /", () => {
    const attacks = [
      "/\\evil.example/x",
      "/\\/evil.example",
      "\\\\evil.example",
      "//evil.example/x",
      "/\t/evil.example/x",
      "/\r\n/evil.example",
      "/\n/evil.example",
      "http://evil.example/x",
      "https:evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
    ];
    for (const next of attacks) expect(safeNextPath(next), JSON.stringify(next)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
  });
});

describe("failed sign-in limit", () => {
  it("makes an address wait once its failures are spent, and only that address", () => {
    // Given a limiter and one address that failed the allowed number of times
    const limiter = new SignInLimiter();
    const t0 = 1_000_000;
    for (let i = 0; i < SIGN_IN_MAX_FAILURES; i++) {
      expect(limiter.retryAfterSeconds("192.0.2.7", t0)).toBe(0);
      limiter.recordFailure("192.0.2.7", t0);
    }
    // Then it must wait until the window ends, another address need not
    expect(limiter.retryAfterSeconds("192.0.2.7", t0 + 60_000)).toBe((SIGN_IN_WINDOW_MS - 60_000) / 1000);
    expect(limiter.retryAfterSeconds("192.0.2.8", t0)).toBe(0);
    // And after the window it may try again
    expect(limiter.retryAfterSeconds("192.0.2.7", t0 + SIGN_IN_WINDOW_MS)).toBe(0);
  });

  it("forgets failures after a successful sign-in", () => {
    const limiter = new SignInLimiter(2, 60_000);
    limiter.recordFailure("a", 0);
    limiter.recordSuccess("a");
    limiter.recordFailure("a", 1);
    expect(limiter.retryAfterSeconds("a", 2)).toBe(0);
  });
});
