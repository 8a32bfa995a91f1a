import Link from "next/link";
import { NoScan } from "@/components/no-scan";
import { Pager } from "@/components/pager";
import { SeverityBadge } from "@/components/severity-badge";
import { TopBar } from "@/components/top-bar";
import { RoleLink } from "@/components/role-link";
import { listRoles } from "@/lib/queries/roles";
import { resolveScan } from "@/lib/queries/scans";
import { one, type SearchParams } from "@/lib/url-state";

export const dynamic = "force-dynamic";

export default async function RolesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const scan = await resolveScan(one(params, "scan"));
  if (!scan) {
    return (
      <>
        <TopBar active="/roles" />
        <main className="page">
          <NoScan requested={one(params, "scan")} />
        </main>
      </>
    );
  }
  const list = await listRoles(scan.id, { q: one(params, "q"), sharedOnly: one(params, "shared") === "yes", page: Number(one(params, "page") ?? 1) || 1 });
  return (
    <>
      <TopBar active="/roles" />
      <main className="page">
        <div className="page-head">
          <h1>Execution roles</h1>
          <span className="sub">Roles that run functions in scan #{scan.id}; shared roles first: one compromised function holds the others&apos; permissions.</span>
        </div>
        <form className="filters" method="get" action="/roles" role="search">
          <input type="hidden" name="scan" value={scan.id} />
          <label>
            Search
            <input type="search" name="q" defaultValue={one(params, "q") ?? ""} placeholder="role name or ARN" aria-label="Search roles" />
          </label>
          <label>
            Sharing
            <select name="shared" defaultValue={one(params, "shared") ?? ""} aria-label="Sharing">
              <option value="">All roles</option>
              <option value="yes">Shared by several functions</option>
            </select>
          </label>
          <button type="submit">Apply</button>
        </form>
        {list.rows.length === 0 ? <div className="panel empty">No role matches.</div> : null}
        {list.rows.length > 0 ? (
          <table className="data" aria-label="Roles">
            <thead>
              <tr>
                <th>Worst risk</th>
                <th>Role</th>
                <th>Account</th>
                <th className="num">Policies</th>
                <th>Functions</th>
              </tr>
            </thead>
            <tbody>
              {list.rows.map((r) => (
                <tr key={r.arn} className={r.functionCount > 1 ? "shared-row" : undefined}>
                  <td>
                    <SeverityBadge severity={r.worstSeverity} score={r.worstScore} />
                  </td>
                  <td>
                    <strong>
                      <RoleLink arn={r.arn} name={r.name} scanId={scan.id} />
                    </strong> {r.functionCount > 1 ? <span className="badge shared">shared by {r.functionCount}</span> : null}{" "}
                    {r.hasBoundary ? <span className="badge kind">boundary</span> : null}
                    <div className="arn">{r.arn}</div>
                  </td>
                  <td>
                    <bdi>{r.accountId}</bdi>
                  </td>
                  <td className="num">{r.policyCount}</td>
                  <td>
                    {r.functions.slice(0, 6).map((f, i) => (
                      <span key={f.arn}>
                        {i > 0 ? ", " : ""}
                        <Link href={`/functions/${encodeURIComponent(f.arn)}?scan=${scan.id}`}>{f.name}</Link>
                      </span>
                    ))}
                    {r.functions.length > 6 ? <span className="muted"> +{r.functions.length - 6} more</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        <Pager base="/roles" params={params} page={list.page} pageCount={list.pageCount} total={list.total} pageSize={list.pageSize} noun="roles" />
      </main>
    </>
  );
}
