import { env } from "@/lib/env";
import { AUTH_COOKIE, tokenMatches } from "@/lib/auth-token";

/** For route handlers: a 401 response unless the request carries the token (when one is set). */
export function authorizeRequest(request: Request): Response | null {
  const token = env().SALTZER_AUTH_TOKEN;
  if (!token) return null;
  const bearer = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
  const cookie = request.headers
    .get("cookie")
    ?.split(";")
    .map((c) => c.trim().split("="))
    .find(([k]) => k === AUTH_COOKIE)?.[1];
  if (tokenMatches(token, bearer) || tokenMatches(token, cookie ? decodeURIComponent(cookie) : undefined)) return null;
  return new Response(JSON.stringify({ error: "Not authorized" }), { status: 401, headers: { "Content-Type": "application/json" } });
}
