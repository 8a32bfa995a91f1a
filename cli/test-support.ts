import { spawn, spawnSync } from "node:child_process";
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

/** Starts the real `saltzer` binary without waiting, for tests that signal it mid-run. */
export function startSaltzer(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(ROOT, "bin", "saltzer.mjs"), ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: "", ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (s: string) => (stdout += s));
  child.stderr.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const exited = new Promise<CliResult>((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr })));
  return {
    child,
    exited,
    /** Resolves once stderr contains `text` (a progress phase, say). */
    stderrShows: (text: string) =>
      new Promise<void>((resolve, reject) => {
        const look = () => {
          if (stderr.includes(text)) resolve();
          else if (child.exitCode !== null) reject(new Error(`saltzer exited before printing "${text}": ${stderr}`));
          else setTimeout(look, 50);
        };
        look();
      }),
  };
}
