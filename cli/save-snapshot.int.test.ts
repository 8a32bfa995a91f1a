/**
 * `saltzer scan --aws --save-snapshot DIR` keeps the raw responses, environment values included:
 * the CLI says so once and writes them readable by the owner only.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReplayServer, type ReplayServer } from "@/test/replay/replay-server";
import { ROOT, SAMPLE, type CliResult } from "./test-support";

const MANAGEMENT = "111111111111";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-cli-save-"));
let server: ReplayServer;

beforeAll(async () => {
  server = await startReplayServer(SAMPLE);
});
afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The real binary, run without blocking this process: the replay server answers from here. */
function saltzerAsync(args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin", "saltzer.mjs"), ...args], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "", AWS_PROFILE: "", AWS_EC2_METADATA_DISABLED: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("saltzer scan --aws --save-snapshot", () => {
  it("says once on stderr that the saved snapshot holds environment values, and saves it owner-only", async () => {
    // Given the sample organization served over the wire and a new target directory
    const dir = path.join(tmp, "saved");
    const { accessKeyId, secretAccessKey } = server.credentialsFor(MANAGEMENT);

    // When the organization is crawled and saved by the CLI
    const result = await saltzerAsync(["scan", "--aws", "--org", "--endpoint", server.endpoint, "--save-snapshot", dir, "--quiet"], {
      SALTZER_DATA_DIR: path.join(tmp, "data"),
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: "us-east-1",
    });

    // Then the scan succeeds, stderr says once that the directory holds environment values,
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.match(/contains the functions' environment variable values/g)).toHaveLength(1);
    expect(result.stderr).toContain(dir);
    // and the saved list-functions output, which holds those values, is readable by its owner only
    const listFunctions = path.join(dir, "accounts", "222222222222", "regions", "us-east-1", "lambda", "list-functions.json");
    expect(fs.readFileSync(listFunctions, "utf8")).toContain("STRIPE_SECRET_KEY");
    expect(fs.statSync(listFunctions).mode & 0o777).toBe(0o600);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
  }, 300_000);
});
