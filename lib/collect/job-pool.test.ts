import { describe, expect, it } from "vitest";
import { JobPool, TokenBucket, sleep } from "@/lib/collect/job-pool";

describe("JobPool", () => {
  it("never runs more than its concurrency at once", async () => {
    // Given a pool of 3 and 12 jobs that each take a few milliseconds
    const pool = new JobPool(3);
    let running = 0;
    let peak = 0;

    // When they all run
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        pool.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(3);
          running--;
          return i;
        }),
      ),
    );

    // Then at most 3 ran together and every result came back in order
    expect(peak).toBe(3);
    expect(results).toEqual([...Array(12).keys()]);
  });

  it("frees the slot of a job that throws", async () => {
    // Given a pool of 1 whose first job fails
    const pool = new JobPool(1);
    const failed = pool.run(async () => {
      throw new Error("boom");
    });

    // When a second job is queued
    const second = pool.run(async () => "ran");

    // Then the failure is reported and the second job still runs
    await expect(failed).rejects.toThrow("boom");
    await expect(second).resolves.toBe("ran");
  });

  it("does not start a queued job once the signal is aborted", async () => {
    // Given a busy pool of 1 and an aborted signal for the next job
    const pool = new JobPool(1);
    const controller = new AbortController();
    const busy = pool.run(() => sleep(5));
    let started = false;
    const queued = pool.run(async () => {
      started = true;
    }, controller.signal);

    // When the signal aborts before the slot frees
    controller.abort(new Error("stop"));
    await busy;

    // Then the queued job rejects without running
    await expect(queued).rejects.toThrow("stop");
    expect(started).toBe(false);
  });
});

describe("TokenBucket", () => {
  it("lets a burst through, then paces to the rate", async () => {
    // Given 100 tokens per second with a burst of 5
    const bucket = new TokenBucket(100, 5);
    const start = performance.now();

    // When 15 tokens are taken
    for (let i = 0; i < 15; i++) await bucket.take();

    // Then the 10 beyond the burst took about 100 ms
    const elapsed = performance.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(80);
    expect(elapsed).toBeLessThan(1000);
  });

  it("rejects a waiting taker when its signal aborts", async () => {
    // Given an empty bucket refilling once a second
    const bucket = new TokenBucket(1, 1);
    await bucket.take();
    const controller = new AbortController();

    // When a taker waits and its signal aborts
    const waiting = bucket.take(controller.signal);
    controller.abort(new Error("aborted"));

    // Then it rejects at once
    await expect(waiting).rejects.toThrow("aborted");
  });
});
