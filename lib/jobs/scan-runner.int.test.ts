import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readEnv } from "@/lib/env";
import { freshPglite, type TestDatabase } from "@/lib/store/test-support";
import { runningScanSettled, startInterval, stopInterval } from "./scan-runner";

const SAMPLE = path.resolve(import.meta.dirname, "../../samples/acme");

describe("automatic rescans (SALTZER_RESCAN_INTERVAL)", () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await freshPglite();
  });
  afterEach(() => {
    stopInterval();
    vi.useRealTimers();
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it("scans the configured snapshot each interval, never two at once, and stops when told", async () => {
    // Given the dashboard configured to rescan the sample every 60 seconds
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const config = readEnv({ SALTZER_SNAPSHOT_DIR: SAMPLE, SALTZER_RESCAN_INTERVAL: "60" } as unknown as NodeJS.ProcessEnv);
    startInterval(t.db, config, config.SALTZER_RESCAN_INTERVAL!);
    // When 59 seconds pass, nothing has started
    vi.advanceTimersByTime(59_000);
    expect(await t.db.prisma.scan.count()).toBe(0);
    // When the interval elapses twice in a row, only one scan starts (the second tick finds it running)
    vi.advanceTimersByTime(1_000);
    vi.advanceTimersByTime(60_000);
    await runningScanSettled();
    const scans = await t.db.prisma.scan.findMany();
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ status: "succeeded", sourceKind: "directory", sourceLocation: SAMPLE, functionCount: 48 });
    // When another interval passes with no scan running, a second scan runs
    vi.advanceTimersByTime(60_000);
    await runningScanSettled();
    expect(await t.db.prisma.scan.count({ where: { status: "succeeded" } })).toBe(2);
    // When stopped, later intervals start nothing
    stopInterval();
    vi.advanceTimersByTime(180_000);
    await runningScanSettled();
    expect(await t.db.prisma.scan.count()).toBe(2);
  });
});
