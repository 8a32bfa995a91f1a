import { spawnSync } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const SAMPLE = path.join(ROOT, "samples", "acme");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `saltzer` binary, as a user would, against the given data dir. */
export function saltzer(args: string[], env: Record<string, string>): CliResult {
  const result = spawnSync(process.execPath, [path.join(ROOT, "bin", "saltzer.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", ...env },
    encoding: "utf8",
    timeout: 180_000,
    // A report of the whole sample is over spawnSync's default 1 MiB.
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
