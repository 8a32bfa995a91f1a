import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { SnapshotError } from "@/lib/snapshot/snapshot-error";
import type { CoverageGap } from "@/lib/snapshot/types";
import { FILES, malformedCases, writeBaseSnapshot, type MalformedCase } from "@/lib/snapshot/malformed-snapshot-cases";

/**
 * Issue 10 §6 acceptance: every malformed input ends in a named error (`file: $.path: reason`) or a
 * named coverage gap within a time limit — never a raw error, a hang or a silent success.
 */

const CASE_LIMIT_MS = 5_000;

type Outcome = "clean" | "crash" | "hang" | "silent";

let work: string;
let outside: string;
let baseGaps: CoverageGap[];

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), "saltzer-fuzz-"));
  outside = await mkdtemp(path.join(tmpdir(), "saltzer-fuzz-outside-"));
  const base = path.join(work, "base");
  await writeBaseSnapshot(base);
  baseGaps = (await readSnapshotDir(base)).gaps;
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

async function run(testCase: MalformedCase, index: number): Promise<{ outcome: Outcome; detail: string }> {
  const dir = path.join(work, `case-${index}`);
  await writeBaseSnapshot(dir);
  await testCase.mutate(dir);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), CASE_LIMIT_MS);
  });
  try {
    const result = await Promise.race([readSnapshotDir(dir).then((snapshot) => ({ snapshot })), timeout]);
    if (result === "timeout") return { outcome: "hang", detail: `no answer within ${CASE_LIMIT_MS} ms` };
    const known = new Set(baseGaps.map((g) => JSON.stringify(g)));
    const added = result.snapshot.gaps.filter((g) => !known.has(JSON.stringify(g)));
    if (testCase.expect === "gap" && added.some((g) => g.file === testCase.file)) return { outcome: "clean", detail: `gap: ${added[0].message}` };
    return { outcome: "silent", detail: added.length > 0 ? `gaps: ${added.map((g) => `${g.file}: ${g.message}`).join("; ")}` : "read without an error or a gap" };
  } catch (error) {
    if (!(error instanceof SnapshotError)) return { outcome: "crash", detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
    const named = error.file.startsWith(testCase.file) && error.message.startsWith(`${error.file}: `);
    const located = !testCase.jsonPath || error.jsonPath.startsWith("$");
    // A SnapshotError naming the wrong file, or none of the JSON path, is not the clear message asked for.
    if (testCase.expect !== "error" || !named || !located) return { outcome: "crash", detail: `misnamed: ${error.message.slice(0, 300)}` };
    return { outcome: "clean", detail: error.message.slice(0, 300) };
  } finally {
    clearTimeout(timer);
    await rm(dir, { recursive: true, force: true });
  }
}

describe("readSnapshotDir over malformed snapshots (fuzz)", () => {
  it("names the file (and JSON path) of every one of at least 200 malformed inputs over every file kind, within 5 s each", async () => {
    // Given a small valid snapshot holding every file kind, and one-change variants of it
    const cases = malformedCases(outside);
    expect(cases.length).toBeGreaterThanOrEqual(200);
    for (const rel of Object.values(FILES)) expect(cases.some((c) => c.file === rel), `no case for ${rel}`).toBe(true);

    // When each variant is read
    const results: { name: string; outcome: Outcome; detail: string }[] = [];
    for (const [i, testCase] of cases.entries()) results.push({ name: testCase.name, ...(await run(testCase, i)) });

    // Then each ends in a named error or gap: the table is printed for the note
    const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
    console.log(
      [
        "malformed snapshot inputs (issue 10 §6):",
        `  tried ${results.length} | clean ${count("clean")} | crash ${count("crash")} | hang ${count("hang")} | silent ${count("silent")}`,
        ...results.filter((r) => r.outcome !== "clean").map((r) => `  ${r.outcome}: ${r.name}: ${r.detail}`),
      ].join("\n"),
    );
    expect(results.filter((r) => r.outcome !== "clean")).toEqual([]);
  }, 600_000);
});
