/**
 * The dashboard's gate. Bound to loopback it is open (npm start refuses other hosts without a
 * token); with SALTZER_AUTH_TOKEN set, every page, route and action needs the token cookie or a
 * `Authorization: Bearer` header.
 */
import { NextResponse, type NextRequest } from "next/server";
import { AUTH_COOKIE, tokenMatches } from "@/lib/auth-token";
import { env } from "@/lib/env";

export function proxy(request: NextRequest): NextResponse {
  const token = env().SALTZER_AUTH_TOKEN;
  if (!token) return NextResponse.next();
  const { pathname } = request.nextUrl;
  if (pathname === "/login" || pathname === "/api/login") return NextResponse.next();
  const bearer = request.headers.get("authorization")?.replace(/^Bearer\s+/i, "");
  if (tokenMatches(token, request.cookies.get(AUTH_COOKIE)?.value) || tokenMatches(token, bearer)) return NextResponse.next();
  if (pathname.startsWith("/api/")) return NextResponse.json({ error: "Not authorized" }, { status: 401 });
  const login = request.nextUrl.clone();
  login.pathname = "/login";
  login.search = `?next=${encodeURIComponent(pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(login);
}

export const config = { matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"] };
