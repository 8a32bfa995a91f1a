import { main, UsageError } from "./main";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import { safeTerminalBlock } from "./terminal-text";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof SnapshotError;
    // A message may quote the snapshot (a name, a value at a JSON path).
    process.stderr.write(`saltzer: ${safeTerminalBlock(error instanceof Error ? error.message : String(error))}\n`);
    if (!usage && process.env.SALTZER_DEBUG) process.stderr.write(`${safeTerminalBlock(String((error as Error).stack))}\n`);
    process.exitCode = 2;
  },
);
