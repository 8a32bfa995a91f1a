/**
 * The dashboard's edges, attacked over real HTTP against production servers: host names it does
 * not serve (DNS rebinding), starts beyond loopback without a token, and the sign-in flow.
 * Besides Playwright's server (npm start, loopback, no token) it starts `next start` itself.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

const ROOT = path.resolve(import.meta.dirname, "..");
const PORT = Number(process.env.E2E_PORT ?? 3100);
const TOKEN = "tok=en;with-equals-0123456789";
const REBIND = "rebind.evil.example";

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One raw HTTP request, so the Host header and the address connected to are ours to choose. */
function send(options: { address?: string; port: number; path: string; host?: string; method?: string; headers?: Record<string, string>; body?: string }): Promise<Answer> {
  const address = options.address ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: address,
        port: options.port,
        path: options.path,
        method: options.method ?? "GET",
        // A fresh connection each time: a kept-alive socket the server has just closed reads as ECONNRESET.
        agent: false,
        headers: { host: options.host ?? `${address}:${options.port}`, ...options.headers },
      },
      (response) => {
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          // Enough to read an answer; the events stream would never end.
          if (body.length < 200_000) body += chunk;
          if (options.path.startsWith("/api/scans/events")) response.destroy();
        });
        const done = () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
        response.on("end", done);
        response.on("close", done);
      },
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

function form(fields: Record<string, string>): { headers: Record<string, string>; body: string } {
  return { headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(fields).toString() };
}

/** This machine's first non-loopback IPv4 address: how a colleague's machine would reach the dashboard. */
function networkAddress(): string {
  const found = Object.values(os.networkInterfaces())
    .flat()
    .find((i) => i && i.family === "IPv4" && !i.internal);
  if (!found) throw new Error("These tests need a non-loopback IPv4 interface to play the network client.");
  return found.address;
}

/** A port nobody listens on now (other test servers may run beside this one). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "0.0.0.0", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `next start` on this build, as someone might run it by hand; resolves once it answers on loopback. */
async function startNext(args: string[], env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(port), ...args], {
    cwd: ROOT,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", SALTZER_AUTH_TOKEN: "", SALTZER_ALLOWED_HOSTS: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Drain its output (an unread pipe would block the server once full), kept to explain a failure.
  let output = "";
  for (const stream of [child.stdout, child.stderr]) stream?.on("data", (c: Buffer) => (output = (output + c.toString()).slice(-20_000)));
  child.once("exit", (code) => {
    if (code !== 0 && code !== 143 && code !== null) console.error(`next start exited with ${code}:\n${output}`);
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      await send({ port, path: "/login" });
      return child;
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer on port ${port}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

async function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
}

/** The id Next.js gave a server action in this build. */
function actionId(file: string, name: string): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, ".next/server/server-reference-manifest.json"), "utf8")) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const id = Object.entries(manifest.node).find(([, a]) => a.filename === file && a.exportedName === name)?.[0];
  if (!id) throw new Error(`No server action ${name} in ${file}`);
  return id;
}

/** The form post a browser without JavaScript sends for `<form action={cancelScanAction}>`. */
function cancelScanPost(host: string): { headers: Record<string, string>; body: string } {
  const boundary = "----saltzer-e2e";
  const part = (name: string, value: string) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const body = `${part(`$ACTION_ID_${actionId("app/scans/actions.ts", "cancelScanAction")}`, "")}${part("scanId", "999999")}--${boundary}--\r\n`;
  return { headers: { "content-type": `multipart/form-data; boundary=${boundary}`, origin: `http://${host}` }, body };
}

