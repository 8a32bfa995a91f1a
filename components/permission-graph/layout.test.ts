import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_SIZE } from "./layout";

describe("layoutGraph", () => {
  it("lays edges out left to right", () => {
    // Given function → role → resource
    const nodes = [
      { id: "fn", type: "function" as const },
      { id: "role", type: "role" as const },
      { id: "bucket", type: "resource" as const },
    ];
    const edges = [
      { id: "a", source: "fn", target: "role" },
      { id: "b", source: "role", target: "bucket" },
    ];
    // When laid out
    const pos = layoutGraph(nodes, edges);
    // Then each target sits to the right of its source
    expect(pos.get("role")!.x).toBeGreaterThan(pos.get("fn")!.x + NODE_SIZE.function.width);
    expect(pos.get("bucket")!.x).toBeGreaterThan(pos.get("role")!.x + NODE_SIZE.role.width);
  });

  it("gives every node a position and its type's size, without overlaps in a fan-out", () => {
    const nodes = [{ id: "fn", type: "function" as const }, ...Array.from({ length: 8 }, (_, i) => ({ id: `s${i}`, type: "statement" as const }))];
    const edges = Array.from({ length: 8 }, (_, i) => ({ id: `e${i}`, source: "fn", target: `s${i}` }));
    const pos = layoutGraph(nodes, edges);
    expect(pos.size).toBe(9);
    const ys = Array.from({ length: 8 }, (_, i) => pos.get(`s${i}`)!.y).sort((a, b) => a - b);
    for (let i = 1; i < ys.length; i++) expect(ys[i] - ys[i - 1]).toBeGreaterThanOrEqual(NODE_SIZE.statement.height);
    expect(pos.get("s0")).toMatchObject(NODE_SIZE.statement);
  });

  it("puts a wide fan-out of leaves in a grid to the right of its source, without overlaps", () => {
    // Given one role with 100 resource leaves
    const nodes = [{ id: "role", type: "role" as const }, ...Array.from({ length: 100 }, (_, i) => ({ id: `r${i}`, type: "resource" as const }))];
    const edges = Array.from({ length: 100 }, (_, i) => ({ id: `e${i}`, source: "role", target: `r${i}` }));
    // When laid out
    const pos = layoutGraph(nodes, edges);
    // Then the leaves span several columns, all right of the role, and no two overlap
    const leaves = Array.from({ length: 100 }, (_, i) => pos.get(`r${i}`)!);
    const columns = new Set(leaves.map((p) => p.x));
    expect(columns.size).toBeGreaterThan(3);
    const height = Math.max(...leaves.map((p) => p.y)) - Math.min(...leaves.map((p) => p.y));
    expect(height).toBeLessThan(100 * NODE_SIZE.resource.height);
    for (const p of leaves) expect(p.x).toBeGreaterThan(pos.get("role")!.x + NODE_SIZE.role.width);
    const keys = new Set(leaves.map((p) => `${p.x}|${p.y}`));
    expect(keys.size).toBe(100);
  });

  it("keeps parallel edges and ignores edges to missing nodes", () => {
    const nodes = [
      { id: "a", type: "function" as const },
      { id: "b", type: "function" as const },
    ];
    const edges = [
      { id: "1", source: "a", target: "b" },
      { id: "2", source: "a", target: "b" },
      { id: "3", source: "a", target: "ghost" },
    ];
    const pos = layoutGraph(nodes, edges);
    expect([...pos.keys()].sort()).toEqual(["a", "b"]);
  });

  it("lays out 600 nodes quickly", () => {
    const nodes = [{ id: "root", type: "function" as const }, ...Array.from({ length: 600 }, (_, i) => ({ id: `n${i}`, type: "resource" as const }))];
    const edges = Array.from({ length: 600 }, (_, i) => ({ id: `e${i}`, source: i < 20 ? "root" : `n${i % 20}`, target: `n${i}` }));
    const started = performance.now();
    const pos = layoutGraph(nodes, edges);
    expect(pos.size).toBe(601);
    expect(performance.now() - started).toBeLessThan(5000);
  });
});
