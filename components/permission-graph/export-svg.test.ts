import { describe, expect, it } from "vitest";
import { graphToSvg, xmlEscape } from "./export-svg";
import type { GraphEdge, GraphNode } from "./graph-view-model";
import { layoutGraph } from "./layout";

const fn = (name: string) => `arn:aws:lambda:us-east-1:111111111111:function:${name}`;

describe("graphToSvg", () => {
  it("draws every node and edge, with names escaped and reasons as titles", () => {
    // Given a function whose name a hostile snapshot chose, and an edge to another function
    const nodes: GraphNode[] = [
      { id: fn("api"), type: "function", label: 'api<script>alert("x")</script>&', detail: fn("api"), categories: [], root: true },
      { id: fn("worker"), type: "function", label: "worker", detail: fn("worker"), categories: [] },
    ];
    const edges: GraphEdge[] = [
      { id: "e0", source: fn("api"), target: fn("worker"), kind: "can-update-code", via: null, reason: "Role api-role may call lambda:UpdateFunctionCode on worker.", shortReason: "x", conditional: true, categories: [] },
    ];
    // When exported
    const svg = graphToSvg({ title: "Permission graph: api", nodes, edges, positions: layoutGraph(nodes, edges) });
    // Then it is one SVG document with both nodes, the edge dashed (conditional) and coloured by kind, and nothing unescaped
    expect(svg.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("api&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;");
    expect(svg).toContain(">worker</text>");
    expect(svg).toMatch(/<path d="M[^"]+" fill="none" stroke="#be185d" stroke-width="1.5" stroke-dasharray="5 4" marker-end="url\(#arrow-update\)"><title>Role api-role may call lambda:UpdateFunctionCode on worker.<\/title>/);
  });

  it("escapes every XML special character and drops control characters", () => {
    expect(xmlEscape(`a&b<c>d"e'f\u0007g`)).toBe("a&amp;b&lt;c&gt;d&quot;e&apos;fg");
  });
});
