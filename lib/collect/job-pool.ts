/**
 * Bounded concurrency for crawl jobs, and a token bucket per (account, region) so one busy
 * account-region never exceeds its API rate, whatever the pool size.
 */

/** Runs at most `concurrency` tasks at once; `run` resolves with the task's result. */
export class JobPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`job pool concurrency must be a positive integer, got ${concurrency}`);
  }

  /** Tasks must not call `run` themselves and wait for it (they would hold a slot while waiting). */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so `active` never overshoots.
    if (this.active >= this.concurrency) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      signal?.throwIfAborted();
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }

  get running(): number {
    return this.active;
  }
}

/**
 * Runs at most `concurrency` tasks at once, and at most `perLane` of them in one lane (a crawl's
 * lane is an account-region: its jobs share its rate limits, so more of them at once would only
 * wait). Queued tasks start lane by lane in turn, so one busy lane never holds every slot while
 * other lanes, with tokens to spend, wait.
 */
export class LanePool {
  private active = 0;
  private readonly lanes = new Map<string, { active: number; waiting: (() => void)[]; queued: boolean }>();
  /** Lanes with a waiting task and room for it, in the order they became so (each once). */
  private readonly ready: string[] = [];
  private readyHead = 0;

  constructor(
    readonly concurrency: number,
    readonly perLane: number,
  ) {
    for (const [name, n] of [["concurrency", concurrency], ["per-lane concurrency", perLane]] as const) {
      if (!Number.isInteger(n) || n < 1) throw new Error(`job pool ${name} must be a positive integer, got ${n}`);
    }
  }

  /** Tasks must not call `run` themselves and wait for it (they would hold a slot while waiting). */
  async run<T>(lane: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let state = this.lanes.get(lane);
    if (!state) this.lanes.set(lane, (state = { active: 0, waiting: [], queued: false }));
    if (this.active < this.concurrency && state.active < this.perLane && state.waiting.length === 0) {
      this.active++;
      state.active++;
    } else {
      // Started by `release`, which counts the slot for it.
      await new Promise<void>((resolve) => {
        state.waiting.push(resolve);
        this.markReady(lane);
      });
    }
    try {
      signal?.throwIfAborted();
      return await task();
    } finally {
      this.active--;
      state.active--;
      this.markReady(lane);
      this.startWaiting();
      if (state.active === 0 && state.waiting.length === 0 && !state.queued) this.lanes.delete(lane);
    }
  }

  get running(): number {
    return this.active;
  }

  private markReady(lane: string): void {
    const state = this.lanes.get(lane)!;
    if (state.queued || state.waiting.length === 0 || state.active >= this.perLane) return;
    state.queued = true;
    this.ready.push(lane);
  }

  private startWaiting(): void {
    while (this.active < this.concurrency && this.readyHead < this.ready.length) {
      const lane = this.ready[this.readyHead++];
      const state = this.lanes.get(lane)!;
      state.queued = false;
      const next = state.active < this.perLane ? state.waiting.shift() : undefined;
      if (next) {
        this.active++;
        state.active++;
        next();
        // Back of the line: the other ready lanes go first.
        this.markReady(lane);
      }
    }
    if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
      this.ready.splice(0, this.readyHead);
      this.readyHead = 0;
    }
  }
}

/** Classic token bucket: `ratePerSecond` refill, `burst` capacity; `take` waits for a token. */
export class TokenBucket {
  private tokens: number;
  private last = performance.now();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number = Math.max(1, Math.ceil(ratePerSecond)),
  ) {
    if (!(ratePerSecond > 0)) throw new Error(`rate must be positive, got ${ratePerSecond}`);
    this.tokens = this.burst;
  }

  /** Resolves when a token is available; callers are served in arrival order. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.queue.then(() => this.waitForToken(signal));
    // A rejected (aborted) waiter must not block the ones behind it.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async waitForToken(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = performance.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000), signal);
    }
  }
}

/** Keyed token buckets, created on first use. */
export class RateLimits {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst?: number,
  ) {}

  bucket(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.ratePerSecond, this.burst);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
