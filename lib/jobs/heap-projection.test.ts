import { describe, expect, it } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { heapCapExceeded, projectRetainedHeap } from "./heap-projection";
import { analysisHeapMb, HEAP_FIXED_MIB, HEAP_KIB_PER_FUNCTION, snapshotFunctionCount, snapshotOption } from "../../bin/heap-cap.mjs";

const MiB = 2 ** 20;

describe("heap projection", () => {
  it("tells after a few percent that an org growing past the cap will not fit, with the cap to set", () => {
    // Given 100 MiB kept at 2 % and 140 MiB at 8 %: about 6.7 MiB per percent
    const samples = [
      { fraction: 0.02, retained: 100 * MiB },
      { fraction: 0.05, retained: 120 * MiB },
      { fraction: 0.08, retained: 140 * MiB },
    ];
    // When the cap is 512 MiB
    const message = heapCapExceeded(samples, 512 * MiB, 100_000);
    // Then the scan fails now, naming the projected need (~753 MiB) and a cap that fits it
    expect(message).toContain("after 8000 of 100000 functions it keeps 140 MiB");
    expect(message).toContain("needs about 754 MiB");
    expect(message).toContain("SALTZER_HEAP_MB=1024");
  });

  it("lets an org that fits go on", () => {
    const samples = [
      { fraction: 0.1, retained: 100 * MiB },
      { fraction: 0.3, retained: 110 * MiB },
    ];
    expect(heapCapExceeded(samples, 1024 * MiB, 1000)).toBeNull();
  });

  it("does not judge before a few percent of the functions are analysed", () => {
    const samples = [
      { fraction: 0.001, retained: 100 * MiB },
      { fraction: 0.01, retained: 300 * MiB },
    ];
    expect(projectRetainedHeap(samples)).toBeNull();
    expect(heapCapExceeded(samples, 128 * MiB, 1000)).toBeNull();
  });

  it("gives a large organization's analysis the cap it needs, unless SALTZER_HEAP_MB is set or the machine is too small", () => {
    // Given 100,000 functions on a 24 GiB machine, with the default cap of 1024 MiB
    const machine = { defaultMb: 1024, machineMb: 24 * 1024 };
    const cap = analysisHeapMb(100_000, machine);
    // Then the cap is above what the analysis keeps, so the scan runs instead of stopping early
    expect(cap).toBeGreaterThan(HEAP_FIXED_MIB + (100_000 * HEAP_KIB_PER_FUNCTION) / 1024);
    // And a small organization keeps the default
    expect(analysisHeapMb(1_000, machine)).toBe(1024);
    // And SALTZER_HEAP_MB wins
    expect(analysisHeapMb(100_000, { ...machine, configured: 768 })).toBe(768);
    // And a machine with 1.5 GiB does not get a cap it cannot hold (the projection then stops the scan early)
    expect(analysisHeapMb(100_000, { defaultMb: 512, machineMb: 1536 })).toBe(1024);
  });

  it("reads the cap's inputs from the command line and the snapshot's list-functions files", () => {
    // Given `saltzer scan --snapshot samples/acme` (48 functions)
    const dir = path.resolve(import.meta.dirname, "../../samples/acme");
    // Then the directory and its function count are found (check and can take --snapshot too), and a command without one has none
    expect(snapshotOption(["scan", "--snapshot", dir])).toBe(dir);
    expect(snapshotOption(["scan", `--snapshot=${dir}`, "--quiet"])).toBe(dir);
    expect(snapshotOption(["check", "--snapshot", dir, "--fail-on", "high"])).toBe(dir);
    expect(snapshotOption(["report", "--format", "json"])).toBeNull();
    expect(snapshotFunctionCount(dir)).toBe(48);
    // Asked only whether it passes a threshold, it stops reading once past it
    const past = snapshotFunctionCount(dir, 10);
    expect(past).toBeGreaterThan(10);
    expect(past).toBeLessThan(48);
  });

  it("sizes the heap of a malformed snapshot without failing, so the scan itself can name what is wrong", () => {
    // Given a snapshot whose list-functions.json is a directory, and one whose accounts is a file
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-heap-cap-"));
    try {
      fs.mkdirSync(path.join(root, "a", "accounts", "111111111111", "regions", "us-east-1", "lambda", "list-functions.json"), { recursive: true });
      fs.mkdirSync(path.join(root, "b"));
      fs.writeFileSync(path.join(root, "b", "accounts"), "not a directory");
      // When their functions are counted
      // Then they count as none (the default cap), and nothing throws
      expect(snapshotFunctionCount(path.join(root, "a"))).toBe(0);
      expect(snapshotFunctionCount(path.join(root, "b"))).toBe(0);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
