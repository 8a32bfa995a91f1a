/**
 * The crawler and scripts/collect-snapshot.sh against an AWS emulator written outside this
 * project: moto_server (moto 5.2, Python) and the AWS CLI installed on the machine. moto and the
 * AWS CLI are required: without them this file FAILS (it never skips), so CI cannot go green
 * without having run it.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { crawlOrganization } from "@/lib/collect/crawl-organization";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { openDatabase } from "@/lib/store/db";
import type { JsonReport } from "@/lib/report/build-json-report";
import { startPolicyNameProxy, type PolicyNameProxy } from "@/test/moto/policy-name-proxy";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REGIONS = ["us-east-1", "eu-west-1"];

/** What test/moto/setup-org.py created. */
interface MotoOrganization {
  management: string;
  managementKeys: { aws_access_key_id: string; aws_secret_access_key: string };
  members: Record<string, string>;
  accounts: string[];
  ous: string[];
  scps: { id: string; name: string; target: string }[];
  roles: string[];
  managedPolicies: { arn: string; versions: number; defaultVersionId?: string }[];
  functions: string[];
  resourcePolicies: { function: string; sid: string }[];
  functionUrls: { function: string; url: string }[];
  eventSourceMappings: { uuid: string; function: string; source: string }[];
  environmentValues: string[];
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let moto: ChildProcess;
let motoEndpoint: string;
let proxy: PolicyNameProxy;
let org: MotoOrganization;
let work: string;
let crawlReport: JsonReport;

function requireCommand(command: string, why: string): void {
  if (spawnSync("sh", ["-c", `command -v ${command}`]).status !== 0) throw new Error(`${command} is not installed: ${why}. This test must run, not skip.`);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, deadline: number): Promise<void> {
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`moto_server did not listen on port ${port}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs a command without blocking this process (the proxy serves from it). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The management account's credentials against `endpoint`, and nothing from the developer's own AWS setup. */
function awsEnv(endpoint: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) if (key.startsWith("AWS_") || key === "DATABASE_URL") delete env[key];
  return {
    ...env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_ACCESS_KEY_ID: org.managementKeys.aws_access_key_id,
    AWS_SECRET_ACCESS_KEY: org.managementKeys.aws_secret_access_key,
    AWS_REGION: "us-east-1",
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_CONFIG_FILE: path.join(work, "no-aws-config"),
    AWS_SHARED_CREDENTIALS_FILE: path.join(work, "no-aws-credentials"),
    ...extra,
  };
}

/** Every row of every table, as text: where a leaked value would show. */
async function dumpDatabase(dataDir: string): Promise<string> {
  const db = await openDatabase({ dataDir });
  try {
    const tables = await db.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
    const dump: string[] = [];
    // 64-bit columns (the search index's ids) come back as BigInt, which JSON.stringify refuses.
    const text = (_key: string, value: unknown) => (typeof value === "bigint" ? value.toString() : value);
    for (const { table_name } of tables) dump.push(table_name, JSON.stringify(await db.query(`select * from "${table_name}"`), text));
    return dump.join("\n");
  } finally {
    await db.close();
  }
}

function emptyDirectories(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .map((rel) => path.join(dir, rel))
    .filter((full) => statSync(full).isDirectory() && readdirSync(full).length === 0);
}

const findingKeys = (report: JsonReport) => report.functions.flatMap((f) => f.findings.map((g) => `${f.arn} ${g.ruleId} ${g.severity}`)).sort();
const gapScopes = (gaps: unknown[]) => [...new Set((gaps as { accountId: string | null; region: string | null; api: string }[]).map((g) => `${g.accountId} ${g.region} ${g.api}`))].sort();

beforeAll(async () => {
  requireCommand("moto_server", "install moto with its server (pip install 'moto[server]==5.2.*')");
  requireCommand("aws", "install the AWS CLI (v1: pip install awscli, or v2)");
  requireCommand("python3", "test/moto/setup-org.py needs Python 3 with boto3");
  work = mkdtempSync(path.join(os.tmpdir(), "saltzer-moto-"));
  const port = await freePort();
  moto = spawn("moto_server", ["-H", "127.0.0.1", "-p", String(port)], { stdio: ["ignore", "ignore", "pipe"] });
  motoEndpoint = `http://127.0.0.1:${port}`;
  await waitForPort(port, Date.now() + 30_000);

  const setup = await run("python3", ["test/moto/setup-org.py", motoEndpoint], { ...process.env });
  if (setup.code !== 0) throw new Error(`test/moto/setup-org.py failed: ${setup.stderr.slice(-2000)}`);
  org = JSON.parse(setup.stdout) as MotoOrganization;
  proxy = await startPolicyNameProxy(motoEndpoint);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  moto?.kill("SIGTERM");
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("a crawl of an organization in moto_server", () => {
  it("moto's IAM answer without Policies[].PolicyName is a named gap per account; the crawl goes on and --save-snapshot keeps what was read", async () => {
    // Given moto as it is: its authorization details leave out every managed policy's PolicyName
    const saved = path.join(work, "raw-saved");

    // When the organization is crawled straight from moto, saving the snapshot
    const { snapshot } = await crawlOrganization({ org: true, endpoint: motoEndpoint, credentials: { accessKeyId: org.managementKeys.aws_access_key_id, secretAccessKey: org.managementKeys.aws_secret_access_key }, regions: ["us-east-1"], saveSnapshotDir: saved });

    // Then each member account's IAM answer is one gap naming the API and the missing member, the account left out…
    const iamGaps = snapshot.gaps.filter((g) => g.api === "iam:GetAccountAuthorizationDetails");
    expect(iamGaps.map((g) => g.accountId).sort()).toEqual(Object.values(org.members).sort());
    for (const gap of iamGaps) expect(gap.message).toMatch(/^response rejected: \$\.Policies\[\d+\]\.PolicyName: expected string, but it is missing; the account is left out$/);
    // …the crawl went on with the rest (the management account and the organization)…
    expect(snapshot.accounts.map((a) => a.accountId)).toEqual([org.management]);
    // (moto also attaches its own FullAWSAccess to the root, as AWS does)
    expect(snapshot.organization?.scps.map((p) => p.name)).toEqual(expect.arrayContaining(org.scps.map((p) => p.name)));
    // …and the saved snapshot reads back as the same partial snapshot
    const reread = await readSnapshotDir(saved);
    expect({ ...reread, source: null }).toEqual({ ...snapshot, source: null });
  }, 180_000);

  it("`saltzer scan --aws --org` through AWS_ENDPOINT_URL reports every object created, names moto's missing API, and prints no environment value", async () => {
    // Given moto behind a proxy that gives IAM's policies their names back
    const dataDir = path.join(work, "crawl-data");
    const reportFile = path.join(work, "crawl-report.json");

    // When the organization is scanned with the CLI, AWS_ENDPOINT_URL pointing at it
    const scan = await run(
      process.execPath,
      ["bin/saltzer.mjs", "scan", "--aws", "--org", "--regions", REGIONS.join(","), "--save-snapshot", path.join(work, "crawl-saved"), "--format", "json", "--out", reportFile, "--quiet"],
      awsEnv(proxy.endpoint, { SALTZER_DATA_DIR: dataDir }),
    );

    // Then it ends partial, and says why: moto has no ListFunctionUrlConfigs (a named gap per account-region)
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/^Scan \d+ partial: 4 accounts, 2 regions, 12 functions/);
    crawlReport = JSON.parse(readFileSync(reportFile, "utf8")) as JsonReport;
    const urlGaps = (crawlReport.scan.gaps as { accountId: string; region: string; api: string; message: string }[]).filter((g) => g.api === "lambda:ListFunctionUrlConfigs");
    expect(gapScopes(urlGaps)).toEqual(Object.values(org.members).flatMap((a) => REGIONS.map((r) => `${a} ${r} lambda:ListFunctionUrlConfigs`)).sort());
    expect(urlGaps[0].message).toMatch(/^unreadable response \(HTTP 404\): .*does the endpoint implement this API\?.* \(2 of 2 functions: /);
    expect(scan.stdout).toContain("gap: ");
    expect(gapScopes(crawlReport.scan.gaps).every((s) => s.endsWith("lambda:ListFunctionUrlConfigs"))).toBe(true);
    expect(proxy.policiesNamed).toBeGreaterThanOrEqual(org.managedPolicies.length);

    // And every object created is in the report: accounts, functions with their roles, policies
    // (inline, managed, boundary), resource policies, event source mappings and variable names
    expect(crawlReport.scan.accounts.map((a) => a.accountId).sort()).toEqual([...org.accounts].sort());
    expect(crawlReport.functions.map((f) => f.arn).sort()).toEqual([...org.functions].sort());
    const byArn = new Map(crawlReport.functions.map((f) => [f.arn, f]));
    const reportedRoles = new Set(crawlReport.functions.map((f) => f.roleArn));
    expect(org.roles.filter((r) => !r.endsWith("/SaltzerAuditRole")).every((r) => reportedRoles.has(r))).toBe(true);
    const reportedPolicies = new Set(crawlReport.functions.flatMap((f) => [...f.policies, ...(f.permissionsBoundary ? [f.permissionsBoundary] : [])]).map((p) => p.arn));
    expect(org.managedPolicies.map((p) => p.arn).filter((arn) => !reportedPolicies.has(arn))).toEqual([]);
    for (const fn of crawlReport.functions) {
      expect(fn.policies.some((p) => p.kind === "inline"), fn.arn).toBe(true);
      expect(fn.environment.map((e) => e.name).sort()).toEqual(["CONFIG", "DB_PASS", "STRIPE_API_KEY", "X"]);
    }
    for (const { function: arn, sid } of org.resourcePolicies) expect(JSON.stringify(byArn.get(arn)?.resourcePolicy)).toContain(`"${sid}"`);
    for (const { uuid, function: arn, source } of org.eventSourceMappings) expect(byArn.get(arn)?.eventSources).toContainEqual(expect.objectContaining({ uuid, eventSourceArn: source }));
    // The admin functions are what the findings are about
    expect(findingKeys(crawlReport).some((k) => k.includes("-api-"))).toBe(true);

    // And the organization (OUs, SCPs and their targets), policy versions and crawl statistics are stored with the scan
    const db = await openDatabase({ dataDir });
    try {
      const [stored] = await db.query<{ organization: { parents: Record<string, string>; scps: { id: string; name: string }[]; scpTargets: Record<string, string[]> }; crawl_stats: { apiCalls: number; byApi: Record<string, { apiCalls: number }> } }>(
        "select organization, crawl_stats from scans order by id desc limit 1",
      );
      expect(Object.values(stored.organization.parents)).toEqual(expect.arrayContaining(org.ous));
      for (const scp of org.scps) expect(stored.organization.scpTargets[scp.target]).toContain(scp.id);
      expect(stored.crawl_stats.apiCalls).toBeGreaterThan(0);
      expect(Object.keys(stored.crawl_stats.byApi)).toEqual(expect.arrayContaining(["lambda:ListFunctions", "iam:GetAccountAuthorizationDetails", "sts:AssumeRole", "lambda:ListFunctionUrlConfigs"]));
      const versions = await db.query<{ arn: string; default_version_id: string; other_versions: unknown[] }>("select arn, default_version_id, other_versions from managed_policies where arn like '%-data-access'");
      expect(versions.map((v) => [v.default_version_id, v.other_versions.length])).toEqual(Object.values(org.members).map(() => ["v3", 2]));
    } finally {
      await db.close();
    }
    expect(scan.stdout).toMatch(/crawl: \d+ API calls, \d+ retries, \d+ throttled/);
    expect(scan.stderr).not.toContain("MaxListenersExceededWarning");

    // And no environment value is anywhere: report, stdout, stderr, database
    const everywhere = [readFileSync(reportFile, "utf8"), scan.stdout, scan.stderr, await dumpDatabase(dataDir)].join("\n");
    expect(org.environmentValues.length).toBe(48);
    expect(org.environmentValues.filter((value) => everywhere.includes(value))).toEqual([]);
  }, 300_000);

  it("collect-snapshot.sh with the AWS CLI records moto's failures as gaps and scans to the same functions and findings as the crawl", async () => {
    // Given the crawl's report from the previous test, and the AWS CLI on this machine (v1 here)
    expect(crawlReport).toBeDefined();
    const out = path.join(work, "cli-snapshot");

    // When the script collects the same organization through AWS_ENDPOINT_URL
    const collected = await run("bash", ["scripts/collect-snapshot.sh", "--regions", REGIONS.join(" "), "--out", out], awsEnv(proxy.endpoint, { SALTZER_COLLECT_JOBS: "3" }));

    // Then every failed call is a recorded gap (moto's missing ListFunctionUrlConfigs), with no empty directory left behind
    expect(collected.code, collected.stderr.slice(-3000)).toBe(1);
    const gaps = JSON.parse(readFileSync(path.join(out, "saltzer-coverage-gaps.json"), "utf8")) as { Gaps: { accountId: string; region: string; api: string; file: string; message: string }[] };
    expect(gaps.Gaps).toHaveLength(org.functions.length);
    expect(gaps.Gaps.every((g) => g.api === "lambda:ListFunctionUrlConfigs" && g.message.includes("ListFunctionUrlConfigs"))).toBe(true);
    expect(emptyDirectories(out)).toEqual([]);

    // And scanning it offline gives the crawl's functions, findings and gap scopes
    const dataDir = path.join(work, "cli-data");
    const reportFile = path.join(work, "cli-report.json");
    const scan = await run(process.execPath, ["bin/saltzer.mjs", "scan", "--snapshot", out, "--format", "json", "--out", reportFile, "--quiet"], awsEnv(proxy.endpoint, { SALTZER_DATA_DIR: dataDir }));
    expect(scan.code, scan.stderr).toBe(0);
    expect(scan.stdout).toMatch(/^Scan \d+ partial: 4 accounts, 2 regions, 12 functions/);
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as JsonReport;
    expect(report.functions.map((f) => f.arn)).toEqual(crawlReport.functions.map((f) => f.arn));
    expect(findingKeys(report)).toEqual(findingKeys(crawlReport));
    expect(gapScopes(report.scan.gaps)).toEqual(gapScopes(crawlReport.scan.gaps));
    const everywhere = [readFileSync(reportFile, "utf8"), scan.stdout, scan.stderr, collected.stderr, await dumpDatabase(dataDir)].join("\n");
    expect(org.environmentValues.filter((value) => everywhere.includes(value))).toEqual([]);
  }, 1_200_000);
});
