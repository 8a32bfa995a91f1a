import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { diffLines, unifiedDiff } from "./text-diff";

const labels = { from: "a", to: "b" };

describe("unifiedDiff", () => {
  test("prints only the headers for equal texts", () => {
    // Given two equal texts
    // When they are diffed
    const diff = unifiedDiff("x\ny\n", "x\ny\n", labels);

    // Then there is no hunk
    expect(diff).toBe("--- a\n+++ b\n");
  });

  test("prints one hunk with context around a changed line", () => {
    // Given texts differing in their fifth of nine lines
    const from = ["1", "2", "3", "4", "5", "6", "7", "8", "9"].join("\n");
    const to = from.replace("5", "five");

    // When they are diffed
    const diff = unifiedDiff(from, to, labels);

    // Then one hunk shows three lines of context either side
    expect(diff).toBe("--- a\n+++ b\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  });

  test("splits changes further apart than twice the context into two hunks", () => {
    // Given texts differing in their first and last of twenty lines
    const lines = Array.from({ length: 20 }, (_, i) => `${i + 1}`);
    const to = [...lines];
    to[0] = "one";
    to[19] = "twenty";

    // When they are diffed
    const diff = unifiedDiff(lines.join("\n"), to.join("\n"), labels);

    // Then there are two hunks
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain("@@ -1,4 +1,4 @@\n-1\n+one\n");
    expect(diff).toContain("@@ -17,4 +17,4 @@\n 17\n 18\n 19\n-20\n+twenty\n");
  });

  test("numbers an insertion into an empty text from line 0", () => {
    // Given an empty text and a two-line text
    // When they are diffed
    const diff = unifiedDiff("", "a\nb\n", labels);

    // Then the hunk header says nothing was there before
    expect(diff).toBe("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+a\n+b\n");
  });
});

describe("diffLines", () => {
  test("keeps the longest common subsequence", () => {
    // Given two sequences sharing a, c, d
    // When they are diffed
    const script = diffLines(["a", "b", "c", "d"], ["a", "c", "x", "d"]);

    // Then exactly one line is removed and one added
    expect(script).toEqual([
      { op: " ", text: "a" },
      { op: "-", text: "b" },
      { op: " ", text: "c" },
      { op: "+", text: "x" },
      { op: " ", text: "d" },
    ]);
  });

  test("rebuilds both sides from the edit script", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b", "c", "d")), fc.array(fc.constantFrom("a", "b", "c", "d")), (a, b) => {
        // Given any two line sequences
        // When they are diffed
        const script = diffLines(a, b);

        // Then dropping additions gives the first, dropping removals the second
        expect(script.filter((l) => l.op !== "+").map((l) => l.text)).toEqual(a);
        expect(script.filter((l) => l.op !== "-").map((l) => l.text)).toEqual(b);
      }),
    );
  });
});
