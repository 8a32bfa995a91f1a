import type { NextRequest } from "next/server";
import { env } from "@/lib/env";
import { AUTH_COOKIE, bearerToken, tokenMatches } from "@/lib/auth-token";

/**
 * For route handlers: a 401 response unless the request carries the token (when one is set).
 * The cookie is read through Next's cookie parser, so a token containing `=` or `;` survives.
 */
export function authorizeRequest(request: NextRequest): Response | null {
  const token = env().SALTZER_AUTH_TOKEN;
  if (!token) return null;
  if (tokenMatches(token, bearerToken(request.headers.get("authorization"))) || tokenMatches(token, request.cookies.get(AUTH_COOKIE)?.value)) return null;
  return Response.json({ error: "Not authorized" }, { status: 401 });
}
