/**
 * `tsx scripts/bench-graph.ts`: how long the permission graph of a function that reaches ~500
 * functions takes to draw its first readable view in Chromium (issue 14: ≤ 1 s). Prints figures,
 * asserts nothing. Needs the production build (`npm run build`).
 *
 *   tsx scripts/bench-graph.ts [--data-dir DIR] [--functions 10000 --accounts 30 --seed 42] [--target 500] [--runs 5]
 *
 * Without --data-dir it generates the organization and scans it into a temporary store first
 * (minutes at 10,000 functions). Times are from navigation start to the `saltzer-graph-ready`
 * performance mark the graph sets once its first view is placed.
 */
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "@playwright/test";
import { openDatabase } from "@/lib/store/db";

const { values } = parseArgs({
  options: {
    "data-dir": { type: "string" },
    functions: { type: "string", default: "10000" },
    accounts: { type: "string", default: "30" },
    seed: { type: "string", default: "42" },
    target: { type: "string", default: "500" },
    runs: { type: "string", default: "5" },
    port: { type: "string" },
  },
  strict: true,
});
const root = path.resolve(import.meta.dirname, "..");
const target = Number(values.target);

if (!fs.existsSync(path.join(root, ".next", "BUILD_ID"))) {
  console.error("No production build (.next): run `npm run build` first.");
  process.exit(2);
}

let dataDir = values["data-dir"] ? path.resolve(values["data-dir"]) : null;
if (!dataDir) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-bench-graph-"));
  const org = path.join(tmp, "org");
  dataDir = path.join(tmp, "data");
  console.error(`Generating ${values.functions} functions in ${values.accounts} accounts (seed ${values.seed}) and scanning them…`);
  execFileSync(process.execPath, ["--import", "tsx", "scripts/gen-org.ts", "--functions", values.functions!, "--accounts", values.accounts!, "--seed", values.seed!, "--out", org], { cwd: root, stdio: "ignore" });
  execFileSync(process.execPath, ["bin/saltzer.mjs", "scan", "--snapshot", org], { cwd: root, stdio: "ignore", env: { ...process.env, SALTZER_DATA_DIR: dataDir, DATABASE_URL: "" } });
}

// The function whose stored reach is nearest the target (the embedded store opens in one process at a time).
const db = await openDatabase({ dataDir });
const scan = await db.prisma.scan.findFirst({ where: { status: { in: ["succeeded", "partial"] } }, orderBy: { id: "desc" }, select: { id: true, functionCount: true } });
if (!scan) throw new Error(`No complete scan in ${dataDir}.`);
const reachRows = await db.prisma.roleReach.findMany({ where: { scanId: scan.id }, select: { roleArn: true, functions: true } });
if (reachRows.length === 0) throw new Error(`Scan ${scan.id} in ${dataDir} has no stored reach (scanned before it was stored): rescan it.`);
const best = reachRows.map((r) => ({ role: r.roleArn, size: (r.functions as unknown[]).length })).sort((a, b) => Math.abs(a.size - target) - Math.abs(b.size - target))[0];
const fn = await db.prisma.lambdaFunction.findFirst({ where: { scanId: scan.id, roleArn: best.role }, select: { arn: true, name: true } });
const reachBytes = reachRows.reduce((n, r) => n + JSON.stringify(r.functions).length, 0);
await db.close();
if (!fn) throw new Error(`No function runs as ${best.role}.`);

const port = Number(values.port ?? 3900 + Math.floor(Math.random() * 90));
const server = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(port)], {
  cwd: root,
  env: { ...process.env, SALTZER_DATA_DIR: dataDir, DATABASE_URL: "", NEXT_TELEMETRY_DISABLED: "1" },
  stdio: "ignore",
});
const base = `http://127.0.0.1:${port}`;
const url = `${base}/functions/${encodeURIComponent(fn.arn)}/graph?scan=${scan.id}`;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
});
try {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${base}/scans`)).ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  // One warm-up load: compiled chunks cached, the store's first query done.
  await page.goto(url);
  await page.waitForSelector("[data-graph-ready]", { timeout: 120_000 });
  const rows: { total: number; server: number; draw: number; nodes: number; zoom: number }[] = [];
  for (let run = 0; run < Number(values.runs); run++) {
    await page.goto(url);
    await page.waitForSelector("[data-graph-ready]", { timeout: 120_000 });
    rows.push(
      await page.evaluate(() => {
        const ready = performance.getEntriesByName("saltzer-graph-ready")[0].startTime;
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        const viewport = document.querySelector<HTMLElement>(".react-flow__viewport")!;
        const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
        return { total: Math.round(ready), server: Math.round(nav.responseEnd), draw: Math.round(ready - nav.responseEnd), nodes: document.querySelectorAll(".react-flow__node").length, zoom: Math.round(zoom * 100) / 100 };
      }),
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`\nPermission graph, first readable view (Chromium, 1440×900), ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`store: ${dataDir} (scan ${scan.id}, ${scan.functionCount} functions; stored reach ${reachRows.length} roles, ${(reachBytes / 2 ** 20).toFixed(1)} MiB of JSON)`);
  console.log(`function: ${fn.name} reaches ${best.size} functions (its role's reach); ${rows[0].nodes} nodes drawn at zoom ${rows[0].zoom}`);
  console.table(rows.map((r, i) => ({ run: i + 1, "ready ms (from navigation)": r.total, "server ms (response end)": r.server, "client ms (draw)": r.draw })));
  console.log(`median: ${median(rows.map((r) => r.total))} ms to the first readable view (target ≤ 1000 ms); server ${median(rows.map((r) => r.server))} ms, client ${median(rows.map((r) => r.draw))} ms`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
