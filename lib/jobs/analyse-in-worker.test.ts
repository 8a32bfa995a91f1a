import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import type { Snapshot } from "@/lib/snapshot/types";
import { analyseInWorker, analysisWorkerFiles, prepareAnalysisWorker, startAnalysisWorker } from "./analyse-in-worker";
import { analysisInputParts } from "./analysis-inputs";

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

  it("a worker given the snapshot directory reads it, posts it with its progress, and analyses its own copy", async () => {
    // Given a worker started with the sample snapshot's directory
    const dir = path.resolve(import.meta.dirname, "..", "..", "samples", "acme");
    const files = analysisWorkerFiles()!;
    const prepared = prepareAnalysisWorker(files, { snapshotDir: dir });
    // When the scan asks for the snapshot
    const progress: number[] = [];
    const snapshot = await prepared.readSnapshot!((p) => progress.push(p.accountsDone));
    // Then it is the snapshot this thread would have read, and the read's progress came along
    expect(snapshot).toEqual(await readSnapshotDir(dir));
    expect(progress.length).toBeGreaterThan(0);
    // ... and the input hashes it posted first are those of that snapshot (what a rescan's reuse is decided from)
    expect(await prepared.readInputs).toEqual(analysisInputParts(snapshot));
    // And the analysis it is then started on runs on its own copy, rows and all
    let functions = 0;
    await startAnalysisWorker(files, 1, snapshot, { now: "2026-12-02T08:00:00.000Z" }, prepared).result({ rows: async (rows) => void (functions += rows.functions.length), edges: async () => undefined });
    expect(functions).toBe(snapshot.accounts.reduce((n, a) => n + a.functions.length, 0));
  });

  it("a worker that cannot read the snapshot directory hands back the read's own SnapshotError", async () => {
    // Given a directory that is not a snapshot (no accounts folder)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-not-a-snapshot-"));
    const prepared = prepareAnalysisWorker(analysisWorkerFiles()!, { snapshotDir: dir });
    // When the scan asks for the snapshot
    const error = await prepared.readSnapshot!(() => undefined).catch((e: Error) => e);
    prepared.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    // Then it rejects with the SnapshotError a read on this thread throws (the CLI names the file and exits 2), and there are no input hashes
    expect(error).toBeInstanceOf(SnapshotError);
    expect(await prepared.readInputs).toBeNull();
    expect((error as SnapshotError).message).toBe("accounts: required directory is missing");
  });
});
