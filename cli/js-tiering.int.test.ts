import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { INTERPRETED_SCAN_FUNCTIONS, jsTieringFlags } from "../bin/js-tiering.mjs";
import { ROOT, SAMPLE } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-js-tiering-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe("the CLI's JavaScript in a scan", () => {
  it("is not recompiled by V8's optimizing compiler in a scan of a small snapshot: the scan is over before that work pays back", () => {
    // Given the sample organization (a few dozen functions)
    // When it is scanned with V8 reporting each JavaScript function its optimizing compiler finishes
    const result = spawnSync(process.execPath, ["--trace-opt", path.join(ROOT, "bin", "saltzer.mjs"), "scan", "--snapshot", SAMPLE, "--quiet"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: "", SALTZER_DATA_DIR: path.join(tmp, "data") },
      encoding: "utf8",
      timeout: 180_000,
      maxBuffer: 256 * 1024 * 1024,
    });
    // Then the scan succeeded, and only the few of Node's own functions that ran before the CLI set
    // its flags were optimized (with V8's defaults the same scan optimizes ~170, the analysis' among them)
    expect(result.status).toBe(0);
    const optimized = result.stdout.split("\n").filter((l) => l.startsWith("[completed optimizing"));
    expect(optimized.length).toBeLessThan(10);
    expect(optimized.join("\n")).not.toMatch(/evaluate|recommend|analys/i);
  });

  it("keeps V8's defaults for larger scans, crawls, the worker and every other command", () => {
    expect(jsTieringFlags("scan", 1_000)).toEqual(["--no-opt"]);
    expect(jsTieringFlags("first-start", 48)).toEqual(["--no-opt"]);
    expect(jsTieringFlags("scan", INTERPRETED_SCAN_FUNCTIONS)).toEqual(["--no-opt"]);
    expect(jsTieringFlags("scan", INTERPRETED_SCAN_FUNCTIONS + 1)).toEqual([]);
    expect(jsTieringFlags("scan", null)).toEqual([]);
    expect(jsTieringFlags("worker", null)).toEqual([]);
    expect(jsTieringFlags("report", null)).toEqual([]);
    expect(jsTieringFlags("check", null)).toEqual([]);
  });
});
