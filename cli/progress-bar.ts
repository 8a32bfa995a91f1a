import { safeTerminalText } from "./terminal-text";

/** A one-line progress bar on stderr (plain lines when stderr is not a terminal). */
export function createProgressBar(stream: NodeJS.WriteStream = process.stderr, enabled = true) {
  const tty = stream.isTTY === true;
  let lastLine = "";
  let lastPhase = "";
  return {
    update(phase: string, fraction: number, detail: string) {
      if (!enabled || phase === "done") return;
      const width = 28;
      const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
      const line = `${phase.padEnd(10)} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${Math.round(fraction * 100)
        .toString()
        .padStart(3)}% ${safeTerminalText(detail)}`;
      if (tty) {
        if (line !== lastLine) stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 100) - 1)}`);
      } else if (phase !== lastPhase) {
        stream.write(`${phase}…\n`);
      }
      lastLine = line;
      lastPhase = phase;
    },
    done() {
      if (enabled && tty && lastLine) stream.write("\r\x1b[2K");
    },
  };
}
