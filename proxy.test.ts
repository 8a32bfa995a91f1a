import { NextRequest } from "next/server";
import { describe, expect, it, vi } from "vitest";

const TOKEN = "test-token-abcdefghijkl";

async function loadProxy() {
  // The proxy reads configuration once; give it a token first.
  vi.stubEnv("SALTZER_AUTH_TOKEN", TOKEN);
  vi.resetModules();
  return (await import("./proxy")).proxy;
}

describe("the dashboard's token gate", () => {
  it("sends a page request without the token to the sign-in page", async () => {
    const proxy = await loadProxy();
    // When a browser asks for the overview without the cookie
    const response = proxy(new NextRequest("http://127.0.0.1:3000/functions?severity=high"));
    // Then it is redirected to /login, keeping where it wanted to go
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/\/login\?next=%2Ffunctions%3Fseverity%3Dhigh/);
  });

  it("answers 401 to an API call without the token", async () => {
    const proxy = await loadProxy();
    const response = proxy(new NextRequest("http://127.0.0.1:3000/api/export?format=sarif"));
    expect(response.status).toBe(401);
  });

  it("lets a request with the cookie or a bearer token through", async () => {
    const proxy = await loadProxy();
    const withCookie = new NextRequest("http://127.0.0.1:3000/", { headers: { cookie: `saltzer_token=${TOKEN}` } });
    const withBearer = new NextRequest("http://127.0.0.1:3000/api/export?format=csv", { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(proxy(withCookie).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(withBearer).headers.get("x-middleware-next")).toBe("1");
  });
});
