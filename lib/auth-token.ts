/** The dashboard token check, shared by the request proxy, actions and route handlers. */
export const AUTH_COOKIE = "saltzer_token";

/** Constant-time comparison (no early exit on the first differing character). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given || given.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= expected.charCodeAt(i) ^ given.charCodeAt(i);
  return diff === 0;
}
