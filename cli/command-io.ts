/** What every command shares: where it prints, and the error for bad usage (exit 2 with its message). */
import { parseArgs, type ParseArgsConfig } from "node:util";

export class UsageError extends Error {}

/** Where the CLI prints; `stdoutIsTerminal` decides whether a CSV or HTML body is escaped for a terminal. */
export type Out = { stdout: (s: string) => void; stderr: NodeJS.WriteStream; stdoutIsTerminal?: boolean; /** Resolves when stdout can take more (a streamed report waits on a slow reader). */ drain?: () => Promise<void> };

/** node:util parseArgs with strict options and positionals; a bad flag is a UsageError. */
export function parse<O extends NonNullable<ParseArgsConfig["options"]>>(args: string[], options: O) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
