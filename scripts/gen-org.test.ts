import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parseGenArgs, writeGeneratedOrganization } from "./gen-org";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "saltzer-gen-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Relative path → file contents, for every file under `root`. */
function readTree(root: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    files.set(relative(root, full), readFileSync(full, "utf8"));
  }
  return files;
}

function generate(args: string[]): string {
  const out = tempDir();
  writeGeneratedOrganization(parseGenArgs([...args, "--out", out]));
  return out;
}

describe("gen-org", () => {
  it("writes byte-identical files for the same arguments", () => {
    // Given the same seed and sizes twice
    const args = ["--functions", "60", "--accounts", "4", "--seed", "same"];
    // When both runs write their snapshot
    const first = readTree(generate(args));
    const second = readTree(generate(args));
    // Then every file has the same path and the same bytes
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort());
    for (const [path, content] of first) expect(second.get(path), path).toBe(content);
  });

  it("writes a different organization for a different seed", () => {
    // Given two runs differing only in the seed
    const a = readTree(generate(["--functions", "60", "--accounts", "4", "--seed", "one"]));
    const b = readTree(generate(["--functions", "60", "--accounts", "4", "--seed", "two"]));
    // When the organization description is compared
    // Then the organizations differ (ids, accounts, functions)
    expect(b.get("organizations/list-accounts.json")).not.toBe(a.get("organizations/list-accounts.json"));
  });

  it("writes exactly the requested number of functions across all accounts and regions", () => {
    // Given a request for 47 functions in 3 accounts
    const tree = readTree(generate(["--functions", "47", "--accounts", "3", "--seed", "count"]));
    // When the functions of every list-functions.json are counted
    const lists = [...tree].filter(([path]) => path.endsWith("list-functions.json"));
    const total = lists.reduce((n, [, content]) => n + (JSON.parse(content) as { Functions: unknown[] }).Functions.length, 0);
    // Then there are 47, spread over the 3 accounts
    expect(total).toBe(47);
    expect(new Set(lists.map(([path]) => path.split("/")[1])).size).toBe(3);
  });

  it("writes no organizations folder for a single-account snapshot", () => {
    // Given one account
    const tree = readTree(generate(["--functions", "5", "--accounts", "1"]));
    // When the paths are listed
    // Then none is under organizations/
    expect([...tree.keys()].some((p) => p.startsWith("organizations"))).toBe(false);
  });

  it("rejects a non-numeric function count with a message naming the flag", () => {
    // Given --functions abc
    // When the arguments are parsed
    // Then the error names the flag and the bad value
    expect(() => parseGenArgs(["--functions", "abc", "--out", "x"])).toThrow(/--functions must be a whole number, got "abc"/);
  });

  it("refuses to write into a non-empty directory without --force", () => {
    // Given a directory that already holds a snapshot
    const out = generate(["--functions", "3", "--accounts", "1"]);
    // When generating into it again without --force
    // Then it refuses instead of mixing two organizations
    expect(() => writeGeneratedOrganization(parseGenArgs(["--functions", "3", "--out", out]))).toThrow(/not empty; pass --force/);
  });
});