test.describe("host names the dashboard does not serve (npm start, no token)", () => {
  test("a rebound host name gets 421 from pages, routes, sign-in and server actions", async () => {
    // Given the dashboard on 127.0.0.1 and a page on rebind.evil.example whose name now resolves to it
    const evilHost = `${REBIND}:${PORT}`;
    // Then the export answers the dashboard's own name, with the organization's data…
    const own = await send({ port: PORT, path: "/api/export?format=json" });
    expect(own.status).toBe(200);
    expect(own.body).toContain("arn:aws:lambda:");
    // …but nothing answers the rebound name
    for (const p of ["/", "/functions", "/api/export?format=json", "/api/graph", "/api/scans/events", "/login"]) {
      const answer = await send({ port: PORT, path: p, host: evilHost });
      expect(answer.status, p).toBe(421);
      expect(answer.body).not.toContain("arn:aws:lambda:");
    }
    const signIn = await send({ port: PORT, path: "/api/login", host: evilHost, method: "POST", ...form({ token: "x" }) });
    expect(signIn.status).toBe(421);
    // And a server action posted with a matching Host and Origin does not run; on the own name it does
    const evilAction = cancelScanPost(evilHost);
    expect((await send({ port: PORT, path: "/scans", host: evilHost, method: "POST", ...evilAction })).status).toBe(421);
    const ownAction = cancelScanPost(`127.0.0.1:${PORT}`);
    expect((await send({ port: PORT, path: "/scans", method: "POST", ...ownAction })).status).toBe(200);
  });

  test("GET /login?next=… puts only a same-origin path into the form", async () => {
    const attacks = ["/\\evil.example/x", "/\\/evil.example", "//evil.example", "/\t/evil.example", "/\r\n/evil.example", "https://evil.example/x"];
    for (const next of attacks) {
      const page = await send({ port: PORT, path: `/login?next=${encodeURIComponent(next)}` });
      expect(page.body, JSON.stringify(next)).toContain('name="next" value="/"');
    }
    const kept = await send({ port: PORT, path: `/login?next=${encodeURIComponent("/functions?severity=high")}` });
    expect(kept.body).toContain('name="next" value="/functions?severity=high"');
  });
});

test.describe("started beyond loopback without a token", () => {
  for (const [how, args] of [
    ["next start -H 0.0.0.0", ["-H", "0.0.0.0"]],
    ["next start (no -H)", []],
  ] as const) {
    test(`${how} answers only this machine`, async () => {
      const address = networkAddress();
      const port = await freePort();
      const server = await startNext([...args], { SALTZER_DATA_DIR: ".saltzer/e2e-host-open" }, port);
      try {
        // When a machine on the network asks, even claiming a loopback Host and a loopback forwarded address
        const spoofed = await send({ address, port, path: "/api/export?format=json", host: `127.0.0.1:${port}`, headers: { "x-forwarded-for": "127.0.0.1", "x-saltzer-peer": "127.0.0.1" } });
        // Then it is refused, saying why
        expect(spoofed.status).toBe(403);
        expect(spoofed.body).toMatch(/SALTZER_AUTH_TOKEN/);
        // And the machine's network name is not one it answers to without a token
        expect((await send({ address, port, path: "/" })).status).toBe(421);
        expect((await send({ address, port, path: "/login" })).status).toBe(421);
        // While this machine, on loopback, is served
        expect((await send({ port, path: "/login", host: `localhost:${port}` })).status).toBe(200);
      } finally {
        await stop(server);
      }
    });
  }

  test("next start with a token shorter than 16 characters stops with one line", async () => {
    const child = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", String(await freePort())], {
      cwd: ROOT,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", SALTZER_AUTH_TOKEN: "short" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise((r) => child.on("exit", r));
    expect(code).toBe(2);
    expect(stderr.trim()).toBe("saltzer: Invalid configuration: SALTZER_AUTH_TOKEN must be at least 16 characters");
  });
});

