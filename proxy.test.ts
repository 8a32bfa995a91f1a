import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";

const TOKEN = "test-token-abcdefghijkl";

async function loadProxy(values: Record<string, string> = { SALTZER_AUTH_TOKEN: TOKEN }) {
  // The proxy reads configuration once; set it first.
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  vi.resetModules();
  return (await import("./proxy")).proxy;
}

/** A request as the server hands it to the proxy: a Host header and the stamped peer address. */
function request(url: string, headers: Record<string, string> = {}, init: { method?: string } = {}) {
  const host = new URL(url).host;
  return new NextRequest(url, { ...init, headers: { host, "x-saltzer-peer": "127.0.0.1", ...headers } });
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("the dashboard's token gate", () => {
  it("sends a page request without the token to the sign-in page", async () => {
    const proxy = await loadProxy();
    // When a browser asks for the overview without the cookie
    const response = proxy(request("http://127.0.0.1:3000/functions?severity=high"));
    // Then it is redirected to /login, keeping where it wanted to go
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toMatch(/\/login\?next=%2Ffunctions%3Fseverity%3Dhigh$/);
  });

  it("answers 401 to an API call without the token", async () => {
    const proxy = await loadProxy();
    const response = proxy(request("http://127.0.0.1:3000/api/export?format=sarif"));
    expect(response.status).toBe(401);
  });

  it("lets a request with the cookie or a bearer token through", async () => {
    const proxy = await loadProxy();
    const withCookie = request("http://127.0.0.1:3000/", { cookie: `saltzer_token=${TOKEN}` });
    const withBearer = request("http://127.0.0.1:3000/api/export?format=csv", { authorization: `Bearer ${TOKEN}` });
    expect(proxy(withCookie).headers.get("x-middleware-next")).toBe("1");
    expect(proxy(withBearer).headers.get("x-middleware-next")).toBe("1");
  });

  it("accepts a cookie token containing = and ;, as the login route sets it", async () => {
    const token = "abc=def;ghi=jkl-0123456789";
    const proxy = await loadProxy({ SALTZER_AUTH_TOKEN: token });
    const withCookie = request("http://127.0.0.1:3000/", { cookie: `other=1; saltzer_token=${encodeURIComponent(token)}` });
    expect(proxy(withCookie).headers.get("x-middleware-next")).toBe("1");
  });

  it("rejects a wrong token of any length", async () => {
    const proxy = await loadProxy();
    for (const wrong of ["", "x", `${TOKEN}x`, TOKEN.slice(0, -1), "y".repeat(TOKEN.length)]) {
      expect(proxy(request("http://127.0.0.1:3000/api/graph", { authorization: `Bearer ${wrong}` })).status).toBe(401);
    }
  });
});

describe("the dashboard's host check", () => {
  it("answers 421 to a rebound host name on pages, routes and actions, even with the token", async () => {
    for (const values of [{ SALTZER_AUTH_TOKEN: "" }, { SALTZER_AUTH_TOKEN: TOKEN }]) {
      const proxy = await loadProxy(values);
      const evil = { host: "rebind.evil.example:3304", cookie: `saltzer_token=${TOKEN}`, origin: "http://rebind.evil.example:3304" };
      expect(proxy(request("http://127.0.0.1:3304/", evil)).status).toBe(421);
      expect(proxy(request("http://127.0.0.1:3304/api/export?format=json", evil)).status).toBe(421);
      expect(proxy(request("http://127.0.0.1:3304/login", evil)).status).toBe(421);
      expect(proxy(request("http://127.0.0.1:3304/scans", { ...evil, "next-action": "0123abcd" }, { method: "POST" })).status).toBe(421);
    }
  });

  it("without a token, refuses a request from the network however the Host reads", async () => {
    const proxy = await loadProxy({ SALTZER_AUTH_TOKEN: "", HOST: "0.0.0.0" });
    const response = proxy(request("http://127.0.0.1:3000/api/export?format=json", { "x-saltzer-peer": "192.0.2.7" }));
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/SALTZER_AUTH_TOKEN/);
  });

  it("answers a name from SALTZER_ALLOWED_HOSTS when a token is set", async () => {
    const proxy = await loadProxy({ SALTZER_AUTH_TOKEN: TOKEN, HOST: "0.0.0.0", SALTZER_ALLOWED_HOSTS: "dash.example.com" });
    const response = proxy(request("http://dash.example.com/", { "x-saltzer-peer": "192.0.2.7", cookie: `saltzer_token=${TOKEN}` }));
    expect(response.headers.get("x-middleware-next")).toBe("1");
  });
});
