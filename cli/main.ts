/**
 * `saltzer` — the command line. Each command is a small function; exit codes: 0 ok,
 * 1 a gate failed (check), 2 bad usage or input, 3 check saw no failing finding but the data is
 * incomplete (fails closed unless --allow-incomplete), 128+n a scan cancelled by signal n.
 * Help is text in cli/help.ts and a command's code is imported when it runs, so `--help` and
 * `COMMAND --help` load nothing else.
 */
import { UsageError, type Out } from "./command-io";
import { HELP, commandHelp } from "./help";

export { UsageError, commandHelp };

const COMMAND_NAMES = ["scan", "report", "first-start", "can", "check", "rules", "suppress", "unsuppress", "suppressions", "diff", "worker"];

const stdoutDrained = (): Promise<void> => (process.stdout.writableNeedDrain ? new Promise((resolve) => process.stdout.once("drain", () => resolve())) : Promise.resolve());

export async function main(argv: string[], out: Out = { stdout: (s) => process.stdout.write(s), stderr: process.stderr, stdoutIsTerminal: process.stdout.isTTY === true, drain: stdoutDrained }): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    out.stdout(HELP);
    return command ? 0 : 2;
  }
  if (!COMMAND_NAMES.includes(command)) throw new UsageError(`Unknown command "${command}". Run "saltzer --help".`);
  const options = rest.includes("--") ? rest.slice(0, rest.indexOf("--")) : rest;
  if (options.includes("--help") || options.includes("-h")) {
    out.stdout(commandHelp(command));
    return 0;
  }
  if (command === "rules") return (await import("./rules-command")).rulesCommand(rest, out);
  const { COMMANDS } = await import("./commands");
  return COMMANDS[command](rest, out);
}
