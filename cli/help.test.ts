import { describe, expect, it } from "vitest";
import { main, UsageError } from "./main";

async function run(argv: string[]) {
  let stdout = "";
  const code = await main(argv, { stdout: (s) => (stdout += s), stderr: process.stderr });
  return { code, stdout };
}

describe("saltzer COMMAND --help", () => {
  it("prints that command's usage and the options, and exits 0 without running it", async () => {
    // Given the scan command asked for help (with no snapshot, which would otherwise be bad usage)
    // When it runs
    const { code, stdout } = await run(["scan", "--help"]);
    // Then it exits 0 with both scan usages, the options, and no other command's usage
    expect(code).toBe(0);
    expect(stdout).toContain("saltzer scan --snapshot DIR");
    expect(stdout).toContain("[--last-accessed] [--save-snapshot DIR]");
    expect(stdout).toContain("--format F");
    expect(stdout).not.toContain("saltzer check");
  });

  it("takes -h too, and treats --help after -- as an argument", async () => {
    // When can is asked for help with -h
    const help = await run(["can", "-h"]);
    // Then it prints can's usage
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("saltzer can FUNCTION ACTION RESOURCE");
    // And after --, "--help" is not a request for help (the command runs and rejects its arguments)
    await expect(run(["can", "--", "--help"])).rejects.toBeInstanceOf(UsageError);
  });
});
