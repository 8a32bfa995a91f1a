import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReplayServer, type ReplayServer } from "@/test/replay/replay-server";
import { ROOT, SAMPLE, type CliResult } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-cli-aws-"));
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
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, "bin", "saltzer.mjs"), ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: "", ...env }, timeout: 300_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
    );
  });
}

describe("saltzer scan --aws", () => {
  it("crawls the organization through the compiled CLI, whose AWS SDK clients load on first use", async () => {
    // Given the sample organization served over the AWS wire protocol, and the management account's keys
    const { accessKeyId, secretAccessKey } = server.credentialsFor("111111111111");
    // When the CLI crawls it
    const result = await saltzerAsync(["scan", "--aws", "--org", "--endpoint", server.endpoint, "--quiet"], {
      SALTZER_DATA_DIR: path.join(tmp, "data"),
      AWS_ACCESS_KEY_ID: accessKeyId,
      AWS_SECRET_ACCESS_KEY: secretAccessKey,
      AWS_REGION: "us-east-1",
    });
    // Then every account, region and function of the sample is scanned
    expect(result.stderr).not.toMatch(/saltzer:/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Scan 1 succeeded: 3 accounts, 2 regions, 48 functions/);
    // And the SDK's clients, commands and credential chain answered through the lazy stand-ins
    expect(server.calls.get("lambda:ListFunctions")).toBeGreaterThan(0);
  }, 300_000);
});
