import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CrawlAbortedError, CrawlBugError, crawlOrganization, type CrawlOptions, type CrawlProgress } from "@/lib/collect/crawl-organization";
import { fastRetryStrategy } from "@/test/replay/fast-retry-strategy";
import { parseGenArgs, writeGeneratedOrganization } from "@/scripts/gen-org";
import { startReplayServer, type ReplayFaults, type ReplayServer } from "@/test/replay/replay-server";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import type { Account, Snapshot } from "@/lib/snapshot/types";
import { openDatabase } from "@/lib/store/db";
import { createScan, storeSnapshot } from "@/lib/store/save-scan";
import { runScan } from "@/lib/jobs/run-scan";

const SAMPLE = "samples/acme";
const MANAGEMENT = "111111111111";
const PROD = "222222222222";
const DEV = "333333333333";

let server: ReplayServer;
let offline: Snapshot;

beforeAll(async () => {
  [server, offline] = await Promise.all([startReplayServer(SAMPLE), readSnapshotDir(SAMPLE)]);
});
afterAll(async () => {
  await server?.close();
});

/** A crawl of the replay server with `faults`, from the management account's credentials. */
async function crawl(faults: ReplayFaults, options: Partial<CrawlOptions> = {}) {
  server.setFaults(faults);
  try {
    return await crawlOrganization({ org: true, endpoint: server.endpoint, credentials: server.credentialsFor(MANAGEMENT), ratePerSecond: 1000, lastAccessedPollMs: 5, ...options });
  } finally {
    server.setFaults({});
  }
}

/** Everything but the source (a crawl is `aws`, the directory `directory`) and last-accessed data. */
function comparable(snapshot: Snapshot) {
  return { ...snapshot, source: null, accounts: snapshot.accounts.map((a) => ({ ...a, lastAccessed: {} })) };
}

function account(snapshot: Snapshot, id: string): Account {
  const found = snapshot.accounts.find((a) => a.accountId === id);
  if (!found) throw new Error(`account ${id} not in snapshot`);
  return found;
}

