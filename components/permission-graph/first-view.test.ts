import { describe, expect, it } from "vitest";
import { canvasCookieValue, firstViewOf, GUESSED_CANVAS, parseCanvasCookie } from "./first-view";
import type { GraphEdge, GraphNode, GraphView } from "./graph-view-model";

/** A function that can invoke `count` others: one wide fan-out, taller than any canvas. */
function fanOut(count: number): GraphView {
  const node = (id: string, extra: Partial<GraphNode> = {}): GraphNode => ({ id, type: "function", label: id, detail: null, categories: [], ...extra });
  const nodes = [node("root", { root: true }), ...Array.from({ length: count }, (_, i) => node(`f${i}`))];
  const edges: GraphEdge[] = Array.from({ length: count }, (_, i) => ({
    id: `e${i}`, source: "root", target: `f${i}`, kind: "can-invoke", via: null, reason: "invoke", shortReason: "invoke", conditional: false, categories: [],
  }));
  return { rootId: "root", nodes, edges, truncated: { hiddenNodes: 0 }, reach: { total: count, shown: count, depth: 1, maxHops: 1 }, categories: [] };
}

describe("the canvas cookie", () => {
  it("round-trips the canvas the browser measured", () => {
    expect(parseCanvasCookie(canvasCookieValue({ width: 1059.6, height: 670.2, visibleHeight: 558 }))).toEqual({ width: 1060, height: 670, visibleHeight: 558 });
  });

  it("ignores anything but three sizes in pixels: the server then draws for a laptop's canvas", () => {
    for (const value of [undefined, "", "1060,670", "1060,670,558,1", "-1,670,558", "0,670,558", "1e9,670,558", "999999,670,558", "a,b,c", "1060, 670, 558", "1060,670,558<script>"]) {
      expect(parseCanvasCookie(value), String(value)).toBeNull();
    }
  });
});

describe("firstViewOf", () => {
  it("starts a laptop's first view at a readable zoom with the function on the canvas", () => {
    const { start, layout } = firstViewOf(fanOut(40), { kinds: null, category: "" });
    expect(start.density).toBe("wide");
    expect(start.viewport!.zoom).toBeGreaterThanOrEqual(0.78);
    const root = new Map(layout.positions.wide).get("root")!;
    const left = start.viewport!.x + root.x * start.viewport!.zoom;
    const top = start.viewport!.y + root.y * start.viewport!.zoom;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left + root.width * start.viewport!.zoom).toBeLessThanOrEqual(GUESSED_CANVAS.width);
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top + root.height * start.viewport!.zoom).toBeLessThanOrEqual(GUESSED_CANVAS.visibleHeight);
  });

  it("draws a phone's first view in the narrow layout when the browser reported a narrow canvas", () => {
    const phone = { width: 362, height: 523, visibleHeight: 400 };
    const { start, layout } = firstViewOf(fanOut(40), { kinds: null, category: "" }, phone);
    expect(start.density).toBe("narrow");
    const root = new Map(layout.positions.narrow).get("root")!;
    const left = start.viewport!.x + root.x * start.viewport!.zoom;
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left + root.width * start.viewport!.zoom).toBeLessThanOrEqual(phone.width);
  });
});
