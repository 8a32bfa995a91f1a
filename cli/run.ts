import { main, UsageError } from "./main";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { safeTerminalBlock } from "./terminal-text";

/**
 * Ends the process once the command is done and its output is flushed. Waiting for the event loop
 * to empty instead costs a scan ~0.1 s (the analysis worker's and the database's teardown) after
 * the work that mattered.
 */
async function exitWith(code: number): Promise<void> {
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise<void>((resolve) => stream.write("", () => resolve()))));
  process.exit(code);
}

main(process.argv.slice(2)).then(
  (code) => exitWith(code),
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof SnapshotError;
    // A message may quote the snapshot (a name, a value at a JSON path).
    process.stderr.write(`saltzer: ${safeTerminalBlock(error instanceof Error ? error.message : String(error))}\n`);
    if (!usage && process.env.SALTZER_DEBUG) process.stderr.write(`${safeTerminalBlock(String((error as Error).stack))}\n`);
    return exitWith(2);
  },
);
