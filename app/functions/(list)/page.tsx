import Link from "next/link";
import { redirect } from "next/navigation";
import { NoScan } from "@/components/no-scan";
import { Pager } from "@/components/pager";
import { ExportLinks } from "@/components/export-links";
import { TopBar } from "@/components/top-bar";
import { FUNCTION_SORTS, listFunctions, type FunctionSort } from "@/lib/queries/functions";
import { resolveScan } from "@/lib/queries/scans";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";
import { describeViewFilter, parseViewFilter } from "@/lib/queries/view-filter";
import { FunctionFilters } from "../_components/function-filters";
import { FunctionTable } from "../_components/function-table";

export const dynamic = "force-dynamic";

export default async function FunctionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  // A form submitted without script (or an old link) may carry empty fields: the view's URL has none.
  if (Object.values(params).some((v) => v === "" || (Array.isArray(v) && v.includes("")))) redirect(hrefWith("/functions", params, {}));
  const scan = await resolveScan(one(params, "scan"));
  if (!scan) {
    return (
      <>
        <TopBar active="/functions" />
        <main className="page">
          <NoScan requested={one(params, "scan")} />
        </main>
      </>
    );
  }
  const sortParam = one(params, "sort");
  const sort: FunctionSort = (FUNCTION_SORTS as readonly string[]).includes(sortParam ?? "") ? (sortParam as FunctionSort) : "risk";
  const dirParam = one(params, "dir");
  const dir = dirParam === "asc" || dirParam === "desc" ? dirParam : sort === "risk" ? "desc" : "asc";
  const { filter, error } = parseViewFilter(Object.fromEntries(Object.keys(params).map((k) => [k, one(params, k)])));
  const list = await listFunctions({
    scanId: scan.id,
    filter,
    sort,
    dir,
    page: Number(one(params, "page") ?? 1) || 1,
    // Rows per page (10–200, clamped by the query); the pager and its page jump keep it.
    pageSize: Number(one(params, "size")) || undefined,
  });
  const described = describeViewFilter(filter);
  return (
    <>
      <TopBar active="/functions" />
      <main className="page">
        <div className="page-head">
          <h1>Functions</h1>
          <span className="sub">
            Scan #{scan.id} · {scan.functionCount.toLocaleString("en-US")} functions in {scan.accountCount} accounts
            {scan.status === "partial" ? ` · partial: ${scan.gapCount} coverage gaps` : ""}
          </span>
        </div>
        <FunctionFilters params={params} accounts={list.accounts} regions={list.regions} runtimes={list.runtimes} />
        {error ? <div className="panel warning" role="alert">Ignored invalid filter: {error}</div> : null}
        <ExportLinks filter={filter} scanId={scan.id} />
        <h2 className="list-head" data-testid="view-counts">
          {list.total.toLocaleString("en-US")} functions, {list.findingTotal.toLocaleString("en-US")} findings
          {described ? <span className="muted"> · {described}</span> : <span className="muted"> · all functions, unsuppressed findings</span>}
        </h2>
        {list.rows.length === 0 ? (
          <div className="panel empty">
            No function matches these filters. <Link href={hrefWith("/functions", {}, { scan: one(params, "scan") })}>Clear filters</Link>
          </div>
        ) : (
          <FunctionTable rows={list.rows} params={params} sort={sort} dir={dir} scanId={scan.id} />
        )}
        <Pager base="/functions" params={params} page={list.page} pageCount={list.pageCount} total={list.total} pageSize={list.pageSize} noun="functions" />
      </main>
    </>
  );
}
