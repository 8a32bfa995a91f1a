import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSnapshotDir } from "@/lib/snapshot/read-snapshot-dir";
import { analyzeSnapshot } from "@/lib/audit/analyze-snapshot";
import { analyseToRows } from "./analyse-to-rows";

const NOW = "2026-11-01T00:00:00.000Z";

describe("analyseToRows", () => {
  it("hands every graph edge to the writer before the first function's rows, the same edges in the same order", async () => {
    // Given the sample organization
    const snapshot = await readSnapshotDir(path.resolve(import.meta.dirname, "../../samples/acme"));
    const expected = (await analyzeSnapshot(snapshot, { now: NOW })).edges;
    // When its analysis streams into a writer that records what it receives
    const received: ("rows" | "edges")[] = [];
    const edgeRows: unknown[] = [];
    await analyseToRows(1, snapshot, { now: NOW }, {
      rows: () => void received.push("rows"),
      edges: (batches) => {
        received.push("edges");
        for (const b of batches) edgeRows.push(...JSON.parse(new TextDecoder().decode(b.bytes)));
      },
    });
    // Then the edges come first (the analysis keeps none of them while it analyses the functions)
    expect(received.indexOf("rows")).toBeGreaterThan(received.lastIndexOf("edges"));
    // And they are the graph's edges, in its order
    expect(edgeRows.map((r) => (r as { from_node: string; to_node: string; kind: string }))).toEqual(
      expected.map((e) => expect.objectContaining({ from_node: e.from, to_node: e.to, kind: e.kind })),
    );
  });
});
