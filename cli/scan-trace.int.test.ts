import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { SAMPLE, saltzer } from "./test-support";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-trace-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LINE = /^saltzer trace +(\d+\.\d\d) s {2}(main|worker) +(.+)$/;

/** The trace lines of a command's stderr: [seconds, thread, step]. */
function traceOf(stderr: string): [number, string, string][] {
  return stderr
    .split("\n")
    .filter((l) => l.startsWith("saltzer trace"))
    .map((l) => {
      const m = LINE.exec(l);
      expect(m, l).not.toBeNull();
      return [Number(m![1]), m![2], m![3]];
    });
}

describe("SALTZER_TRACE", () => {
  const dataDir = path.join(tmp, "data");

  it("prints when each step of a scan begins, from both threads, in order", () => {
    // Given an empty data directory
    // When the sample is scanned with SALTZER_TRACE=1
    const result = saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir, SALTZER_TRACE: "1" });
    expect(result.code).toBe(0);
    const trace = traceOf(result.stderr);
    const steps = trace.map(([, thread, step]) => `${thread} ${step}`);
    // Then the scan's steps and the worker's appear, each thread's in the order they happen
    const inOrder = (thread: string, expected: string[]) => {
      const seen = steps.filter((s) => s.startsWith(`${thread} `) && expected.some((e) => s.startsWith(e)));
      expect(seen.map((s) => expected.find((e) => s.startsWith(e)))).toEqual(expected);
    };
    inOrder("main", ["main opening the database", "main database open", "main snapshot received", "main nothing to reuse; analysing 48 function(s)", "main writing the snapshot's rows", "main analysis stored", "main deriving page data", "main scan 1 committed"]);
    inOrder("worker", ["worker reading the snapshot", "worker snapshot read", "worker analysing", "worker first rows analysed", "worker analysis done"]);
    // And the clock never goes back within a thread
    for (const thread of ["main", "worker"]) {
      const times = trace.filter(([, t]) => t === thread).map(([s]) => s);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it("says what a rescan reuses and when it lists the reused rows", () => {
    // Given the scan above, and the same snapshot unchanged
    // When it is scanned again with SALTZER_TRACE=1
    const result = saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir, SALTZER_TRACE: "1" });
    expect(result.code).toBe(0);
    const steps = traceOf(result.stderr).map(([, thread, step]) => `${thread} ${step}`);
    // Then the trace names the reused accounts and the listing of their rows, done ahead while the worker read the snapshot
    expect(steps).toContain("main reusing 3 account(s) of scan 1; nothing to analyse");
    expect(steps).toContain("main listing ahead the 3 account(s) of scan 1");
    expect(steps.indexOf("main listed ahead")).toBeGreaterThan(steps.indexOf("main listing ahead the 3 account(s) of scan 1"));
    expect(steps.indexOf("main listed ahead")).toBeLessThan(steps.indexOf("main inputs received; looking for an analysis to reuse"));
  });

  it("prints nothing of the kind without it", () => {
    // When the sample is scanned without SALTZER_TRACE (or with 0)
    const result = saltzer(["scan", "--snapshot", SAMPLE, "--quiet"], { SALTZER_DATA_DIR: dataDir, SALTZER_TRACE: "0" });
    // Then stderr holds no trace line
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("saltzer trace");
  });
});
