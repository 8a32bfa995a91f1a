import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const SAMPLE = path.join(ROOT, "samples", "acme");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-package-"));
const app = path.join(tmp, "app");
const installed = path.join(app, "node_modules", "saltzer");
const workersLog = path.join(tmp, "workers.log");

// What `npm run …` puts in the environment describes this checkout, not the user's empty directory.
const env: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_package_|npm_lifecycle_|INIT_CWD$)/.test(k)));

function run(cmd: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env: { ...env, ...extraEnv } as NodeJS.ProcessEnv, encoding: "utf8", timeout: 600_000, maxBuffer: 256 * 1024 * 1024 });
}

function ok(result: SpawnSyncReturns<string>): string {
  if (result.status !== 0) throw new Error(`exit ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  // Given the package as `npm pack` makes it (prepack builds dist/)
  const pack = JSON.parse(ok(run("npm", ["pack", "--json", "--pack-destination", tmp], ROOT))) as { filename: string }[];
  // And installed from its tarball into an empty directory, as a user installs a tool (the npm cache
  // serves the dependencies; the registry only when the cache lacks a package's metadata)
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, "package.json"), JSON.stringify({ name: "saltzer-package-test", private: true }));
  const tarball = path.join(tmp, pack[0].filename);
  let install = run("npm", ["install", tarball, "--offline", "--no-audit", "--no-fund"], app);
  if (install.status !== 0) install = run("npm", ["install", tarball, "--prefer-offline", "--no-audit", "--no-fund"], app);
  ok(install);
}, 900_000);

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }), 300_000);

/** `npx saltzer …` in the user's directory, noting which module each worker thread starts. */
function npxSaltzer(args: string[]): SpawnSyncReturns<string> {
  const tracer = path.join(tmp, "trace-workers.mjs");
  fs.writeFileSync(
    tracer,
    `import fs from "node:fs";\nimport { isMainThread, workerData } from "node:worker_threads";\nif (!isMainThread) fs.appendFileSync(${JSON.stringify(workersLog)}, String(workerData?.entry) + "\\n");\n`,
  );
  return run("npx", ["saltzer", ...args], app, { SALTZER_DATA_DIR: path.join(tmp, "data"), DATABASE_URL: "", NODE_OPTIONS: `--import ${tracer}` });
}

describe("the package installed from its tarball", () => {
  it("contains compiled JavaScript and no TypeScript, and installs no TypeScript tooling", () => {
    // Then the installed package has its build and none of the sources
    const files = fs.readdirSync(installed, { recursive: true }) as string[];
    expect(files).toContain(path.join("dist", "cli.mjs"));
    expect(files).toContain(path.join("dist", "analysis-worker.mjs"));
    expect(files.filter((f) => /\.tsx?$/.test(f))).toEqual([]);
    // And nothing that compiles TypeScript was installed with it
    for (const tool of ["tsx", "typescript", "esbuild"]) expect(fs.existsSync(path.join(app, "node_modules", tool)), tool).toBe(false);
  });

  it("scans a snapshot with `npx saltzer scan --snapshot`, analysing on the compiled worker", () => {
    // Given a snapshot directory outside any source tree
    const snapshot = path.join(tmp, "acme");
    fs.cpSync(SAMPLE, snapshot, { recursive: true });
    // When it is scanned through npx
    const result = npxSaltzer(["scan", "--snapshot", snapshot, "--quiet"]);
    // Then the scan succeeds with every function of the sample
    expect(result.stderr).not.toMatch(/saltzer:/);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Scan 1 succeeded: 3 accounts, 2 regions, 48 functions/);
    // And the analysis ran on a worker thread started from the package's dist/
    expect(fs.readFileSync(workersLog, "utf8").trim().split("\n")).toEqual([path.join(fs.realpathSync(installed), "dist", "analysis-worker.mjs")]);
  }, 600_000);

  it("reports the stored scan with `npx saltzer report`", () => {
    // When the report of the scan above is asked for
    const result = npxSaltzer(["report", "--format", "json"]);
    // Then it lists the 48 functions
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { functions: unknown[]; schemaVersion: number };
    expect(report.schemaVersion).toBe(1);
    expect(report.functions).toHaveLength(48);
  }, 600_000);
});
