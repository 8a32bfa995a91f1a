import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_SIZE, readableViewport } from "./layout";

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

  it("draws slimmer nodes and closer columns in the narrow layout", () => {
    const nodes = [
      { id: "fn", type: "function" as const },
      { id: "role", type: "role" as const },
    ];
    const edges = [{ id: "a", source: "fn", target: "role" }];
    const wide = layoutGraph(nodes, edges);
    const narrow = layoutGraph(nodes, edges, "narrow");
    expect(narrow.get("fn")!.width).toBeLessThan(wide.get("fn")!.width);
    expect(narrow.get("role")!.x - narrow.get("fn")!.x).toBeLessThan(wide.get("role")!.x - wide.get("fn")!.x);
    expect(narrow.get("role")!.x).toBeGreaterThan(narrow.get("fn")!.x + narrow.get("fn")!.width);
  });
});

describe("readableViewport", () => {
  // Given a function reaching a role and a group, the role reaching four policies, each with a statement
  const nodes = [
    { id: "fn", type: "function" as const },
    { id: "role", type: "role" as const },
    { id: "group", type: "group" as const },
    ...Array.from({ length: 4 }, (_, i) => ({ id: `p${i}`, type: "policy" as const })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `s${i}`, type: "statement" as const })),
  ];
  const edges = [
    { id: "a", source: "fn", target: "role" },
    { id: "b", source: "fn", target: "group" },
    ...Array.from({ length: 4 }, (_, i) => ({ id: `p${i}`, source: "role", target: `p${i}` })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `s${i}`, source: `p${i}`, target: `s${i}` })),
  ];
  const onScreen = (p: { x: number; y: number; width: number; height: number }, v: { x: number; y: number; zoom: number }) => ({
    left: v.x + p.x * v.zoom,
    right: v.x + (p.x + p.width) * v.zoom,
    top: v.y + p.y * v.zoom,
    bottom: v.y + (p.y + p.height) * v.zoom,
  });

  it("on a phone's canvas, places the function and every node one edge from it inside the width", () => {
    // When placed on a 362 × 523 canvas (a 390-px phone)
    const pos = layoutGraph(nodes, edges, "narrow");
    const box = { width: 362, height: 523, visibleHeight: 340 };
    const v = readableViewport(pos, "fn", box, edges)!;
    // Then the function, the role and the group are wholly inside the canvas, at a zoom where names stay readable
    for (const id of ["fn", "role", "group"]) {
      const r = onScreen(pos.get(id)!, v);
      expect(r.left).toBeGreaterThanOrEqual(0);
      expect(r.right).toBeLessThanOrEqual(box.width);
      expect(r.top).toBeGreaterThanOrEqual(0);
      expect(r.bottom).toBeLessThanOrEqual(box.visibleHeight);
    }
    expect(v.zoom).toBeGreaterThanOrEqual(0.7);
  });

  it("on a desktop canvas, starts at the function at the readable zoom", () => {
    const pos = layoutGraph(nodes, edges);
    const v = readableViewport(pos, "fn", { width: 500 * 2, height: 300, visibleHeight: 300 }, edges)!;
    expect(v.zoom).toBe(0.85);
    expect(onScreen(pos.get("fn")!, v).left).toBe(24);
  });
});