test.describe.serial("signing in to a dashboard served on the network", () => {
  let port = 0;
  let server: ChildProcess | undefined;
  let address = "";

  test.beforeAll(async () => {
    address = networkAddress();
    port = await freePort();
    server = await startNext(["-H", "0.0.0.0"], { SALTZER_DATA_DIR: ".saltzer/e2e-host-token", SALTZER_AUTH_TOKEN: TOKEN, SALTZER_ALLOWED_HOSTS: address }, port);
  });
  test.afterAll(async () => {
    await stop(server);
  });

  test("without the token: pages go to sign-in, routes and actions get 401, rebound names 421", async () => {
    for (const p of ["/", "/functions?severity=high", "/scans"]) {
      const answer = await send({ address, port, path: p });
      expect(answer.status, p).toBe(307);
      // Relative: the browser stays on the host it used
      expect(answer.headers.location).toBe(`/login?next=${encodeURIComponent(p)}`);
    }
    for (const p of ["/api/export?format=json", "/api/graph", "/api/scans/events"]) {
      expect((await send({ address, port, path: p })).status, p).toBe(401);
      for (const wrong of ["", "x", `${TOKEN}x`, TOKEN.slice(0, -1), TOKEN.toUpperCase()]) {
        expect((await send({ address, port, path: p, headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
        expect((await send({ address, port, path: p, headers: { cookie: `saltzer_token=${encodeURIComponent(wrong)}` } })).status).toBe(401);
      }
    }
    expect((await send({ address, port, path: "/scans", method: "POST", ...cancelScanPost(`${address}:${port}`) })).status).toBe(307);
    // A valid cookie does not make a rebound name acceptable
    const cookie = { cookie: `saltzer_token=${encodeURIComponent(TOKEN)}` };
    expect((await send({ address, port, path: "/api/export?format=json", host: `${REBIND}:${port}`, headers: cookie })).status).toBe(421);
  });

  test("signing in goes only to a same-origin path, on the host used, and the cookie carries a token with =", async () => {
    const attacks = ["/\\evil.example/x", "/\\/evil.example", "\\\\evil.example", "//evil.example/x", "/\t/evil.example/x", "/\r\n/evil.example", "http://evil.example/x"];
    for (const next of attacks) {
      const answer = await send({ address, port, path: "/api/login", method: "POST", ...form({ token: TOKEN, next }) });
      expect(answer.status).toBe(303);
      expect(answer.headers.location, JSON.stringify(next)).toBe("/");
    }
    const answer = await send({ address, port, path: "/api/login", method: "POST", ...form({ token: TOKEN, next: "/functions?severity=high" }) });
    expect(answer.headers.location).toBe("/functions?severity=high");
    const setCookie = answer.headers["set-cookie"]?.[0] ?? "";
    expect(setCookie).toMatch(/^saltzer_token=.*HttpOnly.*SameSite=strict/i);
    // The cookie works on route handlers too (a format error, not 401, proves it passed the check)
    const cookie = setCookie.split(";")[0];
    const authorised = await send({ address, port, path: "/api/export?format=nope", headers: { cookie } });
    expect(authorised.status).toBe(400);
    expect((await send({ address, port, path: "/api/export?format=nope" })).status).toBe(401);
  });

  test("a JSON sign-in gets 400 with a message", async () => {
    const answer = await send({ address, port, path: "/api/login", method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token: TOKEN }) });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toMatch(/form/);
  });

  test("a colleague signs in through the network address, lands where they were going, and signs out", async ({ page }) => {
    // Given the dashboard reached by its network address
    const origin = `http://${address}:${port}`;
    await page.goto(`${origin}/functions`);
    // Then the sign-in page asks for the token
    await expect(page).toHaveURL(`${origin}/login?next=%2Ffunctions`);
    await expectNoSeriousViolations(page, "sign-in");
    // When they sign in
    await page.getByLabel("Token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Then they are on the page they asked for, on the same host (not the bound localhost)
    await expect(page).toHaveURL(`${origin}/functions`);
    await expectNoSeriousViolations(page, "risk view with Sign out");
    // When they sign out
    await page.getByRole("button", { name: "Sign out" }).click();
    // Then they are back at sign-in, and the dashboard asks again
    await expect(page).toHaveURL(`${origin}/login`);
    await page.goto(`${origin}/`);
    await expect(page).toHaveURL(`${origin}/login?next=%2F`);
  });

  test("failed sign-ins from one address are limited, with Retry-After, and other addresses are not", async () => {
    // Given ten wrong tokens from the network address
    for (let i = 0; i < 10; i++) {
      const answer = await send({ address, port, path: "/api/login", method: "POST", ...form({ token: `wrong-${i}` }) });
      expect(answer.status).toBe(303);
      expect(answer.headers.location).toBe("/login?error=1&next=%2F");
    }
    // Then the next attempt, even with the right token, waits
    const limited = await send({ address, port, path: "/api/login", method: "POST", ...form({ token: TOKEN }) });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    // While this machine's own address may still sign in
    const local = await send({ port, path: "/api/login", method: "POST", ...form({ token: TOKEN }) });
    expect(local.status).toBe(303);
    expect(local.headers.location).toBe("/");
  });
});
