/**
 * `npm run bench`: scan synthetic organizations of 1k and 10k functions into a fresh embedded
 * database and print seconds per phase and peak RSS (each size in its own process). Outside
 * the test suite: figures, not assertions. `npm run bench -- --sizes 1000,5000` for other sizes;
 * `npm run bench -- --crawl` for the crawl against the rate-limited replay server (scripts/bench-crawl.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: { sizes: { type: "string", default: "1000,10000" }, accounts: { type: "string" }, child: { type: "string" }, pages: { type: "boolean", default: true }, crawl: { type: "boolean", default: false } },
  strict: true,
  allowNegative: true,
});
const root = path.resolve(import.meta.dirname, "..");
let pageRows: Record<string, unknown>[] = [];

if (values.crawl) {
  const crawl = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench-crawl.ts")], { cwd: root, stdio: "inherit" });
  process.exit(crawl.status ?? 1);
} else if (values.child) {
  await runOne(values.child);
} else {
  const rows: Record<string, unknown>[] = [];
  for (const size of values.sizes!.split(",").map(Number)) {
    const accounts = values.accounts ? Number(values.accounts) : Math.max(3, Math.round(size / 333));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `saltzer-bench-${size}-`));
    execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/gen-org.ts"), "--functions", String(size), "--accounts", String(accounts), "--seed", "7", "--out", path.join(dir, "org")], { cwd: root, stdio: "ignore" });
    // The same heap cap the CLI runs with (bin/saltzer.mjs).
    const heap = `--max-old-space-size=${Number(process.env.SALTZER_HEAP_MB ?? 1024)}`;
    const result = spawnSync(process.execPath, [heap, "--import", "tsx", path.join(root, "scripts/bench.ts"), "--child", dir], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
    if (result.status !== 0) {
      console.error(result.stderr);
      process.exit(1);
    }
    rows.push({ functions: size, accounts, ...JSON.parse(result.stdout.trim().split("\n").pop()!) });
    if (values.pages && size === Math.max(...values.sizes!.split(",").map(Number))) pageRows = await timePages(path.join(dir, "data"));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nSaltzer bench on ${os.cpus().length} cores, Node ${process.version}, embedded database (PGlite)`);
  console.log("The analysis runs on a worker thread while this thread stores, so analyse + store exceed the total.\n");
  console.table(rows);
  if (pageRows.length) {
    console.log(`\nDashboard page timings (server-rendered HTML, median of 5 after one warm-up) at ${values.sizes!.split(",").map(Number).sort((a, b) => b - a)[0]} functions\n`);
    console.table(pageRows);
  }
  console.log("\nCLI start, compiled (wall clock, median of 5 after one warm-up; bare `node -e 0` for scale)\n");
  console.table(timeCliStart());
}

/** Serves the scanned data dir with the production build and times each page (needs `npm run build`). */
async function timePages(dataDir: string): Promise<Record<string, unknown>[]> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("No production build (.next): run `npm run build` for page timings.");
    return [];
  }
  const port = 3900 + Math.floor(Math.random() * 90);
  const { spawn } = await import("node:child_process");
  const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: root,
    env: { ...process.env, SALTZER_DATA_DIR: dataDir, DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${base}/scans`)).ok) break;
      } catch {
        // Not listening yet.
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const functionsHtml = await (await fetch(`${base}/functions`)).text();
    const riskiest = decodeURIComponent(/href="\/functions\/([^"?]+)\?scan=/.exec(functionsHtml)?.[1] ?? "");
    const paths: [string, string][] = [
      ["overview", "/"],
      ["risk view, default (risk desc)", "/functions"],
      ["risk view, severity+category filter", "/functions?severity=high&category=data-exfiltration"],
      ["risk view, text search", "/functions?q=orders"],
      ["risk view, page 100 by name", "/functions?sort=name&dir=asc&page=100"],
      ["function detail (riskiest)", `/functions/${encodeURIComponent(riskiest)}`],
      ["permission graph page", `/functions/${encodeURIComponent(riskiest)}/graph`],
      ["roles", "/roles"],
      ["scans", "/scans"],
      ["export SARIF (high+)", "/api/export?format=sarif&severity=high"],
    ];
    const out: Record<string, unknown>[] = [];
    for (const [name, p] of paths) {
      const times: number[] = [];
      let status = 0;
      for (let i = 0; i < 6; i++) {
        const t0 = performance.now();
        const res = await fetch(base + p);
        await res.arrayBuffer();
        status = res.status;
        if (i > 0) times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      out.push({ page: name, status, "median ms": Math.round(times[2]) });
    }
    return out;
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function runOne(dir: string): Promise<void> {
  const { openDatabase } = await import("@/lib/store/db");
  const { scanSnapshotDir } = await import("@/lib/jobs/run-scan");
  const t0 = performance.now();
  const db = await openDatabase({ dataDir: path.join(dir, "data") });
  const openSeconds = (performance.now() - t0) / 1000;
  let peak = 0;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  const result = await scanSnapshotDir(db, path.join(dir, "org"));
  clearInterval(sample);
  await db.close();
  const s = (ms: number) => Number((ms / 1000).toFixed(2));
  const { parseMs, analyseMs, storeMs, totalMs } = result.timings;
  console.log(
    JSON.stringify({
      "db open s": Number(openSeconds.toFixed(2)),
      "parse s": s(parseMs),
      "analyse s": s(analyseMs),
      "store s": s(storeMs),
      "scan total s": s(totalMs),
      "peak RSS MiB": Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      findings: result.summary?.findings ?? 0,
    }),
  );
}

/** How long `saltzer --help` and `saltzer rules` take from process start to exit (dist/ built first). */
function timeCliStart(): Record<string, unknown>[] {
  const bin = path.join(root, "bin", "saltzer.mjs");
  execFileSync(process.execPath, [bin, "--help"], { cwd: root, stdio: "ignore" });
  const commands: [string, string[]][] = [
    ["node -e 0", ["-e", "0"]],
    ["saltzer --help", [bin, "--help"]],
    ["saltzer rules", [bin, "rules"]],
  ];
  return commands.map(([name, args]) => {
    const times: number[] = [];
    for (let i = 0; i < 6; i++) {
      const start = performance.now();
      spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
      if (i > 0) times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    return { command: name, "median ms": Math.round(times[2]), "min ms": Math.round(times[0]) };
  });
}
