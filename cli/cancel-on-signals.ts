/**
 * SIGINT, SIGTERM and SIGHUP cancel a running scan: `timeout`, `docker stop`, a cancelled CI job
 * and a closed terminal must not look like success. The first signal aborts (the scan ends
 * `cancelled`, stores nothing); the same or another signal again, a second later, stops the
 * process at once.
 */
import os from "node:os";

export const CANCEL_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type CancelSignal = (typeof CANCEL_SIGNALS)[number];

/** The shell's convention for a process ended by a signal: 128 + its number (SIGINT 130, SIGTERM 143). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + os.constants.signals[signal];
}

// Ctrl-C reaches this process twice: from the terminal (process group) and forwarded by
// bin/saltzer.mjs. A repeat inside this window is that echo, not a user insisting.
const ECHO_MS = 1_000;

export interface SignalCancellation {
  signal: AbortSignal;
  /** The signal that cancelled, once one did. */
  received(): CancelSignal | null;
  dispose(): void;
}

export function cancelOnSignals(onForcedExit: (signal: CancelSignal) => void): SignalCancellation {
  const controller = new AbortController();
  let first: { signal: CancelSignal; at: number } | null = null;
  const handlers = CANCEL_SIGNALS.map((signal) => {
    const handler = () => {
      if (!first) {
        first = { signal, at: Date.now() };
        controller.abort(signal);
      } else if (Date.now() - first.at > ECHO_MS) {
        onForcedExit(signal);
        process.exit(signalExitCode(signal));
      }
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    signal: controller.signal,
    received: () => first?.signal ?? null,
    dispose: () => {
      for (const [signal, handler] of handlers) process.off(signal, handler);
    },
  };
}
