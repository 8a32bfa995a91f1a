// `npm start`: install if needed, build if stale, scan the sample organization into the
// embedded database on first start, then serve the dashboard (127.0.0.1 by default).
import { spawn } from "node:child_process";
import { ensureBuild, ensureDist, ensureInstall, root, run } from "./ensure-install.mjs";

process.env.NEXT_TELEMETRY_DISABLED = "1";
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "3000";
const loopback = ["127.0.0.1", "localhost", "::1"].includes(host) || host.startsWith("127.");
if (!loopback && !process.env.SALTZER_AUTH_TOKEN) {
  console.error(`Refusing to listen on ${host}: the dashboard shows your organization's weaknesses. Set SALTZER_AUTH_TOKEN (16+ characters) to serve beyond this machine.`);
  process.exit(2);
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
