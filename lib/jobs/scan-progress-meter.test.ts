import { describe, expect, it } from "vitest";
import { createScanProgressMeter, formatTimeLeft, STEP_WEIGHTS } from "./scan-progress-meter";

describe("a scan's overall progress", () => {
  it("advances over the whole scan and never goes back when a step begins", () => {
    // Given a snapshot scan whose steps each report 0 → 1 (the old bar restarted at 0 % for each)
    let clock = 0;
    const meter = createScanProgressMeter("directory", () => clock);
    const seen: number[] = [];
    for (const step of ["reading", "graph", "functions", "storing"] as const) {
      for (const f of [0, 0.25, 0.5, 1]) {
        clock += 1000;
        seen.push(meter.update(step, f).overall);
      }
    }
    // Then the overall fraction never decreases, is above 0 once work is done, and stops short of 100 % until done
    for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
    expect(seen[1]).toBeGreaterThan(0);
    expect(Math.max(...seen)).toBeLessThan(1);
    expect(meter.done().overall).toBe(1);
  });

  it("places each step on its weight: the start of analysis is past reading, not back at 0", () => {
    const meter = createScanProgressMeter("directory", () => 0);
    meter.update("reading", 1);
    const w = STEP_WEIGHTS.directory;
    expect(meter.update("graph", 0).overall).toBeCloseTo(w.reading);
    expect(meter.update("functions", 0.5).overall).toBeCloseTo(w.reading + w.graph + w.functions / 2);
    // And a late message from an earlier step does not pull it back
    expect(meter.update("reading", 0.2).overall).toBeCloseTo(w.reading + w.graph + w.functions / 2);
    expect(meter.update("reading", 0.2).step).toBe("functions");
  });

  it("carries the counts a user follows: accounts read, functions analysed, rows stored", () => {
    const meter = createScanProgressMeter("directory", () => 0);
    meter.update("reading", 1, { accountsRead: 3, accountsTotal: 3, functionsTotal: 48 });
    meter.count({ rowsStored: 120, rowsTotal: 400 });
    const p = meter.update("functions", 0.5, { functionsAnalysed: 24 });
    expect(p.counts).toEqual({ accountsRead: 3, accountsTotal: 3, functionsAnalysed: 24, functionsTotal: 48, rowsStored: 120, rowsTotal: 400 });
  });

  it("estimates the time left from the pace so far, once there is a pace", () => {
    // Given a scan 80 % done after 20 s
    let clock = 0;
    const meter = createScanProgressMeter("directory", () => clock);
    expect(meter.update("reading", 0.1).etaSeconds).toBeNull();
    clock = 20_000;
    const w = STEP_WEIGHTS.directory;
    const p = meter.update("functions", (0.8 - w.reading - w.graph) / w.functions);
    // Then 5 s are left at that pace, said in words
    expect(p.overall).toBeCloseTo(0.8);
    expect(p.etaSeconds).toBe(5);
    expect(formatTimeLeft(p.etaSeconds)).toBe("about 5 s left");
    expect(formatTimeLeft(150)).toBe("about 3 min left");
    expect(meter.done().etaSeconds).toBe(0);
  });
});
