import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Snapshot } from "@/lib/snapshot/types";
import { analyseInWorker, analysisWorkerFiles, prepareAnalysisWorker, startAnalysisWorker } from "./analyse-in-worker";

const ignore = { rows: async () => undefined, edges: async () => undefined };

describe("analyseInWorker", () => {
  it("rejects with the analysis's own error message when the analysis throws on the worker", async () => {
    // Given the real worker and a snapshot the analysis cannot read (an account without its lists)
    const files = analysisWorkerFiles()!;
    const broken = { accounts: [{ accountId: "111111111111" }], gaps: [], source: { kind: "directory", location: "x" } } as unknown as Snapshot;
    // When it analyses it
    const run = analyseInWorker(files, 1, broken, {}, ignore);
    // Then the promise rejects with the error raised inside the worker, not a generic one
    const error = await run.catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^Cannot read properties of undefined/);
    // And its stack still points into the analysis code that failed
    expect((error as Error).stack).toContain("analyse-to-rows.ts");
  });

  it("rejects naming the exit code when the worker dies before finishing", async () => {
    // Given a worker that exits without reporting
    const files = { ...analysisWorkerFiles()!, entry: path.resolve(import.meta.dirname, "test-fixtures/exiting-analysis-worker.ts") };
    // When the analysis is started on it
    const run = analyseInWorker(files, 1, { accounts: [], gaps: [] } as unknown as Snapshot, {}, ignore);
    // Then it rejects, saying the worker stopped and how
    await expect(run).rejects.toThrow("The analysis worker stopped (exit code 3) before it finished.");
  });

  it("says the analysis ran out of memory and which setting raises the cap", async () => {
    // Given a worker that outgrows a small heap cap
    const files = { ...analysisWorkerFiles()!, entry: path.resolve(import.meta.dirname, "test-fixtures/hungry-analysis-worker.ts") };
    // When the analysis runs with a 64 MiB cap
    const run = analyseInWorker(files, 1, { accounts: [], gaps: [] } as unknown as Snapshot, {}, ignore, 64);
    // Then it rejects naming the cap and SALTZER_HEAP_MB
    await expect(run).rejects.toThrow("The analysis ran out of memory (heap cap 64 MiB); nothing of this scan was stored. Raise SALTZER_HEAP_MB and scan again.");
  });

  it("a worker started before the snapshot is read analyses what it is then handed, and reports its errors", async () => {
    // Given a worker started ahead of its input (the scan is still reading the snapshot)
    const files = analysisWorkerFiles()!;
    const prepared = prepareAnalysisWorker(files);
    // When it is handed a snapshot the analysis cannot read
    const broken = { accounts: [{ accountId: "111111111111" }], gaps: [], source: { kind: "directory", location: "x" } } as unknown as Snapshot;
    const run = startAnalysisWorker(files, 1, broken, {}, prepared).result(ignore);
    // Then the analysis ran on it: the promise rejects with the analysis's own error
    await expect(run).rejects.toThrow(/^Cannot read properties of undefined/);
  });

  it("rejects naming the exit code when a worker started ahead dies before it is handed its input", async () => {
    // Given a worker started ahead of its input that exits at once
    const files = { ...analysisWorkerFiles()!, entry: path.resolve(import.meta.dirname, "test-fixtures/exiting-analysis-worker.ts") };
    const prepared = prepareAnalysisWorker(files);
    await new Promise<void>((resolve) => prepared.worker.once("exit", () => resolve()));
    // When the scan hands it its input afterwards
    const run = startAnalysisWorker(files, 1, { accounts: [], gaps: [] } as unknown as Snapshot, {}, prepared).result(ignore);
    // Then it rejects instead of waiting forever
    await expect(run).rejects.toThrow("The analysis worker stopped (exit code 3) before it finished.");
  });
});
