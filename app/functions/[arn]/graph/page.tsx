import Link from "next/link";
import { cookies } from "next/headers";
import { notFound } from "next/navigation";
import { parseEdgeFilter, type EdgeFilter } from "@/components/permission-graph/graph-view-model";
import { CANVAS_COOKIE, firstViewOf, parseCanvasCookie } from "@/components/permission-graph/first-view";
import { PermissionGraph, type GraphUrlState } from "@/components/permission-graph/permission-graph";
import { TopBar } from "@/components/top-bar";
import { functionGraphIn } from "@/lib/queries/permission-graph";
import { getDb } from "@/lib/server/db";
import { resolveScan } from "@/lib/queries/scans";
import { one, type SearchParams } from "@/lib/url-state";

export const dynamic = "force-dynamic";

export default async function FunctionGraphPage({ params, searchParams }: { params: Promise<{ arn: string }>; searchParams: Promise<SearchParams> }) {
  const [{ arn }, query, jar] = await Promise.all([params, searchParams, cookies()]);
  const scan = await resolveScan(one(query, "scan"));
  if (!scan) notFound();
  const functionArn = decodeURIComponent(arn);
  const depthParam = one(query, "depth");
  const graph = await functionGraphIn(await getDb(), scan.id, functionArn, { depth: depthParam === undefined ? undefined : Number(depthParam) });
  if (!graph) notFound();
  const initial = urlState(query);
  // Drawn on the server for the canvas this browser reported last time (a laptop's the first time).
  const first = firstViewOf(graph, initial, parseCanvasCookie(jar.get(CANVAS_COOKIE)?.value) ?? undefined);
  const base = `/functions/${encodeURIComponent(functionArn)}`;
  return (
    <>
      <TopBar active="/functions" />
      <main className="page pg-page">
        <div className="crumbs">
          <Link href={`/functions?scan=${scan.id}`} prefetch={false}>
            Functions
          </Link>{" "}
          /{" "}
          <Link href={`${base}?scan=${scan.id}`} prefetch={false}>
            {graph.function.name}
          </Link>{" "}
          / graph
        </div>
        <div className="page-head">
          <h1>
            Permission graph: <bdi>{graph.function.name}</bdi>
          </h1>
          {graph.function.severity ? <span className={`badge sev-${graph.function.severity}`}>{graph.function.severity}</span> : null}
          <Link href={`${base}?scan=${scan.id}`} prefetch={false}>
            Back to function
          </Link>
        </div>
        <p className="muted pg-reach-line" data-testid="graph-reach">
          Reaches {graph.reach.total.toLocaleString("en-US")} other function{graph.reach.total === 1 ? "" : "s"}
          {graph.reach.total > 0 ? `, ${graph.reach.shown.toLocaleString("en-US")} within ${graph.reach.depth} move${graph.reach.depth === 1 ? "" : "s"} drawn here` : ""} — the same list as the
          function page&apos;s &ldquo;Functions it reaches&rdquo;.
        </p>
        {/* Keyed by depth: a new depth is a new graph, drawn from its own first view (client state starts over). */}
        <PermissionGraph key={`${functionArn}#${graph.reach.depth}`} graph={first.graph} layout={first.layout} start={first.start} scanId={scan.id} functionArn={functionArn} functionName={graph.function.name} initial={initial} />
      </main>
    </>
  );
}

/** The client filters kept in the URL: `kind` (comma-separated, `none` for no kind), `category`, `q`. */
function urlState(query: SearchParams): GraphUrlState {
  const kind = one(query, "kind");
  let kinds: EdgeFilter[] | null = null;
  if (kind === "none") kinds = [];
  else if (kind) {
    const parsed = kind.split(",").map(parseEdgeFilter).filter((f): f is EdgeFilter => f !== null);
    kinds = parsed.length ? [...new Set(parsed)] : null;
  }
  return { kinds, category: one(query, "category") ?? "", q: one(query, "q") ?? "" };
}
