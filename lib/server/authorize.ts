import "server-only";
import { cookies, headers } from "next/headers";
import { env } from "@/lib/env";
import { AUTH_COOKIE, bearerToken, tokenMatches } from "@/lib/auth-token";

/** Throws unless the request carries the dashboard token (when one is configured). */
export async function authorize(): Promise<void> {
  const token = env().SALTZER_AUTH_TOKEN;
  if (!token) return;
  const cookie = (await cookies()).get(AUTH_COOKIE)?.value;
  const bearer = bearerToken((await headers()).get("authorization"));
  if (!tokenMatches(token, cookie) && !tokenMatches(token, bearer)) throw new Error("Not authorized: sign in with the dashboard token.");
}
