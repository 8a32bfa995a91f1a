import { main, UsageError } from "./main";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError || error instanceof SnapshotError;
    process.stderr.write(`saltzer: ${error instanceof Error ? error.message : String(error)}\n`);
    if (!usage && process.env.SALTZER_DEBUG) process.stderr.write(`${(error as Error).stack}\n`);
    process.exitCode = 2;
  },
);
