/**
 * `npm run bench`: scan synthetic organizations of 1k and 10k functions into a fresh embedded
 * database and print seconds per phase and peak RSS (each size in its own process). Outside
 * the test suite: figures, not assertions. `npm run bench -- --sizes 1000,5000` for other sizes.
 */
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchPaths, startNext, timeExports, timePages as timePagesOver } from "./bench-pages";

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "1000,10000" },
    accounts: { type: "string" },
    child: { type: "string" },
    pages: { type: "boolean", default: true },
    /** With --pages: time the pages and exports of this already scanned data dir only (scripts/bench-pages.ts). */
    data: { type: "string" },
    runs: { type: "string", default: "20" },
  },
  strict: true,
  allowNegative: true,
});
const root = path.resolve(import.meta.dirname, "..");
let pageRows: Record<string, unknown>[] = [];

if (values.child) {
  await runOne(values.child);
} else if (values.data) {
  const { base, server, stop } = await startNext(path.resolve(values.data), 3900 + Math.floor(Math.random() * 90));
  try {
    console.log(`\nDashboard pages over HTTP (next start), ${values.runs} requests each after one warm-up, data ${values.data}\n`);
    console.table(await timePagesOver(base, await benchPaths(base), Number(values.runs), server.pid!));
    console.log("\nWhole-organization exports (streamed)\n");
    console.table(await timeExports(base, server.pid!));
  } finally {
    await stop();
  }
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
    console.log(`\nDashboard pages (p50/p95 of ${values.runs} requests after one warm-up) and streamed exports at ${values.sizes!.split(",").map(Number).sort((a, b) => b - a)[0]} functions\n`);
    console.table(pageRows);
  }
  console.log("\nCLI start, compiled (wall clock, median of 5 after one warm-up; bare `node -e 0` for scale)\n");
  console.table(timeCliStart());
}

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