describe("crawlOrganization over the replay server", () => {
  it("yields the snapshot readSnapshotDir gives for the same data, last-accessed included", async () => {
    // Given the sample organization served over the wire
    // When the organization is crawled with last-accessed data
    const { snapshot, stats } = await crawl({}, { lastAccessed: true });

    // Then it equals the offline reading, except the source and the roles the sample has no
    // last-accessed file for (the replay server answers those with an empty report)
    const expected: Snapshot = {
      ...offline,
      source: snapshot.source,
      accounts: offline.accounts.map((a) => ({ ...a, lastAccessed: { ...Object.fromEntries(Object.keys(account(snapshot, a.accountId).lastAccessed).map((role) => [role, []])), ...a.lastAccessed } })),
    };
    expect(snapshot.source.kind).toBe("aws");
    expect(snapshot).toEqual(expected);
    expect(stats.retries).toBe(0);
  });

  it("--save-snapshot writes a directory that reads back as the same snapshot", async () => {
    // Given an empty target directory
    const dir = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-save-"));
    try {
      // When the crawl saves what it read
      const { snapshot } = await crawl({}, { lastAccessed: true, saveSnapshotDir: dir });

      // Then reading that directory offline gives the crawl's snapshot again
      const reread = await readSnapshotDir(dir);
      expect({ ...reread, source: null }).toEqual({ ...snapshot, source: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("--save-snapshot writes every file and directory readable by its owner only", async () => {
    // Given a target directory that does not exist yet
    const parent = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-save-"));
    const dir = path.join(parent, "saved");
    try {
      // When the crawl saves what it read (list-functions output carries environment values)
      await crawl({}, { saveSnapshotDir: dir });

      // Then every file is 0600 and every directory 0700
      const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
      const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
      const dirs = [dir, ...entries.filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name))];
      expect(files.some((f) => f.endsWith("list-functions.json"))).toBe(true);
      expect(files.filter((f) => (statSync(f).mode & 0o777) !== 0o600)).toEqual([]);
      expect(dirs.filter((d) => (statSync(d).mode & 0o777) !== 0o700)).toEqual([]);
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it("a saved partial crawl reads back with its coverage gaps", async () => {
    // Given a crawl that cannot read function policies in the prod account, saving what it read
    const dir = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-save-"));
    try {
      const { snapshot } = await crawl({ accessDenied: [{ api: "lambda:GetPolicy", accountId: PROD }] }, { saveSnapshotDir: dir });

      // When the saved directory is read offline
      const reread = await readSnapshotDir(dir);

      // Then it is the same partial snapshot, gaps included
      expect(snapshot.gaps.length).toBeGreaterThan(0);
      expect({ ...reread, source: null }).toEqual({ ...snapshot, source: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("without --org reads only the caller's account, with its credentials", async () => {
    // Given the prod account's own credentials
    server.setFaults({});
    // When it is crawled without --org
    const { snapshot } = await crawlOrganization({ org: false, endpoint: server.endpoint, credentials: server.credentialsFor(PROD), ratePerSecond: 1000 });

    // Then only that account is read, without an organization or gaps, and no role was assumed
    expect(snapshot.organization).toBeNull();
    expect(snapshot.gaps).toEqual([]);
    expect(comparable(snapshot).accounts).toEqual(comparable(offline).accounts.filter((a) => a.accountId === PROD).map((a) => ({ ...a, name: null })));
  });

  it("--org from an account that may not read the organization records gaps and reads that account", async () => {
    // Given a member account's credentials (Organizations answers AccessDenied outside the management account)
    server.setFaults({});
    // When the organization is crawled
    const { snapshot } = await crawlOrganization({ org: true, endpoint: server.endpoint, credentials: server.credentialsFor(DEV), ratePerSecond: 1000 });

    // Then each organization read is a gap and the caller's account is still read
    expect(snapshot.organization).toBeNull();
    expect(snapshot.gaps.map((g) => g.api)).toEqual(["organizations:DescribeOrganization", "organizations:ListAccounts", "organizations:ListRoots"]);
    expect(snapshot.accounts.map((a) => [a.accountId, a.functions.length])).toEqual([[DEV, 10]]);
  });

  it("retries throttled calls (30% of requests) and still yields the same snapshot", async () => {
    // Given a server that throttles 30% of requests
    // When the organization is crawled (millisecond backoff: the SDK's adaptive strategy takes ~50 s here)
    const { snapshot, stats } = await crawl({ throttleRate: 0.3, seed: 7 }, { retryStrategy: fastRetryStrategy() });

    // Then nothing is missing and the retries were counted
    expect(comparable(snapshot)).toEqual(comparable(offline));
    expect(stats.throttled).toBeGreaterThan(0);
    expect(stats.retries).toBeGreaterThanOrEqual(stats.throttled);
  });

  it("retries 5xx answers and dropped connections and still yields the same snapshot", async () => {
    // Given a server that fails 8% of requests with a 5xx and drops 5% of connections
    // When the organization is crawled with the SDK's adaptive retry strategy
    const { snapshot, stats } = await crawl({ serverErrorRate: 0.08, dropRate: 0.05, seed: 3 });

    // Then nothing is missing and the retries were counted
    expect(comparable(snapshot)).toEqual(comparable(offline));
    expect(stats.retries).toBeGreaterThan(0);
  });

  it("records AccessDenied on lambda:GetPolicy in one account as a gap and keeps everything else", async () => {
    // Given lambda:GetPolicy is denied in the prod account
    // When the organization is crawled
    const { snapshot } = await crawl({ accessDenied: [{ api: "lambda:GetPolicy", accountId: PROD }] });

    // Then each prod region has one gap naming account, region and API, and no resource policy was invented
    const gaps = snapshot.gaps.filter((g) => g.api === "lambda:GetPolicy");
    expect(gaps.map((g) => [g.accountId, g.region])).toEqual([
      [PROD, "eu-west-1"],
      [PROD, "us-east-1"],
    ]);
    expect(gaps[0].message).toMatch(/^AccessDeniedException: .*lambda:GetPolicy.* \(\d+ of \d+ functions: /);
    expect(snapshot.gaps).toHaveLength(2);
    // And each gap names, by ARN, exactly the functions of its region it left incomplete
    for (const g of gaps) {
      expect([...(g.resources ?? [])].sort()).toEqual(account(offline, PROD).functions.filter((fn) => fn.region === g.region).map((fn) => fn.arn).sort());
    }
    expect(account(snapshot, PROD).functions.every((fn) => fn.resourcePolicy === null)).toBe(true);
    // And the other data is intact
    expect(account(snapshot, PROD).functions.map((fn) => ({ ...fn, resourcePolicy: null }))).toEqual(account(offline, PROD).functions.map((fn) => ({ ...fn, resourcePolicy: null })));
    expect(comparable(snapshot).accounts.filter((a) => a.accountId !== PROD)).toEqual(comparable(offline).accounts.filter((a) => a.accountId !== PROD));
  });

  it("records AccessDenied on sts:AssumeRole into one account as that account's gap and crawls the others", async () => {
    // Given the audit role in the dev account cannot be assumed
    // When the organization is crawled
    const { snapshot } = await crawl({ accessDenied: [{ api: "sts:AssumeRole", accountId: DEV }] });

    // Then the dev account is missing with one gap saying why
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([MANAGEMENT, PROD]);
    expect(snapshot.gaps).toEqual([
      { accountId: DEV, region: null, api: "sts:AssumeRole", file: null, message: expect.stringContaining(`arn:aws:iam::${DEV}:role/SaltzerAuditRole`) },
    ]);
    // And the other accounts are complete
    expect(comparable(snapshot).accounts).toEqual(comparable(offline).accounts.filter((a) => a.accountId !== DEV));
  });

  it("records a disabled region as a gap and crawls the other regions", async () => {
    // Given eu-west-1 is not enabled for the dev account, and both regions are asked for
    // When the organization is crawled
    const { snapshot } = await crawl({ disabledRegions: [{ region: "eu-west-1", accountId: DEV }] }, { regions: ["us-east-1", "eu-west-1"] });

    // Then the dev account was read in us-east-1 only, with gaps naming the region
    expect(account(snapshot, DEV).regions).toEqual(["us-east-1"]);
    expect(new Set(snapshot.gaps.map((g) => `${g.accountId} ${g.region} ${g.api}`))).toEqual(new Set([`${DEV} eu-west-1 lambda:ListFunctions`, `${DEV} eu-west-1 lambda:ListEventSourceMappings`]));
    expect(snapshot.gaps[0].message).toMatch(/region eu-west-1 is not enabled for account 333333333333 \(UnrecognizedClientException/);
    // And everything else is intact
    expect(account(snapshot, DEV).functions).toEqual(account(offline, DEV).functions.filter((fn) => fn.region === "us-east-1"));
    expect(comparable(snapshot).accounts.filter((a) => a.accountId !== DEV)).toEqual(comparable(offline).accounts.filter((a) => a.accountId !== DEV));
  });

  it("a response the reader rejects from one account is a gap for that account, region and API; the crawl goes on and --save-snapshot writes the rest", async () => {
    // Given prod's eu-west-1 function listing arrives without a FunctionArn
    const dir = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-save-"));
    const edit = (result: Record<string, unknown>) => {
      delete (result.Functions as Record<string, unknown>[])[0].FunctionArn;
    };
    try {
      // When the organization is crawled, saving the snapshot
      const { snapshot } = await crawl({ invalidResponses: [{ api: "lambda:ListFunctions", accountId: PROD, region: "eu-west-1", edit }] }, { saveSnapshotDir: dir });

      // Then one gap names account, region, API and the reason, without a file that exists only in memory
      expect(snapshot.gaps).toEqual([
        { accountId: PROD, region: "eu-west-1", api: "lambda:ListFunctions", file: null, message: expect.stringMatching(/^response rejected: \$\.Functions\[\d+\]\.FunctionArn: expected string, but it is missing; the region is left out$/) },
      ]);
      // And everything else was read
      expect(account(snapshot, PROD).regions).toEqual(["us-east-1"]);
      expect(account(snapshot, PROD).functions).toEqual(account(offline, PROD).functions.filter((fn) => fn.region === "us-east-1"));
      expect(comparable(snapshot).accounts.filter((a) => a.accountId !== PROD)).toEqual(comparable(offline).accounts.filter((a) => a.accountId !== PROD));
      // And the saved snapshot reads back as the same partial snapshot
      const reread = await readSnapshotDir(dir);
      expect({ ...reread, source: null }).toEqual({ ...snapshot, source: null });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a response the SDK cannot parse is a one-line gap without SDK internals", async () => {
    // Given the dev account's function policies come back as an HTML page
    // When the organization is crawled
    const { snapshot } = await crawl({ unparseable: [{ api: "lambda:GetPolicy", accountId: DEV }] });

    // Then each dev region has one gap on one line that does not talk about the SDK's hidden fields
    const gaps = snapshot.gaps.filter((g) => g.api === "lambda:GetPolicy");
    expect(gaps.map((g) => g.accountId)).toEqual([DEV, DEV]);
    for (const gap of gaps) {
      expect(gap.message).toMatch(/^unreadable response \(HTTP 200\): not the response the API defines/);
      expect(gap.message).not.toMatch(/[\n\r]|Deserialization|\$response/);
    }
  });

  it("an error the crawler does not expect fails the crawl loudly, naming API, account and region", async () => {
    // Given lambda:ListEventSourceMappings answers ValidationException (a request of ours would be wrong)
    // When the organization is crawled
    const crawling = crawl({ unexpectedErrors: [{ api: "lambda:ListEventSourceMappings", accountId: DEV }] });

    // Then it rejects instead of reading as partial coverage
    await expect(crawling).rejects.toThrow(CrawlBugError);
    await expect(crawling).rejects.toThrow(new RegExp(`lambda:ListEventSourceMappings, account ${DEV}, region [a-z0-9-]+\\): ValidationException: `));
  });

  it("--last-accessed gaps name the role", async () => {
    // Given GenerateServiceLastAccessedDetails is denied in the prod account
    // When the organization is crawled with last-accessed data
    const { snapshot } = await crawl({ accessDenied: [{ api: "iam:GenerateServiceLastAccessedDetails", accountId: PROD }] }, { lastAccessed: true });

    // Then each gap starts with the role it is about, one per role of a prod function
    const gaps = snapshot.gaps.filter((g) => g.api === "iam:GenerateServiceLastAccessedDetails");
    const roles = new Set(account(offline, PROD).functions.map((fn) => fn.roleArn.split("/").pop()));
    expect(gaps.map((g) => /^role ([^:]+): AccessDenied: /.exec(g.message)?.[1]).sort()).toEqual([...roles].sort());
    // And each names its role by ARN, so only that role's functions are marked incomplete
    expect(gaps.map((g) => g.resources?.[0]?.split("/").pop()).sort()).toEqual([...roles].sort());
  });

  it("keeps to AWS-like rate limits per account, region and service; a crawl sending faster is throttled, retries and misses nothing", async () => {
    // Given the sample served with 20 requests per second per account, region and service
    const limited = await startReplayServer(SAMPLE, { rateLimits: { ratePerSecond: 20 } });
    try {
      // When it is crawled at that rate
      const atRate = await crawlOrganization({ org: true, endpoint: limited.endpoint, credentials: limited.credentialsFor(MANAGEMENT), ratePerSecond: 20 });
      // Then no request was throttled and nothing is missing
      expect(limited.rateLimited).toBe(0);
      expect(atRate.stats.throttled).toBe(0);
      expect(comparable(atRate.snapshot)).toEqual(comparable(offline));

      // When it is crawled far faster than the limits allow (millisecond backoff)
      const tooFast = await crawlOrganization({ org: true, endpoint: limited.endpoint, credentials: limited.credentialsFor(MANAGEMENT), ratePerSecond: 1000, retryStrategy: fastRetryStrategy(30, 20) });
      // Then the server answered with throttling errors, the SDK retried them, and the snapshot is the same
      expect(limited.rateLimited).toBeGreaterThan(0);
      expect(tooFast.stats.throttled).toBe(limited.rateLimited);
      expect(comparable(tooFast.snapshot)).toEqual(comparable(offline));
    } finally {
      await limited.close();
    }
  });

  it("counts API calls, retries and throttles per API", async () => {
    // Given a crawl with some throttling
    // When the organization is crawled
    const { stats } = await crawl({ throttleRate: 0.2, seed: 5 }, { retryStrategy: fastRetryStrategy() });

    // Then the per-API counters add up to the totals
    const perApi = Object.values(stats.byApi);
    expect(perApi.reduce((n, s) => n + s.apiCalls, 0)).toBe(stats.apiCalls);
    expect(perApi.reduce((n, s) => n + s.retries, 0)).toBe(stats.retries);
    expect(perApi.reduce((n, s) => n + s.throttled, 0)).toBe(stats.throttled);
    expect(stats.byApi["lambda:ListFunctions"].apiCalls).toBeGreaterThan(0);
    expect(stats.throttled).toBeGreaterThan(0);
  });

  it("a live scan stores its crawl statistics with the scan", async () => {
    // Given an empty store and a crawl that is throttled now and then
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-stats-"));
    server.setFaults({ throttleRate: 0.1, seed: 9 });
    try {
      const db = await openDatabase({ dataDir });
      try {
        // When the organization is scanned live (no analysis: only the crawl matters here)
        const result = await runScan(db, { kind: "aws", crawl: { org: true, endpoint: server.endpoint, credentials: server.credentialsFor(MANAGEMENT), ratePerSecond: 1000, retryStrategy: fastRetryStrategy() } }, { analyse: null });

        // Then the scan row holds the same statistics the run returned, per API included
        const [row] = await db.query<{ crawl_stats: unknown }>("select crawl_stats from scans where id = $1", [result.scanId]);
        expect(result.crawlStats?.apiCalls).toBeGreaterThan(0);
        expect(result.crawlStats?.throttled).toBeGreaterThan(0);
        expect(row.crawl_stats).toEqual(result.crawlStats);
        expect(Object.keys(result.crawlStats?.byApi ?? {})).toEqual(expect.arrayContaining(["lambda:ListFunctions", "organizations:ListAccounts", "sts:AssumeRole"]));
      } finally {
        await db.close();
      }
    } finally {
      server.setFaults({});
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it("raises no MaxListenersExceededWarning when more than 10 requests are in flight on one abort signal", async () => {
    // Given a generated organization of 300 functions served with 50 ms latency, and a crawl with a signal
    const dir = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-gen-"));
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    let big: ReplayServer | undefined;
    try {
      writeGeneratedOrganization(parseGenArgs(["--functions", "300", "--accounts", "3", "--seed", "1", "--out", dir]));
      const management = (JSON.parse(readFileSync(path.join(dir, "organizations/describe-organization.json"), "utf8")) as { Organization: { MasterAccountId: string } }).Organization.MasterAccountId;
      big = await startReplayServer(dir, { faults: { latencyMs: 50 } });
      process.on("warning", onWarning);

      // When it is crawled with 16 jobs at once
      const { snapshot } = await crawlOrganization({ org: true, endpoint: big.endpoint, credentials: big.credentialsFor(management), ratePerSecond: 1000, concurrency: 16, signal: new AbortController().signal });
      await new Promise((r) => setImmediate(r));

      // Then Node saw no listener leak on the signal
      expect(snapshot.accounts.flatMap((a) => a.functions)).toHaveLength(300);
      expect(warnings.filter((w) => w.name === "MaxListenersExceededWarning").map((w) => w.message)).toEqual([]);
    } finally {
      process.off("warning", onWarning);
      await big?.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rejects with a clear error when aborted mid-crawl", async () => {
    // Given a slow server and a crawl aborted once it has made some calls
    const controller = new AbortController();
    const onProgress = (p: CrawlProgress) => {
      if (p.apiCalls >= 10) controller.abort(new Error("user pressed Ctrl-C"));
    };

    // When the crawl runs
    const crawling = crawl({ latencyMs: 20 }, { signal: controller.signal, onProgress, concurrency: 2 });

    // Then it rejects saying it was aborted and that nothing was produced
    await expect(crawling).rejects.toThrow(CrawlAbortedError);
    await expect(crawling).rejects.toThrow(/AWS crawl aborted after \d+ API calls \(user pressed Ctrl-C\); no snapshot was produced/);
  });

  it("a crawl killed mid-way leaves earlier scans intact and adds no succeeded scan", async () => {
    // Given a store holding one earlier scan, and a slow server
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "saltzer-crawl-kill-"));
    try {
      const db = await openDatabase({ dataDir });
      const earlierId = await createScan(db, offline.source);
      const earlierStatus = await storeSnapshot(db, earlierId, offline, null);
      await db.close();
      server.setFaults({ latencyMs: 30 });

      // When a crawl-and-store process is killed while it crawls
      const child = spawn(process.execPath, ["--import", "tsx", "test/replay/crawl-and-store-child.ts", dataDir, server.endpoint, MANAGEMENT], { stdio: ["ignore", "pipe", "pipe"] });
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
      let output = "";
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          output += chunk.toString();
          const calls = [...output.matchAll(/"apiCalls":(\d+)/g)].map((m) => Number(m[1]));
          if (calls.some((n) => n >= 15)) resolve();
        });
        child.on("exit", () => reject(new Error(`child exited before being killed: ${output.slice(-500)}`)));
      });
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");

      // Then the earlier scan is intact and no succeeded scan was added
      const reopened = await openDatabase({ dataDir });
      try {
        const scans = await reopened.query<{ id: number; status: string; function_count: number }>("select id, status, function_count from scans order by id");
        expect(scans.find((s) => s.id === earlierId)).toMatchObject({ status: earlierStatus, function_count: 48 });
        expect(scans.filter((s) => s.id !== earlierId && (s.status === "succeeded" || s.status === "partial"))).toEqual([]);
        const functions = await reopened.query<{ n: number }>("select count(*)::int as n from functions where scan_id <> $1", [earlierId]);
        expect(functions[0].n).toBe(0);
      } finally {
        await reopened.close();
      }
    } finally {
      server.setFaults({});
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
