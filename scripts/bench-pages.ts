/**
 * `npm run bench -- --pages --data DATA_DIR` (or `tsx scripts/bench-pages.ts --data DATA_DIR`): serve a
 * scanned data dir with the production build (`npx next build` first), request each page N times
 * over HTTP and print p50/p95 per page, then time the four whole-organization exports (time to
 * first byte, total, bytes, server RSS growth), after one untimed export that warms the server. Figures, not assertions: outside the test suite.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const root = path.resolve(import.meta.dirname, "..");

export interface PageTiming {
  page: string;
  status: number;
  "p50 ms": number;
  "p95 ms": number;
  "max ms": number;
  /** Server CPU (user + system) per request: what a page costs, whatever else the machine runs. */
  "server CPU ms": number;
}

export interface ExportTiming {
  format: string;
  status: number;
  "first byte ms": number;
  "total ms": number;
  MB: number;
  "server RSS growth MB": number;
  "server CPU ms": number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** The server's resident set size in MB, from /proc (Linux). */
function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** The server's CPU time so far (user + system), in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** `next start` on the data dir; resolves once it answers. */
export async function startNext(dataDir: string, port: number): Promise<{ base: string; server: ChildProcess; stop: () => Promise<void> }> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) throw new Error("No production build (.next): run `npx next build` first.");
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, SALTZER_DATA_DIR: dataDir, DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  };
  for (let i = 0; i < 300; i++) {
    if (server.exitCode !== null) throw new Error(`next start exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/scans`)).ok) return { base, server, stop };
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`next start did not answer on ${base} within 60 s`);
}

/** The pages the issue names, with URLs found on the served pages themselves. */
export async function benchPaths(base: string): Promise<[string, string][]> {
  const functionsHtml = await (await fetch(`${base}/functions`)).text();
  const riskiest = decodeURIComponent(/href="\/functions\/([^"?]+)\?scan=/.exec(functionsHtml)?.[1] ?? "");
  const scansHtml = await (await fetch(`${base}/scans`)).text();
  const scanIds = [...scansHtml.matchAll(/scan=(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
  const account = /account=(\d{12})/.exec(await (await fetch(`${base}/`)).text())?.[1];
  const [from, to] = [scanIds[0], scanIds[scanIds.length - 1]];
  const paths: [string, string][] = [
    ["overview", "/"],
    ["risk view, default (risk desc)", "/functions"],
    ["risk view, severity+category filter", "/functions?severity=high&category=data-exfiltration"],
    ["risk view, account+public filter", `/functions?account=${account ?? ""}&public=no`],
    ["risk view, region filter", "/functions?region=us-east-1"],
    ["risk view, runtime filter", "/functions?runtime=python3.12"],
    ["risk view, text search", "/functions?q=orders"],
    ["risk view, deep page by name", "/functions?sort=name&dir=asc&page=150"],
    ["function detail (riskiest)", `/functions/${encodeURIComponent(riskiest)}`],
    ["permission graph page", `/functions/${encodeURIComponent(riskiest)}/graph`],
    ["graph data (depth 2)", `/api/graph?arn=${encodeURIComponent(riskiest)}&depth=2`],
    ["roles", "/roles"],
    ["roles, search", "/roles?q=api"],
    ["scans", "/scans"],
  ];
  if (from !== undefined && to !== undefined && from !== to) paths.push(["diff", `/scans/diff?from=${from}&to=${to}`]);
  return paths;
}

export async function timePages(base: string, paths: [string, string][], runs: number, pid: number): Promise<PageTiming[]> {
  const out: PageTiming[] = [];
  for (const [name, p] of paths) {
    const times: number[] = [];
    let status = 0;
    let cpuStart = 0;
    // One warm-up request (compiles nothing under `next start`, but fills the OS and PGlite caches).
    for (let i = 0; i <= runs; i++) {
      if (i === 1) cpuStart = cpuMs(pid);
      const t0 = performance.now();
      const res = await fetch(base + p);
      await res.arrayBuffer();
      status = res.status;
      if (i > 0) times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    out.push({ page: name, status, "p50 ms": Math.round(percentile(times, 50)), "p95 ms": Math.round(percentile(times, 95)), "max ms": Math.round(times[times.length - 1]), "server CPU ms": Math.round((cpuMs(pid) - cpuStart) / runs) });
  }
  return out;
}

export async function timeExports(base: string, pid: number): Promise<ExportTiming[]> {
  const out: ExportTiming[] = [];
  // One untimed export first: the first read of a large scan fills the embedded database's
  // buffers (memory it keeps), which is the server warming up, not what an export costs.
  await (await fetch(`${base}/api/export?format=csv`)).arrayBuffer();
  for (const format of ["json", "csv", "sarif", "html"]) {
    const before = rssMb(pid);
    const cpuBefore = cpuMs(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
    const t0 = performance.now();
    const res = await fetch(`${base}/api/export?format=${format}`);
    let first = 0;
    let bytes = 0;
    const reader = res.body!.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!first) first = performance.now() - t0;
      bytes += value.byteLength;
    }
    const total = performance.now() - t0;
    clearInterval(sampler);
    out.push({ format, status: res.status, "first byte ms": Math.round(first), "total ms": Math.round(total), MB: Number((bytes / 2 ** 20).toFixed(1)), "server RSS growth MB": Math.round(peak - before), "server CPU ms": Math.round(cpuMs(pid) - cpuBefore) });
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("bench-pages.ts")) {
  const { values } = parseArgs({
    options: { data: { type: "string" }, runs: { type: "string", default: "20" }, port: { type: "string", default: "3207" }, exports: { type: "boolean", default: true } },
    strict: true,
    allowNegative: true,
  });
  if (!values.data) {
    console.error("usage: tsx scripts/bench-pages.ts --data DATA_DIR [--runs N] [--port P] [--no-exports]");
    process.exit(2);
  }
  const { base, server, stop } = await startNext(path.resolve(values.data), Number(values.port));
  try {
    const runs = Number(values.runs);
    console.log(`\nDashboard pages over HTTP (next start), ${runs} requests each after one warm-up, data ${values.data}\n`);
    console.table(await timePages(base, await benchPaths(base), runs, server.pid!));
    if (values.exports) {
      console.log("\nWhole-organization exports (streamed)\n");
      console.table(await timeExports(base, server.pid!));
    }
  } finally {
    await stop();
  }
}
