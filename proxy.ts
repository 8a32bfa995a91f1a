/**
 * The dashboard's gate, in front of every page, route handler and server action.
 * 1. Host: only the names the dashboard serves (loopback, HOST, SALTZER_ALLOWED_HOSTS) get an
 *    answer; any other gets 421, which defeats DNS rebinding. Without SALTZER_AUTH_TOKEN, only this
 *    machine (loopback peer and loopback name) gets one, whichever way the server was started.
 * 2. Token: with SALTZER_AUTH_TOKEN set, everything but sign-in and sign-out needs the token cookie
 *    or an `Authorization: Bearer` header.
 */
import { NextResponse, type NextRequest } from "next/server";
import { AUTH_COOKIE, bearerToken, tokenMatches } from "@/lib/auth-token";
import { env } from "@/lib/env";
import { PEER_HEADER, refuseHost } from "@/lib/host-guard";

const OPEN_PATHS = new Set(["/login", "/api/login", "/api/logout"]);

export function proxy(request: NextRequest): NextResponse {
  const config = env();
  const token = config.SALTZER_AUTH_TOKEN;
  const refused = refuseHost({
    hostHeader: request.headers.get("host"),
    peerAddress: request.headers.get(PEER_HEADER),
    allowedHosts: config.allowedHosts,
    tokenConfigured: Boolean(token),
  });
  if (refused) return new NextResponse(`${refused.message}\n`, { status: refused.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!token) return NextResponse.next();
  const { pathname } = request.nextUrl;
  if (OPEN_PATHS.has(pathname)) return NextResponse.next();
  if (tokenMatches(token, request.cookies.get(AUTH_COOKIE)?.value) || tokenMatches(token, bearerToken(request.headers.get("authorization")))) return NextResponse.next();
  if (pathname.startsWith("/api/")) return NextResponse.json({ error: "Not authorized" }, { status: 401 });
  // Next.js turns a same-origin Location from the proxy into a relative one, so the browser stays on
  // the host it used rather than the one the server is bound to (the e2e spec checks it).
  return NextResponse.redirect(new URL(`/login?next=${encodeURIComponent(pathname + request.nextUrl.search)}`, request.nextUrl), 307);
}

// Everything but build assets (public code, no data): pages, RSC requests, server actions, route handlers.
export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
