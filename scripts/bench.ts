/**
 * `npm run bench`: the figures of issue 14, measured as a user meets them — the CLI
 * (`saltzer scan --snapshot`) from a fresh data directory, process start and database creation
 * included — for synthetic organizations of 1,000 functions / 10 accounts and 10,000 / 100; then
 * an incremental rescan after a deployment in 1 % of the accounts, and one after no change at all;
 * `--large` adds 100,000 / 1,000.
 * Each run prints wall clock, CPU time (user + system, all threads), peak RSS and the load average,
 * since on a shared machine wall clock alone says little. Figures, never assertions.
 *
 *   npm run bench [-- --sizes 1000,10000] [--large] [--postgres postgresql://…/test] [--no-pages]
 *
 * `--postgres URL` scans into a fresh database created (and dropped) on that server instead of
 * the embedded one. `npm run bench -- --crawl` runs the crawl bench instead: a 1,000-function /
 * 100-account organization from the rate-limited replay server, in-process and with 1 and 2
 * queue workers, beside its API-rate bound (scripts/bench-crawl.ts).
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { deployFunctions, snapshotAccountIds } from "./lib/mutate-snapshot";
import { benchPaths, startNext, timeExports, timePages as timePagesOver } from "./bench-pages";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000" },
    accounts: { type: "string" },
    large: { type: "boolean", default: false },
    postgres: { type: "string" },
    pages: { type: "boolean", default: true },
    crawl: { type: "boolean", default: false },
    /** Time the pages and exports of this already scanned data dir only (scripts/bench-pages.ts); with --no-pages the exports only. */
    data: { type: "string" },
    runs: { type: "string", default: "20" },
    /** With --data: the port `next start` listens on (default: a random one from 3900). */
    port: { type: "string" },
  },
  strict: true,
  allowNegative: true,
});
const root = path.resolve(import.meta.dirname, "..");
const bin = path.join(root, "bin", "saltzer.mjs");
let pageRows: Record<string, unknown>[] = [];

if (values.crawl) {
  const crawl = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench-crawl.ts")], { cwd: root, stdio: "inherit" });
  process.exit(crawl.status ?? 1);
}

if (values.data) {
  const { base, server, stop } = await startNext(path.resolve(values.data), values.port ? Number(values.port) : 3900 + Math.floor(Math.random() * 90));
  try {
    // `--no-pages` with `--data`: the exports only.
    if (values.pages) {
      console.log(`\nDashboard pages over HTTP (next start), ${values.runs} requests each after one warm-up, data ${values.data}\n`);
      console.table(await timePagesOver(base, await benchPaths(base), Number(values.runs), server.pid!));
    }
    console.log("\nWhole-organization exports (streamed)\n");
    console.table(await timeExports(base, server.pid!));
  } finally {
    await stop();
  }
  process.exit(0);
}

interface Measured {
  "wall s": number;
  "CPU s": number;
  "peak RSS MiB": number;
  "load (1 min)": number;
  /** The CLI's own split (read, analyse, store overlap). */
  phases: string;
}

/** Runs the CLI under GNU time (wall, CPU of every thread, peak RSS of the largest process). */
function timedScan(snapshotDir: string, env: NodeJS.ProcessEnv): Measured {
  const load = os.loadavg()[0];
  const result = spawnSync("/usr/bin/time", ["-f", "TIME %e %U %S %M", process.execPath, bin, "scan", "--snapshot", snapshotDir, "--quiet"], {
    cwd: root,
    encoding: "utf8",
    env,
    maxBuffer: 64 * 2 ** 20,
  });
  const timeLine = /TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || !timeLine) {
    console.error(result.stdout, result.stderr);
    throw new Error(`saltzer scan --snapshot ${snapshotDir} failed (exit ${result.status}); GNU time (/usr/bin/time) is needed.`);
  }
  const [, wall, user, sys, maxKb] = timeLine.map(Number);
  const phases = /timings: (.*) \(analysis/.exec(result.stdout)?.[1] ?? "";
  const reused = /reused: the analysis of (\d+)/.exec(result.stdout)?.[1];
  return {
    "wall s": wall,
    "CPU s": Number((user + sys).toFixed(2)),
    "peak RSS MiB": Math.round(maxKb / 1024),
    "load (1 min)": Number(load.toFixed(2)),
    phases: reused ? `${phases}; ${reused} accounts reused` : phases,
  };
}

