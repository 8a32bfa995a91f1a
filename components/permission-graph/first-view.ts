/**
 * What the graph page sends for the first view: the graph without its groups' members (they are
 * most of the bytes and load after the first view is on screen) and the layout of what the first
 * view draws, computed on the server so the browser runs no layout before it can draw.
 */
import { EDGE_FILTERS, filterGraph, withoutMembers, type EdgeFilter, type GraphView } from "./graph-view-model";
import { layoutGraph, layoutKey, type LayoutDensity, type Positioned } from "./layout";

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
}

/** The first view of a graph under the URL's filters (the same filters the client starts with). */
export function firstViewOf<V extends GraphView>(graph: V, initial: { kinds: EdgeFilter[] | null; category: string }): FirstView<V> {
  const shown = withoutMembers(graph);
  const category = graph.categories.includes(initial.category) ? initial.category : null;
  const visible = filterGraph(shown, { filters: initial.kinds ?? EDGE_FILTERS, category });
  return {
    graph: shown,
    layout: {
      key: layoutKey(visible),
      positions: { wide: [...layoutGraph(visible.nodes, visible.edges, "wide")], narrow: [...layoutGraph(visible.nodes, visible.edges, "narrow")] },
    },
  };
}
