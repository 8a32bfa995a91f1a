import { NextResponse, type NextRequest } from "next/server";
import { AUTH_COOKIE, tokenMatches } from "@/lib/auth-token";
import { env } from "@/lib/env";
import { PEER_HEADER } from "@/lib/host-guard";
import { safeNextPath, SignInLimiter } from "@/lib/sign-in";

const limiter = new SignInLimiter();

/**
 * Exchanges the dashboard token for an httpOnly, same-site cookie. Redirects are relative, so the
 * browser stays on the host it used (the proxy has already checked that host is one we serve).
 */
export async function POST(request: NextRequest): Promise<Response> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type)) {
    return NextResponse.json({ error: "Send the sign-in as a form (application/x-www-form-urlencoded or multipart/form-data) with a `token` field." }, { status: 400 });
  }
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return NextResponse.json({ error: "The sign-in form could not be read." }, { status: 400 });
  }
  const given = form.get("token");
  const next = safeNextPath(String(form.get("next") ?? "/"));
  const token = env().SALTZER_AUTH_TOKEN;
  // The peer address is stamped from the socket by the server, so a client cannot pick its own bucket.
  const client = request.headers.get(PEER_HEADER) ?? "unknown";
  const wait = limiter.retryAfterSeconds(client);
  if (wait > 0) {
    return new NextResponse(`Too many failed sign-ins from this address: try again in ${Math.ceil(wait / 60)} minute(s).\n`, {
      status: 429,
      headers: { "Retry-After": String(wait), "Content-Type": "text/plain; charset=utf-8" },
    });
  }
  if (!token || typeof given !== "string" || !tokenMatches(token, given)) {
    limiter.recordFailure(client);
    return redirect(`/login?error=1&next=${encodeURIComponent(next)}`);
  }
  limiter.recordSuccess(client);
  const response = redirect(next);
  response.cookies.set(AUTH_COOKIE, given, { httpOnly: true, sameSite: "strict", secure: isHttps(request), path: "/", maxAge: 12 * 3600 });
  return response;
}

/** A 303 to a path on the host the browser used (a relative Location, RFC 9110 §10.2.2). */
function redirect(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { Location: path } });
}

function isHttps(request: NextRequest): boolean {
  return request.nextUrl.protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}
