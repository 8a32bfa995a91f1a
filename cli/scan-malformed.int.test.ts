import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { malformedCases, writeBaseSnapshot, type MalformedCase } from "@/lib/snapshot/malformed-snapshot-cases";
import { saltzer } from "./test-support";

/**
 * Issue 10 §6 through the real CLI and store (PGlite): the inputs that used to end in raw
 * internal or database errors, a hang or a silent success now fail the scan with exit 2 and one
 * `saltzer: file: $.path: reason` line — and the scan stored before stays as it was.
 */

const SAMPLED = [
  "duplicate function ARN",
  "MemorySize: 3.5",
  "BatchSize: 1000000000000",
  "environment variable name with a NUL",
  "authorizationDetails RoleDetailList.0.RolePolicyList.0.PolicyDocument.Statement.0.Sid: lone surrogate",
  "listFunctions Functions.0.FunctionName: 100 KB string",
  "duplicate role",
  "duplicate mapping UUID",
  "10,000-level SelfManagedEventSource",
  "10,000-level Cors",
  "listFunctions: a directory instead of the file",
  "getPolicy: a FIFO instead of the file",
  "listFunctions: a symbolic link to /etc/passwd",
  "a second Functions key",
  "OU parent cycle",
];

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-malformed-"));
const outside = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-malformed-outside-"));
const dataDir = path.join(tmp, "data");
const env = { SALTZER_DATA_DIR: dataDir };
let earlierReport: unknown;

/** The stored report of scan 1, without the time it was generated. */
function reportOfScan1(): unknown {
  const result = saltzer(["report", "--scan", "1", "--format", "json"], env);
  expect(result.code).toBe(0);
  const { generatedAt: _generatedAt, ...report } = JSON.parse(result.stdout) as Record<string, unknown>;
  return report;
}

beforeAll(async () => {
  // Given a store holding one good scan of the base snapshot
  const base = path.join(tmp, "base");
  await writeBaseSnapshot(base);
  const first = saltzer(["scan", "--snapshot", base, "--quiet"], env);
  expect(first.stderr).not.toMatch(/saltzer:/);
  expect(first.code).toBe(0);
  earlierReport = reportOfScan1();
}, 300_000);
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe("saltzer scan over malformed snapshots", () => {
  const cases = new Map(malformedCases(outside).map((c) => [c.name, c]));

  it.each(SAMPLED)("%s: exit 2 with one line naming the file, the earlier scan intact", async (name) => {
    const testCase = cases.get(name) as MalformedCase;
    expect(testCase, `no malformed case named ${name}`).toBeDefined();
    const dir = path.join(tmp, `case-${SAMPLED.indexOf(name)}`);
    await writeBaseSnapshot(dir);
    await testCase.mutate(dir);

    // When it is scanned
    const result = saltzer(["scan", "--snapshot", dir, "--quiet"], env);

    // Then the scan fails as bad input, with the file (and JSON path) named and no stack trace or database message
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0].startsWith(`saltzer: ${testCase.file}`)).toBe(true);
    if (testCase.jsonPath) expect(lines[0]).toMatch(/: \$[.[\w"]*.*: /);
    expect(result.stderr).not.toMatch(/\n\s+at |prisma|pglite|violates|invalid byte sequence|Maximum call stack|index row/i);
    expect(result.stdout).not.toMatch(/Scan \d+ (succeeded|partial)/);
  }, 120_000);

  it("records an event source mapping for a missing function as a gap of a partial scan", async () => {
    // Given a mapping that triggers a function list-functions does not have
    const testCase = cases.get("mapping for a function that does not exist") as MalformedCase;
    const dir = path.join(tmp, "case-gap");
    await writeBaseSnapshot(dir);
    await testCase.mutate(dir);

    // When it is scanned
    const result = saltzer(["scan", "--snapshot", dir, "--quiet"], env);

    // Then the scan is partial and the gap names the mapping and the function
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Scan \d+ partial/);
    expect(result.stdout).toContain(`(${testCase.file}): $.EventSourceMappings[0].FunctionArn: mapping 0f0e0d0c-0000-4000-8000-000000000001 triggers function arn:aws:lambda:us-east-1:222222222222:function:deleted-last-week, which is not in`);
  }, 120_000);

  it("leaves the scan stored before all of them exactly as it was", () => {
    // Given the failed scans above
    // When the first scan's report is read again
    // Then it is unchanged
    expect(reportOfScan1()).toEqual(earlierReport);
  }, 120_000);
});
