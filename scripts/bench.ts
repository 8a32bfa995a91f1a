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

const { values } = parseArgs({ options: { sizes: { type: "string", default: "1000,10000" }, accounts: { type: "string" }, child: { type: "string" } }, strict: true });
const root = path.resolve(import.meta.dirname, "..");

if (values.child) {
  await runOne(values.child);
} else {
  const rows: Record<string, unknown>[] = [];
  for (const size of values.sizes!.split(",").map(Number)) {
    const accounts = values.accounts ? Number(values.accounts) : Math.max(3, Math.round(size / 333));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `saltzer-bench-${size}-`));
    execFileSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/gen-org.ts"), "--functions", String(size), "--accounts", String(accounts), "--seed", "7", "--out", path.join(dir, "org")], { cwd: root, stdio: "ignore" });
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/bench.ts"), "--child", dir], { cwd: root, encoding: "utf8", env: { ...process.env, DATABASE_URL: "" } });
    if (result.status !== 0) {
      console.error(result.stderr);
      process.exit(1);
    }
    rows.push({ functions: size, accounts, ...JSON.parse(result.stdout.trim().split("\n").pop()!) });
    fs.rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nSaltzer bench on ${os.cpus().length} cores, Node ${process.version}, embedded database (PGlite)\n`);
  console.table(rows);
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
  const { parseMs, analyseMs, storeMs } = result.timings;
  console.log(
    JSON.stringify({
      "db open s": Number(openSeconds.toFixed(2)),
      "parse s": s(parseMs),
      "analyse s": s(analyseMs),
      "store s": s(storeMs),
      "scan total s": s(parseMs + analyseMs + storeMs),
      "peak RSS MiB": Math.round(Math.max(peak, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
      findings: result.analysis ? [...result.analysis.functions.values()].reduce((n, f) => n + f.findings.length, 0) : 0,
    }),
  );
}
