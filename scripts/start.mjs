// `npm start`: install if needed, build if stale, scan the sample organization into the
// embedded database on first start, then serve the dashboard (127.0.0.1 by default).
import { spawn } from "node:child_process";
import { ensureBuild, ensureDist, ensureInstall, root, run } from "./ensure-install.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
const token = process.env.SALTZER_AUTH_TOKEN ?? "";
const isLoopback = (name) => ["localhost", "::1", "[::1]"].includes(name) || /^127\.\d+\.\d+\.\d+$/.test(name);
// The server checks the same rules (lib/env.ts, proxy.ts); refusing here says so before a build.
if (token && token.length < 16) {
  console.error("Invalid configuration: SALTZER_AUTH_TOKEN must be at least 16 characters.");
  process.exit(2);
}
const beyondLoopback = [host, ...(process.env.SALTZER_ALLOWED_HOSTS ?? "").split(",").map((h) => h.trim()).filter(Boolean)].filter((h) => !isLoopback(h));
if (beyondLoopback.length > 0 && !token) {
  console.error(`Refusing to listen on ${beyondLoopback.join(", ")}: the dashboard shows your organization's weaknesses. Set SALTZER_AUTH_TOKEN (16+ characters) to serve beyond this machine.`);
  process.exit(2);
}

if (["0.0.0.0", "::"].includes(host) && !process.env.SALTZER_ALLOWED_HOSTS) {
  console.log("Note: the dashboard answers only to loopback names until SALTZER_ALLOWED_HOSTS lists the names colleagues use (e.g. dash.example.com,10.0.0.5).");
}

ensureInstall();
// The CLI and the dashboard's scans run the compiled analysis worker (dist/analysis-worker.mjs).
await ensureDist({ log: (m) => console.log(m) });
ensureBuild();
run(process.execPath, ["bin/saltzer.mjs", "first-start"]);

console.log(`Saltzer dashboard: http://${host.includes(":") ? `[${host}]` : host}:${port}/`);
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", host, "-p", port], { cwd: root, stdio: "inherit", env: process.env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