/** A fresh database for one run: a new data directory, or a new database on the PostgreSQL server. */
async function freshDatabase(dir: string): Promise<{ env: NodeJS.ProcessEnv; drop(): Promise<void> }> {
  if (!values.postgres) return { env: { ...process.env, DATABASE_URL: "", SALTZER_DATA_DIR: path.join(dir, "data") }, drop: async () => undefined };
  const pg = (await import("pg")).default;
  const name = `saltzer_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: values.postgres });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(values.postgres);
  url.pathname = `/${name}`;
  return {
    // Its own data directory too: the read cache (SALTZER_DATA_DIR/read-cache) starts empty.
    env: { ...process.env, DATABASE_URL: url.toString(), SALTZER_DATA_DIR: path.join(dir, "data") },
    async drop() {
      const again = new pg.Client({ connectionString: values.postgres });
      await again.connect();
      await again.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await again.end();
    },
  };
}

const sizes = values.sizes!.split(",").map(Number);
if (values.large && !sizes.includes(100_000)) sizes.push(100_000);
const largestSmall = Math.max(...sizes.filter((s) => s < 100_000));
const rows: Record<string, unknown>[] = [];
// Build dist/ and the database template first, so no run pays for them.
execFileSync(process.execPath, [bin, "--help"], { cwd: root, stdio: "ignore" });
for (const size of sizes) {
  const accounts = values.accounts ? Number(values.accounts) : Math.max(3, Math.round(size / 100));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `saltzer-bench-${size}-`));
  const org = path.join(dir, "org");
  execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/gen-org.ts"), "--functions", String(size), "--accounts", String(accounts), "--seed", "7", "--out", org], { cwd: root, stdio: "ignore" });
  const db = await freshDatabase(dir);
  try {
    rows.push({ run: "scan, fresh database", functions: size, accounts, ...timedScan(org, db.env) });
    if (size === largestSmall || size === 100_000) {
      // A deployment in 1 % of the accounts, then the same scan again: only those are analysed.
      const changed = snapshotAccountIds(org).slice(0, Math.max(1, Math.round(accounts / 100)));
      deployFunctions(org, changed);
      rows.push({ run: `rescan, ${changed.length} account(s) changed${size === 10_000 ? " (target ≤ 3 s wall)" : ""}`, functions: size, accounts, ...timedScan(org, db.env) });
      // The common case of a scheduled scan: nothing changed since the last one, every account reused.
      rows.push({ run: "rescan, nothing changed", functions: size, accounts, ...timedScan(org, db.env) });
    }
    if (values.pages && !values.postgres && size === largestSmall) pageRows = await timePages(path.join(dir, "data"));
  } finally {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
console.log(`\nSaltzer bench on ${os.cpus().length} cores, Node ${process.version}, ${values.postgres ? "PostgreSQL" : "embedded database (PGlite)"}`);
console.log(`Load average now ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}; CPU s counts every thread of the scan (analysis worker included).\n`);
console.table(rows);
if (pageRows.length) {
  console.log(`\nDashboard pages (p50/p95 of ${values.runs} requests after one warm-up) and streamed exports at ${largestSmall} functions\n`);
  console.table(pageRows);
}
console.log("\nCLI start, compiled (wall clock, median of 5 after one warm-up; bare `node -e 0` for scale)\n");
console.table(timeCliStart());

/** Serves the scanned data dir with the production build and times each page (scripts/bench-pages.ts). */
async function timePages(dataDir: string): Promise<Record<string, unknown>[]> {
  if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
    console.error("No production build (.next): run `npm run build` for page timings.");
    return [];
  }
  const { base, server, stop } = await startNext(dataDir, 3900 + Math.floor(Math.random() * 90));
  try {
    const rows = [...(await timePagesOver(base, await benchPaths(base), Number(values.runs), server.pid!)), ...(await timeExports(base, server.pid!))];
    return rows.map((r) => ({ ...r }) as Record<string, unknown>);
  } finally {
    await stop();
  }
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
