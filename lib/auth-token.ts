/** The dashboard token check, shared by the request proxy, actions and route handlers. */
import { createHash, timingSafeEqual } from "node:crypto";

export const AUTH_COOKIE = "saltzer_token";

/**
 * Constant-time comparison. Both sides are hashed first, so the comparison runs over two equal-length
 * digests and takes the same time whatever the given token's length (no early exit on a length mismatch).
 */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (given === null || given === undefined) return false;
  const a = createHash("sha256").update(expected, "utf8").digest();
  const b = createHash("sha256").update(given, "utf8").digest();
  return timingSafeEqual(a, b);
}

/** The token an `Authorization: Bearer …` header carries, if any. */
export function bearerToken(authorization: string | null | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? "");
  return match?.[1];
}
