import { NextResponse, type NextRequest } from "next/server";
import { AUTH_COOKIE } from "@/lib/auth-token";

/** Signs out: clears the token cookie and goes back to the sign-in page (relative, on the host used). */
export async function POST(request: NextRequest): Promise<Response> {
  const response = new NextResponse(null, { status: 303, headers: { Location: "/login" } });
  response.cookies.set(AUTH_COOKIE, "", { httpOnly: true, sameSite: "strict", secure: request.nextUrl.protocol === "https:", path: "/", maxAge: 0 });
  return response;
}
