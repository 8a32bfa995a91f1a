import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crawlOrganization } from "@/lib/collect/crawl-organization";
import { startReplayServer, type ReplayServer } from "@/test/replay/replay-server";
import { runScan } from "@/lib/jobs/run-scan";
import { freshPostgres, postgresReachable, POSTGRES_ADMIN_URL, type TestDatabase } from "@/lib/store/test-support";
import type { Snapshot } from "@/lib/snapshot/types";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SAMPLE = path.join(ROOT, "samples", "acme");
const MANAGEMENT = "111111111111";

const reachable = await postgresReachable();
if (!reachable) console.warn(`SKIPPED lib/jobs/crawl-queue.int.test.ts: PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (.ci/run starts it; set SALTZER_TEST_POSTGRES_URL to use another).`);

/** A `saltzer worker` process (the compiled CLI, no heap-cap re-spawn, so a signal reaches the worker itself). */
function startWorker(url: string, endpoint: string, accessKeyId = `AKIAREPLAY${MANAGEMENT}`, concurrency = 2) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "saltzer.mjs"), "worker", "--concurrency", String(concurrency)], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: url,
      SALTZER_HEAP_MB: "0",
      // The worker's own credentials, from the default provider chain: the management account's.
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: "replay-secret",
      AWS_REGION: "us-east-1",
      AWS_ENDPOINT_URL: endpoint,
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  /** Each line of the log with when this process read it (ms). */
  const lines: { at: number; text: string }[] = [];
  child.stderr.setEncoding("utf8").on("data", (s: string) => {
    log += s;
    for (const text of s.split("\n")) if (text) lines.push({ at: performance.now(), text });
  });
  return {
    child,
    log: () => log,
    lines: () => lines,
    /** Resolves with the first match of `pattern` in the worker's log. */
    waitFor: (pattern: RegExp, what: string) =>
      new Promise<RegExpMatchArray>((resolve, reject) => {
        const look = () => {
          const match = pattern.exec(log);
          if (match) resolve(match);
          else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`worker ended before ${what}: ${log}`));
          else setTimeout(look, 20);
        };
        look();
      }),
  };
}

