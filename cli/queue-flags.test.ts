import { beforeAll, describe, expect, it } from "vitest";
import { main, UsageError } from "./main";

beforeAll(() => {
  // The queue lives in PostgreSQL: these cases are about its absence.
  delete process.env.DATABASE_URL;
});

async function run(argv: string[]) {
  let stdout = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: process.stderr });
  return { code, stdout };
}

describe("saltzer scan --queue and saltzer worker", () => {
  it("--queue without DATABASE_URL says it needs PostgreSQL and that without it the jobs run in-process", async () => {
    await expect(run(["scan", "--aws", "--org", "--queue"])).rejects.toThrow(new UsageError("--queue needs PostgreSQL: set DATABASE_URL (the same one for every `saltzer worker`). Without it the crawl's jobs run in this process."));
  });

  it("--job-timeout goes with --queue, in whole seconds pg-boss accepts", async () => {
    await expect(run(["scan", "--aws", "--job-timeout", "60"])).rejects.toThrow("--job-timeout goes with --queue.");
    await expect(run(["scan", "--snapshot", "samples/acme", "--queue"])).rejects.toThrow("--queue goes with --aws.");
  });

  it("worker without DATABASE_URL names what it needs; a bad --concurrency is refused by name", async () => {
    await expect(run(["worker"])).rejects.toThrow(/^worker needs DATABASE_URL/);
    await expect(run(["worker", "--concurrency", "0"])).rejects.toThrow("--concurrency 0: expected a whole number from 1 to 256.");
  });

  it("saltzer --help lists the worker and the queue", async () => {
    const { stdout } = await run(["--help"]);
    expect(stdout).toContain("saltzer worker [--concurrency N]");
    expect(stdout).toContain("[--queue [--job-timeout SECONDS]]");
  });
});
