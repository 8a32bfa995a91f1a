import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LIFTOFF_ONLY_SCAN_FUNCTIONS, wasmTieringFlags } from "../bin/wasm-tiering.mjs";
import { ROOT, SAMPLE } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-wasm-tiering-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The embedded database's WebAssembly functions V8 compiled while `saltzer ARGS` ran, by compiler. */
function compiledDuring(args: string[]): { liftoff: number; turbofan: number; code: number | null } {
  const result = spawnSync(process.execPath, ["--trace-wasm-compilation-times", path.join(ROOT, "bin", "saltzer.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", SALTZER_DATA_DIR: path.join(tmp, "data") },
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  const lines = result.stdout.split("\n");
  return { liftoff: lines.filter((l) => l.includes("using Liftoff")).length, turbofan: lines.filter((l) => l.includes("using TurboFan")).length, code: result.status };
}

describe("the embedded database's WebAssembly in a CLI command", () => {
  it("is not recompiled by V8's optimizing compiler in a scan of a small snapshot, a gate or a report: that costs seconds of CPU they never win back", () => {
    // Given the sample organization (a few dozen functions)
    // When it is scanned, gated and reported, with V8 reporting each WebAssembly function it compiles
    const scan = compiledDuring(["scan", "--snapshot", SAMPLE, "--quiet"]);
    const gate = compiledDuring(["check", "--scan", "1", "--fail-on", "critical"]);
    const report = compiledDuring(["report", "--format", "sarif", "--out", path.join(tmp, "report.sarif")]);
    // Then all ran (the sample has critical findings: the gate fails, exit 1), PGlite's functions
    // were compiled by the baseline compiler, and none by TurboFan
    expect(scan.code).toBe(0);
    expect(gate.code).toBe(1);
    expect(report.code).toBe(0);
    for (const compiled of [scan, gate, report]) {
      expect(compiled.liftoff).toBeGreaterThan(100);
      expect(compiled.turbofan).toBe(0);
    }
  });

  it("is optimized in a scan of a large organization, whose inserts the optimized code speeds up by about a third", () => {
    expect(wasmTieringFlags("scan", 1_000)).toEqual(["--liftoff-only"]);
    expect(wasmTieringFlags("scan", LIFTOFF_ONLY_SCAN_FUNCTIONS)).toEqual(["--liftoff-only"]);
    expect(wasmTieringFlags("scan", LIFTOFF_ONLY_SCAN_FUNCTIONS + 1)).toEqual([]);
    expect(wasmTieringFlags("check", 100_000)).toEqual([]);
    expect(wasmTieringFlags("first-start", 100_000)).toEqual([]);
    // A crawl (its size is not known) and the long-running worker: V8's defaults.
    expect(wasmTieringFlags("scan", null)).toEqual([]);
    expect(wasmTieringFlags("worker", null)).toEqual([]);
    // Gates, reports and single-function questions against the stored scan: the baseline compiler.
    expect(wasmTieringFlags("check", null)).toEqual(["--liftoff-only"]);
    expect(wasmTieringFlags("report", null)).toEqual(["--liftoff-only"]);
    expect(wasmTieringFlags("diff", null)).toEqual(["--liftoff-only"]);
    expect(wasmTieringFlags("first-start", 48)).toEqual(["--liftoff-only"]);
  });
});
