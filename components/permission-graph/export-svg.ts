/**
 * The drawn graph as one standalone SVG document (for "Export SVG" and, rasterised, "Export PNG"):
 * built from the same nodes, edges, positions and colours the canvas uses, not scraped from the
 * DOM, so the file is complete whatever part of the canvas is on screen. Pure: no DOM needed.
 */
import type { GraphEdge, GraphNode } from "./graph-view-model";
import { EDGE_STYLE, edgeStyleOf, NODE_STYLE, nodeKindWords } from "./graph-style";
import type { Positioned } from "./layout";

const MARGIN = 24;

/** Escapes text for an SVG/XML text node or attribute value. */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/** Cuts at a word boundary when possible and marks the cut (the full text is in the node's <title>). */
function fit(text: string, chars: number): string {
  if (text.length <= chars) return text;
  const cut = text.slice(0, chars - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > chars * 0.6 ? cut.slice(0, space) : cut}…`;
}

export function graphToSvg(input: { title: string; nodes: readonly GraphNode[]; edges: readonly GraphEdge[]; positions: ReadonlyMap<string, Positioned> }): string {
  const { nodes, edges, positions } = input;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const n of nodes) {
    const p = positions.get(n.id);
    if (!p) continue;
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + p.width);
    maxY = Math.max(maxY, p.y + p.height);
  }
  if (!Number.isFinite(minX)) [minX, minY, maxX, maxY] = [0, 0, 200, 100];
  const width = Math.ceil(maxX - minX + 2 * MARGIN);
  const height = Math.ceil(maxY - minY + 2 * MARGIN + 28);
  const dx = MARGIN - minX;
  const dy = MARGIN + 28 - minY;
  const n2 = (v: number) => Math.round(v * 10) / 10;

  const markers = Object.entries(EDGE_STYLE)
    .map(([key, s]) => `<marker id="arrow-${key}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${s.colour}"/></marker>`)
    .join("");

  const edgeParts: string[] = [];
  for (const e of edges) {
    const s = positions.get(e.source);
    const t = positions.get(e.target);
    if (!s || !t) continue;
    const style = edgeStyleOf(e);
    const x1 = s.x + s.width + dx;
    const y1 = s.y + s.height / 2 + dy;
    const x2 = t.x + dx;
    const y2 = t.y + t.height / 2 + dy;
    const bend = Math.max(30, Math.abs(x2 - x1) / 2);
    edgeParts.push(
      `<path d="M${n2(x1)},${n2(y1)} C${n2(x1 + bend)},${n2(y1)} ${n2(x2 - bend)},${n2(y2)} ${n2(x2)},${n2(y2)}" fill="none" stroke="${style.colour}" stroke-width="1.5"${e.conditional ? ' stroke-dasharray="5 4"' : ""} marker-end="url(#arrow-${style.key})"><title>${xmlEscape(e.reason)}</title></path>`,
    );
  }

  const nodeParts: string[] = [];
  for (const n of nodes) {
    const p = positions.get(n.id);
    if (!p) continue;
    const look = NODE_STYLE[n.type];
    const x = p.x + dx;
    const y = p.y + dy;
    const chars = Math.floor((p.width - 16) / 7);
    const sub = n.type === "statement" ? (n.actions ?? []).slice(0, 3).join(", ") : (n.detail && n.detail !== n.label ? n.detail : "");
    nodeParts.push(
      `<g><title>${xmlEscape([n.label, n.detail].filter(Boolean).join("\n"))}</title>` +
        `<rect x="${n2(x)}" y="${n2(y)}" width="${p.width}" height="${p.height}" rx="8" fill="${look.fill}" stroke="${n.root ? "#1d4ed8" : look.stroke}" stroke-width="${n.root ? 3 : 1.5}"${n.type === "group" || n.type === "event-source" ? ' stroke-dasharray="5 3"' : ""}/>` +
        `<text x="${n2(x + 9)}" y="${n2(y + 15)}" font-size="10" fill="#52606d">${xmlEscape(fit(nodeKindWords(n), chars + 4))}</text>` +
        `<text x="${n2(x + 9)}" y="${n2(y + 32)}" font-size="13" font-weight="600" fill="#14213d">${xmlEscape(fit(n.label, chars))}</text>` +
        (sub ? `<text x="${n2(x + 9)}" y="${n2(y + 47)}" font-size="10" fill="#52606d" font-family="ui-monospace, monospace">${xmlEscape(fit(sub, chars + 4))}</text>` : "") +
        `</g>`,
    );
  }

  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif">` +
    `<title>${xmlEscape(input.title)}</title>` +
    `<defs>${markers}</defs>` +
    `<rect width="100%" height="100%" fill="#ffffff"/>` +
    `<text x="${MARGIN}" y="${MARGIN + 4}" font-size="15" font-weight="600" fill="#14213d">${xmlEscape(input.title)}</text>` +
    `<g>${edgeParts.join("")}</g>` +
    `<g>${nodeParts.join("")}</g>` +
    `</svg>\n`
  );
}
