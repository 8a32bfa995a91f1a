/**
 * `npm run bench -- --crawl`: crawl a generated organization (1,000 functions in 100 accounts by
 * default) from the replay server with AWS-like rate limits per (account, region, service), and
 * print each crawl's time beside its API-rate bound: the least time the calls it made need at the
 * allowed rates, every account and region in parallel (max over buckets of calls ÷ rate).
 *
 *  1. in this process (the embedded default), against the bound;
 *  2. through the durable queue with 1 and with 2 `saltzer worker` processes (PostgreSQL at
 *     SALTZER_BENCH_POSTGRES_URL, default postgresql://postgres@127.0.0.1:5432/postgres), each
 *     running a fixed number of jobs at once, so a crawl is limited by its workers' job slots
 *     rather than by the rate bound and a second worker shortens it.
 * Figures, not assertions. Load matters: the replay server, the crawler and the workers share
 * this machine's cores (and PostgreSQL's), so the script prints the load average beside the
 * figures and, per crawl, how busy the machine's cores were.
 */
import { fork, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { crawlOrganization, DEFAULT_CRAWL_CONCURRENCY, type CrawlOptions } from "@/lib/collect/crawl-organization";
import { runScan } from "@/lib/jobs/run-scan";
import { openDatabase } from "@/lib/store/db";
import type { RateBound, ReplayRateLimits, ReplayServerOptions } from "@/test/replay/replay-server";
import { parseGenArgs, writeGeneratedOrganization } from "./gen-org";

const { values } = parseArgs({
  options: {
    functions: { type: "string", default: "1000" },
    accounts: { type: "string", default: "100" },
    /** Requests per second per account, region and service (Lambda, IAM, EC2) for the bound run. */
    rate: { type: "string", default: "1" },
    /** The same for the worker runs (higher: the workers' job slots, not the rates, limit them). */
    "workers-rate": { type: "string", default: "5" },
    "worker-concurrency": { type: "string", default: "16" },
    "latency-ms": { type: "string", default: "20" },
    queue: { type: "boolean", default: true },
  },
  strict: true,
  allowNegative: true,
});
const root = path.resolve(import.meta.dirname, "..");
const postgresAdminUrl = process.env.SALTZER_BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

/** Quotas in AWS's proportions: STS answers far faster than a member's Lambda or IAM, Organizations faster. */
function limitsAt(rate: number): ReplayRateLimits {
  return { ratePerSecond: rate, services: { sts: 40 * rate, organizations: 10 * rate } };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-bench-crawl-"));
const org = path.join(dir, "org");
writeGeneratedOrganization(parseGenArgs(["--functions", values.functions!, "--accounts", values.accounts!, "--seed", "7", "--out", org]));
const management = (JSON.parse(fs.readFileSync(path.join(org, "organizations/describe-organization.json"), "utf8")) as { Organization: { MasterAccountId: string } }).Organization.MasterAccountId;
const latencyMs = Number(values["latency-ms"]);

interface Row {
  run: string;
  "jobs at once": string;
  "crawl s": number;
  "API-rate bound s": number;
  "crawl ÷ bound": number;
  "bound set by": string;
  "API calls": number;
  throttled: number;
  functions: number;
  /** This process's CPU during the crawl (in-process run only: the workers' CPU is their own). */
  "crawler CPU s": number | null;
  "crawler CPU ms per call": number | null;
  /** Starved of CPU, the server answers late: compare with the crawl's seconds and the load average. */
  "replay server CPU s": number;
  /**
   * The `saltzer worker` processes' CPU during the crawl (queue runs only). Near the CPU this machine can give
   * them, they are CPU-bound and a second worker cannot help; far below it, they wait on job slots or the queue.
   */
  "workers CPU s": number | null;
  /**
   * Share of all this machine's cores busy during the crawl (any process: crawler or workers, the
   * replay server, PostgreSQL). Near 100 %, the machine's cores limit the crawl, not the job slots.
   */
  "machine CPU busy %": number;
}
const rows: Row[] = [];

/** The replay server in its own process (AWS is not on the crawler's machine either). */
async function startServer(options: ReplayServerOptions) {
  const child = fork(path.join(root, "test/replay/serve-replay.ts"), { execArgv: ["--import", "tsx"], stdio: ["ignore", "ignore", "inherit", "ipc"] });
  const reply = <T>(message: unknown) =>
    new Promise<T>((resolve) => {
      child.once("message", (m) => resolve(m as T));
      child.send(message as object);
    });
  const { endpoint } = await reply<{ endpoint: string }>({ dir: org, options });
  return {
    endpoint,
    credentialsFor: (accountId: string) => ({ accessKeyId: `AKIAREPLAY${accountId}`, secretAccessKey: "replay-secret" }),
    /** The API-rate bound so far, and the server process's CPU seconds. */
    rateBound: () => reply<{ bound: RateBound; cpuSeconds: number }>("bound"),
    close: () => new Promise((resolve) => (child.on("exit", resolve), child.kill("SIGTERM"))),
  };
}

/** Crawls with `crawl` against a fresh rate-limited replay server; the crawler knows the allowed rates. */
async function measure(
  run: string,
  slots: string,
  inProcess: boolean,
  limits: ReplayRateLimits,
  crawl: (options: CrawlOptions) => Promise<{ functions: number; apiCalls: number; throttled: number }>,
  workers: ChildProcess[] = [],
): Promise<Row> {
  const server = await startServer({ pageSize: 50, faults: { latencyMs }, rateLimits: limits });
  try {
    const machineBefore = machineCpuTicks();
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const workersBefore = workers.reduce((n, w) => n + processCpuSeconds(w.pid!), 0);
    const result = await crawl({ org: true, endpoint: server.endpoint, credentials: server.credentialsFor(management), ratePerSecond: limits.ratePerSecond, serviceRates: limits.services });
    const seconds = (performance.now() - started) / 1000;
    const machineAfter = machineCpuTicks();
    const cpu = process.cpuUsage(cpuBefore);
    const workersCpu = workers.length ? workers.reduce((n, w) => n + processCpuSeconds(w.pid!), 0) - workersBefore : null;
    const crawlerCpu = inProcess ? (cpu.user + cpu.system) / 1e6 : null;
    const { bound, cpuSeconds } = await server.rateBound();
    const [account, region, service] = bound.bucket.split("|");
    const row: Row = {
      run,
      "jobs at once": slots,
      "crawl s": round(seconds),
      "API-rate bound s": round(bound.seconds),
      "crawl ÷ bound": round(seconds / bound.seconds),
      "bound set by": `${service} in ${account === management ? "the management account" : `account ${account}`} ${region}: ${bound.requests} calls at ${limits.services?.[service] ?? limits.ratePerSecond}/s`,
      "API calls": result.apiCalls,
      throttled: result.throttled,
      functions: result.functions,
      "crawler CPU s": crawlerCpu === null ? null : round(crawlerCpu),
      "crawler CPU ms per call": crawlerCpu === null ? null : round((crawlerCpu * 1000) / result.apiCalls),
      "replay server CPU s": round(cpuSeconds),
      "workers CPU s": workersCpu === null ? null : round(workersCpu),
      "machine CPU busy %": Math.round((100 * (machineAfter.busy - machineBefore.busy)) / Math.max(1, machineAfter.total - machineBefore.total)),
    };
    rows.push(row);
    console.error(`${run}: ${row["crawl s"]} s (bound ${row["API-rate bound s"]} s)${crawlerCpu === null ? "" : `, crawler CPU ${row["crawler CPU s"]} s = ${row["crawler CPU ms per call"]} ms per call`}, replay server CPU ${row["replay server CPU s"]} s${workersCpu === null ? "" : `, workers CPU ${row["workers CPU s"]} s`}, machine CPU ${row["machine CPU busy %"]} % busy`);
    return row;
  } finally {
    await server.close();
  }
}

/** This machine's CPU time so far, all cores (Linux /proc/stat, in clock ticks): busy, and busy plus idle. */
function machineCpuTicks(): { busy: number; total: number } {
  const [user, nice, system, idle, iowait, irq, softirq, steal] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, total: busy + idle + iowait };
}

/** User plus system CPU seconds of a process (Linux /proc). */
function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function round(n: number): number {
  return Number(n.toFixed(2));
}

async function queuedCrawl(workers: number, limits: ReplayRateLimits): Promise<Row> {
  const pg = (await import("pg")).default;
  const name = `saltzer_bench_crawl_${crypto.randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: postgresAdminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = postgresAdminUrl.replace(/\/[^/]*$/, `/${name}`);
  const children: ChildProcess[] = [];
  try {
    const db = await openDatabase({ databaseUrl: url });
    try {
      for (let i = 0; i < workers; i++) children.push(await startWorker(url));
      return await measure(`queue, ${workers} worker${workers > 1 ? "s" : ""}`, `${workers} × ${values["worker-concurrency"]}`, false, limits, async (options) => {
        const result = await runScan(db, { kind: "aws", crawl: { ...options, queue: true } }, { analyse: null });
        const stats = result.crawlStats!;
        return { functions: result.scanned.functions, apiCalls: stats.apiCalls, throttled: stats.throttled };
      }, children);
    } finally {
      await db.close();
    }
  } finally {
    await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.on("exit", resolve), child.kill("SIGTERM"))))));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}

/** A `saltzer worker` with the management account's replay credentials; resolves once it takes jobs. */
function startWorker(url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(root, "bin", "saltzer.mjs"), "worker", "--quiet", "--concurrency", values["worker-concurrency"]!], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, SALTZER_HEAP_MB: "0", AWS_ACCESS_KEY_ID: `AKIAREPLAY${management}`, AWS_SECRET_ACCESS_KEY: "replay-secret", AWS_REGION: "us-east-1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    child.stderr!.setEncoding("utf8").on("data", (s: string) => {
      log += s;
      if (log.includes("taking crawl jobs")) resolve(child);
    });
    child.on("exit", () => reject(new Error(`worker exited: ${log}`)));
  });
}

try {
  const rate = Number(values.rate);
  await measure("in process (embedded default)", String(DEFAULT_CRAWL_CONCURRENCY), true, limitsAt(rate), async (options) => {
    const { snapshot, stats } = await crawlOrganization(options);
    return { functions: snapshot.accounts.reduce((n, a) => n + a.functions.length, 0), apiCalls: stats.apiCalls, throttled: stats.throttled };
  });
  if (values.queue) {
    const workersRate = Number(values["workers-rate"]);
    const one = await queuedCrawl(1, limitsAt(workersRate));
    const two = await queuedCrawl(2, limitsAt(workersRate));
    console.log(`\n2 workers crawl ${round(one["crawl s"] / two["crawl s"])}× as fast as 1 (target ≥ 1.8×).`);
  }
  console.log(
    `\nCrawl of ${values.functions} functions in ${values.accounts} accounts from the rate-limited replay server (${latencyMs} ms per request; Lambda, IAM and EC2 at ${values.rate}/s per account and region, ${values["workers-rate"]}/s for the worker runs; STS at 40×, Organizations at 10×; the replay server runs in a process of its own). Target: crawl ≤ 1.2 × bound. Load average ${os.loadavg().map((l) => l.toFixed(1)).join(", ")} on ${os.cpus().length} cores.\n`,
  );
  console.table(rows);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
