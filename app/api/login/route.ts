import { NextResponse } from "next/server";
import { AUTH_COOKIE, tokenMatches } from "@/lib/auth-token";
import { env } from "@/lib/env";

/** Exchanges the dashboard token for an httpOnly, same-site cookie. */
export async function POST(request: Request): Promise<Response> {
  const form = await request.formData();
  const given = String(form.get("token") ?? "");
  const next = String(form.get("next") ?? "/");
  const safeNext = next.startsWith("/") && !next.startsWith("//") ? next : "/";
  const token = env().SALTZER_AUTH_TOKEN;
  const url = new URL(request.url);
  if (!token || !tokenMatches(token, given)) {
    return NextResponse.redirect(new URL(`/login?error=1&next=${encodeURIComponent(safeNext)}`, url), 303);
  }
  const response = NextResponse.redirect(new URL(safeNext, url), 303);
  response.cookies.set(AUTH_COOKIE, given, { httpOnly: true, sameSite: "strict", secure: url.protocol === "https:", path: "/", maxAge: 12 * 3600 });
  return response;
}
