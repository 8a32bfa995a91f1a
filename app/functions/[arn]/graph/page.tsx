import Link from "next/link";
import { notFound } from "next/navigation";
import { PermissionGraph } from "@/components/permission-graph/permission-graph";
import { TopBar } from "@/components/top-bar";
import { getFunctionGraph } from "@/lib/queries/permission-graph";
import { resolveScan } from "@/lib/queries/scans";
import { one, type SearchParams } from "@/lib/url-state";

export const dynamic = "force-dynamic";

const DEPTHS = [1, 2, 3] as const;

export default async function FunctionGraphPage({ params, searchParams }: { params: Promise<{ arn: string }>; searchParams: Promise<SearchParams> }) {
  const [{ arn }, query] = await Promise.all([params, searchParams]);
  const scan = await resolveScan(one(query, "scan"));
  if (!scan) notFound();
  const functionArn = decodeURIComponent(arn);
  const depth = Number(one(query, "depth") ?? 2);
  const graph = await getFunctionGraph(scan.id, functionArn, { depth });
  if (!graph) notFound();
  const base = `/functions/${encodeURIComponent(functionArn)}`;
  return (
    <>
      <TopBar active="/functions" />
      <main className="page pg-page">
        <div className="crumbs">
          <Link href={`/functions?scan=${scan.id}`}>Functions</Link> / <Link href={`${base}?scan=${scan.id}`}>{graph.function.name}</Link> / graph
        </div>
        <div className="page-head">
          <h1>
            Permission graph: <bdi>{graph.function.name}</bdi>
          </h1>
          {graph.function.severity ? <span className={`badge sev-${graph.function.severity}`}>{graph.function.severity}</span> : null}
          <Link href={`${base}?scan=${scan.id}`}>Back to function</Link>
          <nav className="pg-depth" aria-label="Depth">
            Depth:{" "}
            {DEPTHS.map((d) =>
              d === graph.depth ? (
                <strong key={d} aria-current="true">
                  {d}
                </strong>
              ) : (
                <Link key={d} href={`${base}/graph?scan=${scan.id}&depth=${d}`}>
                  {d}
                </Link>
              ),
            )}
          </nav>
        </div>
        <PermissionGraph graph={graph} scanId={scan.id} />
      </main>
    </>
  );
}