describe.skipIf(!reachable)("a crawl through the durable queue (PostgreSQL, pg-boss)", () => {
  let server: ReplayServer;
  let t: TestDatabase;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    // Every request takes 40 ms, so a job of 25 functions runs about a second: long enough to be killed in.
    [server, t] = await Promise.all([startReplayServer(SAMPLE, { faults: { latencyMs: 40 } }), freshPostgres()]);
  });
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await t?.dispose();
    await server?.close();
  });

  it("completes when a worker is killed mid-job, another worker retrying its job, with the snapshot of an in-process crawl", async () => {
    // Given the sample organization crawled in-process, and two workers on one PostgreSQL
    const inProcess = await crawlOrganization({ org: true, endpoint: server.endpoint, credentials: server.credentialsFor(MANAGEMENT) });
    const first = startWorker(t.url as string, server.endpoint);
    children.push(first.child);
    // One at a time: the first start may build dist/.
    await first.waitFor(/taking crawl jobs/, "starting");
    const second = startWorker(t.url as string, server.endpoint);
    children.push(second.child);
    await second.waitFor(/taking crawl jobs/, "starting");

    // When the organization is scanned through the queue (jobs expire after 3 s) and the first
    // worker is killed while it runs a job of per-function reads
    let queued: Snapshot | null = null;
    const scanning = runScan(t.db, { kind: "aws", crawl: { org: true, endpoint: server.endpoint, credentials: server.credentialsFor(MANAGEMENT), queue: true, jobTimeoutSeconds: 3 } }, { onSnapshot: (read) => (queued = read) });
    const [, killedKey] = await first.waitFor(/: (functions\/\S+) started/, "running a functions job");
    first.child.kill("SIGKILL");
    const result = await scanning;

    // Then the killed job had not finished on the first worker, and the second one ran it
    expect(first.log()).not.toContain(`${killedKey} done`);
    expect(second.log()).toContain(`${killedKey} done`);
    // And the scan completed, analysed, with the same snapshot as the in-process crawl
    expect(result.status).toBe("succeeded");
    expect(queued).toEqual(inProcess.snapshot);
    expect(result.summary?.findings).toBeGreaterThan(0);
    const [row] = await t.db.query<{ status: string; function_count: number }>("select status, function_count from scans where id = $1", [result.scanId]);
    expect(row).toEqual({ status: "succeeded", function_count: 48 });
    // And the crawl's job rows (sealed responses) are gone
    expect(await t.db.query("select 1 from crawl_jobs where scan_id = $1", [result.scanId])).toEqual([]);
    second.child.kill("SIGTERM");
    // ~26 s on a quiet machine; room for a loaded one.
  }, 120_000);

  it("a worker whose own credentials do not work stops with exit 2 and says why, leaving its job to others", async () => {
    // Given a worker whose access key belongs to no account, and a queued scan
    const worker = startWorker(t.url as string, server.endpoint, "AKIANOACCOUNT");
    children.push(worker.child);
    const exited = new Promise<number | null>((resolve) => worker.child.on("exit", (code) => resolve(code)));
    await worker.waitFor(/taking crawl jobs/, "starting");
    const controller = new AbortController();
    const scanning = runScan(t.db, { kind: "aws", crawl: { org: true, endpoint: server.endpoint, credentials: server.credentialsFor(MANAGEMENT), queue: true, jobTimeoutSeconds: 3 } }, { signal: controller.signal, analyse: null });

    // When it takes a job
    const code = await exited;
    controller.abort();
    await expect(scanning).rejects.toThrow();

    // Then it exits 2 naming the credentials problem, and no job of the scan was recorded as done by it
    expect(code).toBe(2);
    expect(worker.log()).toMatch(/this worker cannot use its AWS credentials: sts:GetCallerIdentity failed: InvalidClientTokenId/);
    expect(worker.log()).not.toMatch(/ done \(/);
  });

  it("a worker takes queued jobs back to back: a slot that finished a job asks for the next at once, not at its next poll", async () => {
    // Given a replay server that answers at once, and a worker with a single job slot
    const quick = await startReplayServer(SAMPLE);
    try {
      const worker = startWorker(t.url as string, quick.endpoint, undefined, 1);
      children.push(worker.child);
      await worker.waitFor(/taking crawl jobs/, "starting");

      // When the sample organization is scanned through the queue
      const result = await runScan(t.db, { kind: "aws", crawl: { org: true, endpoint: quick.endpoint, credentials: quick.credentialsFor(MANAGEMENT), queue: true } }, { analyse: null });
      expect(result.status).toBe("succeeded");

      // Then after each job that led to no other (a batch of per-function reads; these take a few
      // milliseconds here), the slot started its next job without waiting out pg-boss's polling
      // interval of 500 ms (before: ~450 ms idle after every such job, with jobs queued)
      const lines = worker.lines();
      const gaps: number[] = [];
      lines.forEach((line, i) => {
        if (!/: functions\/\S+ done/.test(line.text)) return;
        const next = lines.slice(i + 1).find((l) => / started$/.test(l.text));
        if (next) gaps.push(next.at - line.at);
      });
      expect(gaps.length).toBeGreaterThanOrEqual(3);
      gaps.sort((a, b) => a - b);
      expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(250);
      worker.child.kill("SIGTERM");

      // And the batches of per-function reads ran largest first (each batch's reads share its
      // account and region's rate, so a large one queued last would run alone at the end of a
      // crawl): by their API calls, 25 of the 29 functions of 222222222222 in us-east-1 came first
      const calls = new Map<string, number>();
      for (const l of lines) {
        const done = /: (functions\/\S+) done \((\d+) API calls/.exec(l.text);
        if (done) calls.set(done[1], Number(done[2]));
      }
      const started = lines.flatMap((l) => /: (functions\/\S+) started$/.exec(l.text)?.[1] ?? []);
      const sizes = started.map((key) => calls.get(key) ?? -1);
      expect(started[0]).toBe("functions/222222222222/us-east-1/000000");
      expect(sizes.length).toBeGreaterThanOrEqual(5);
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    } finally {
      await quick.close();
    }
  }, 120_000);
});
