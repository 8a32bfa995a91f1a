/** Sign-in rules shared by the login page, the login route and the proxy. Pure. */

/**
 * Where to go after signing in: a same-origin path, else "/". Browsers read `/\host`, `/<tab>/host`
 * and `//host` as another origin, so a backslash, any control character or a second leading slash
 * (or backslash) rejects the value outright rather than being cleaned up.
 */
export function safeNextPath(next: string | null | undefined): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return "/";
  if (/[\\\u0000-\u001f\u007f]/.test(next)) return "/";
  const base = "http://saltzer.invalid";
  let resolved: URL;
  try {
    resolved = new URL(next, base);
  } catch {
    return "/";
  }
  if (resolved.origin !== base) return "/";
  return `${resolved.pathname}${resolved.search}${resolved.hash}`;
}

/** Failed sign-ins allowed per client address in one window before it must wait. */
export const SIGN_IN_MAX_FAILURES = 10;
/** The window, and the wait once the allowance is spent. */
export const SIGN_IN_WINDOW_MS = 15 * 60_000;

interface Attempts {
  failures: number;
  windowStart: number;
}

/**
 * Fixed-window limiter for failed sign-ins, per client address, in memory (one server process; a
 * restart forgets it). Ten guesses per quarter hour leaves a 16+ character token out of reach.
 */
export class SignInLimiter {
  private readonly attempts = new Map<string, Attempts>();

  constructor(
    private readonly maxFailures = SIGN_IN_MAX_FAILURES,
    private readonly windowMs = SIGN_IN_WINDOW_MS,
  ) {}

  /** Seconds the client must wait before trying again, or 0 when it may try now. */
  retryAfterSeconds(client: string, now = Date.now()): number {
    const entry = this.attempts.get(client);
    if (!entry || now - entry.windowStart >= this.windowMs) return 0;
    if (entry.failures < this.maxFailures) return 0;
    return Math.ceil((entry.windowStart + this.windowMs - now) / 1000);
  }

  recordFailure(client: string, now = Date.now()): void {
    const entry = this.attempts.get(client);
    if (!entry || now - entry.windowStart >= this.windowMs) {
      this.forgetExpired(now);
      this.attempts.set(client, { failures: 1, windowStart: now });
    } else {
      entry.failures += 1;
    }
  }

  recordSuccess(client: string): void {
    this.attempts.delete(client);
  }

  // Bounds memory when many addresses try once each.
  private forgetExpired(now: number): void {
    if (this.attempts.size < 10_000) return;
    for (const [client, entry] of this.attempts) if (now - entry.windowStart >= this.windowMs) this.attempts.delete(client);
  }
}
