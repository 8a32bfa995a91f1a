/**
 * What the graph page sends for the first view: the graph without its groups' members (they are
 * most of the bytes and load after the first view is on screen), the layout of what the first
 * view draws and where the view starts, computed on the server so the page arrives drawn: the
 * browser runs no script before the first view is on screen.
 */
import { EDGE_FILTERS, filterGraph, withoutMembers, type EdgeFilter, type GraphView } from "./graph-view-model";
import { densityFor, layoutGraph, layoutKey, readableViewport, type CanvasBox, type LayoutDensity, type Positioned } from "./layout";

/** The server's layout of the first view: both densities, since only the browser knows its canvas' width. */
export interface FirstViewLayout {
  key: string;
  positions: Record<LayoutDensity, [string, Positioned][]>;
}

export interface FirstView<V extends GraphView = GraphView> {
  /** The graph, groups without their members (`withoutMembers`). */
  graph: V;
  /** The layout of the first view: the graph filtered as the URL asks, no group expanded. */
  layout: FirstViewLayout;
  /** Where the server draws the first view: for the canvas the browser last reported, else a laptop's (`GUESSED_CANVAS`). */
  start: FirstViewStart;
}

/** The density and viewport the page is drawn with before its scripts run; the browser corrects both once it knows its canvas. */
export interface FirstViewStart {
  density: LayoutDensity;
  viewport: { x: number; y: number; zoom: number } | null;
}

/** The canvas of a 1440×900 window, for a browser that has not reported its own yet. */
export const GUESSED_CANVAS: CanvasBox = { width: 1060, height: 670, visibleHeight: 558 };

/** The cookie the graph page keeps its canvas' size in (`width,height,visibleHeight`), so the server draws the next first view for it. */
export const CANVAS_COOKIE = "saltzer-graph-canvas";

export function canvasCookieValue(box: CanvasBox): string {
  return [box.width, box.height, box.visibleHeight].map((n) => Math.round(n)).join(",");
}

/** The canvas a cookie names, or null when it is missing or not three sizes in pixels (a cookie is user input). */
export function parseCanvasCookie(value: string | undefined): CanvasBox | null {
  if (!value || !/^\d{1,5},\d{1,5},\d{1,5}$/.test(value)) return null;
  const [width, height, visibleHeight] = value.split(",").map(Number);
  return width > 0 && height > 0 ? { width, height, visibleHeight } : null;
}

/** The first view of a graph under the URL's filters (the same filters the client starts with). */
export function firstViewOf<V extends GraphView>(graph: V, initial: { kinds: EdgeFilter[] | null; category: string }, canvas: CanvasBox = GUESSED_CANVAS): FirstView<V> {
  const shown = withoutMembers(graph);
  const category = graph.categories.includes(initial.category) ? initial.category : null;
  const visible = filterGraph(shown, { filters: initial.kinds ?? EDGE_FILTERS, category });
  const positions = { wide: layoutGraph(visible.nodes, visible.edges, "wide"), narrow: layoutGraph(visible.nodes, visible.edges, "narrow") };
  const density = densityFor(canvas.width);
  return {
    graph: shown,
    layout: { key: layoutKey(visible), positions: { wide: [...positions.wide], narrow: [...positions.narrow] } },
    start: { density, viewport: readableViewport(positions[density], graph.rootId, canvas, visible.edges) },
  };
}
