import Link from "next/link";
import { NoScan } from "@/components/no-scan";
import { RoleLink } from "@/components/role-link";
import { SeverityBadge } from "@/components/severity-badge";
import { TopBar } from "@/components/top-bar";
import { SEVERITIES } from "@/lib/analysis/types";
import { getOverview } from "@/lib/queries/overview";
import { diffScans, previousScanId } from "@/lib/queries/scan-diff";
import { resolveScan } from "@/lib/queries/scans";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";
import { TrendChart } from "../_components/trend-chart";

export const dynamic = "force-dynamic";

const TOP_ACCOUNTS = 10;

export default async function OverviewPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const scan = await resolveScan(one(params, "scan"));
  if (!scan) {
    return (
      <>
        <TopBar active="/" />
        <main className="page">
          <NoScan requested={one(params, "scan")} />
        </main>
      </>
    );
  }
  const [overview, previous] = await Promise.all([getOverview(scan.id), previousScanId(scan.id)]);
  const changes = previous ? await diffScans(previous, scan.id) : null;
  const q = `scan=${scan.id}`;
  const total = scan.functionCount || 1;
  // At 100 accounts the full table made the overview 5,757 px tall: the worst accounts first, the rest on request.
  const allAccounts = one(params, "accounts") === "all";
  const shownAccounts = allAccounts ? overview.byAccount : overview.byAccount.slice(0, TOP_ACCOUNTS);
  return (
    <>
      <TopBar active="/" />
      <main className="page">
        <div className="page-head">
          <h1>Overview</h1>
          <span className="sub">
            Scan #{scan.id} of {new Date(scan.startedAt).toUTCString().replace(" GMT", " UTC")} · {scan.functionCount.toLocaleString("en-US")} functions in {scan.accountCount} accounts ·{" "}
            {scan.status}
          </span>
        </div>
        <div className="cards">
          {SEVERITIES.map((s, i) => {
            // Cumulative, as the link's filter is "s or worse": the card counts what it opens.
            const n = SEVERITIES.slice(0, i + 1).reduce((sum, x) => sum + overview.bySeverity[x], 0);
            return (
              <Link key={s} className={`card sev-card sev-${s}`} href={`/functions?${q}&severity=${s}`}>
                <span className="card-num">{n.toLocaleString("en-US")}</span>
                <span className="card-label">{s === "critical" ? "critical functions" : `functions ${s} or worse`}</span>
                <span className="bar" style={{ width: `${Math.max(2, (n / total) * 100)}%` }} />
              </Link>
            );
          })}
        </div>
        {overview.incomplete > 0 ? (
          <p className="panel notice-panel" data-testid="incomplete-notice">
            <Link href={`/functions?${q}&incomplete=yes`}>{overview.incomplete.toLocaleString("en-US")} functions have incomplete data</Link>: the scan could not read some of their inputs, so
            their verdicts may miss what those reads would show.
          </p>
        ) : null}
        {overview.gaps.length > 0 ? (
          <section className="panel notice-panel" aria-labelledby="gaps-h">
            <h2 id="gaps-h">Coverage gaps ({overview.gaps.length}): this scan could not read everything</h2>
            <ul className="plain">
              {overview.gaps.slice(0, 10).map((g, i) => (
                <li key={i}>
                  <code>{[g.accountId, g.region, g.api].filter(Boolean).join(" · ")}</code> <bdi>{g.message}</bdi>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        <div className="grid-2">
          <section className="panel" aria-labelledby="top-h">
            <h2 id="top-h">Ten riskiest functions</h2>
            <table className="data compact" aria-label="Riskiest functions">
              <tbody>
                {overview.riskiest.map((f) => (
                  <tr key={f.arn}>
                    <td>
                      <SeverityBadge severity={f.severity} score={f.riskScore} />
                    </td>
                    <td>
                      <Link className="fn-name" href={`/functions/${encodeURIComponent(f.arn)}?${q}`}>
                        {f.name}
                      </Link>{" "}
                      {f.isPublic ? <span className="badge public">public</span> : null}
                      <div className="arn">
                        <bdi>{f.accountId}</bdi> · <bdi>{f.region}</bdi> · role <RoleLink arn={f.roleArn} scanId={scan.id} />
                      </div>
                    </td>
                    <td className="num">{f.findingCount} finding{f.findingCount === 1 ? "" : "s"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
          <section className="panel" aria-labelledby="cat-h">
            <h2 id="cat-h">Findings by category</h2>
            {overview.categories.length === 0 ? <p className="muted">No findings.</p> : null}
            <ul className="plain bars">
              {overview.categories.map((c) => (
                <li key={c.category}>
                  <Link href={`/functions?${q}&category=${c.category}`}>{c.category}</Link>
                  <span className="muted">
                    {" "}
                    {c.findings} in {c.functions} functions
                  </span>
                  <span className="bar" style={{ width: `${Math.max(2, (c.functions / total) * 100)}%` }} />
                </li>
              ))}
            </ul>
            {overview.suppressed > 0 ? (
              <p className="muted">
                <Link href={`/functions?${q}&suppressed=only`}>{overview.suppressed} suppressed findings</Link> are not counted.
              </p>
            ) : null}
          </section>
        </div>
        <div className="grid-2">
          <section className="panel" aria-labelledby="acct-h">
            <h2 id="acct-h">Functions by account</h2>
            <table className="data compact" aria-label="Functions by account">
              <thead>
                <tr>
                  <th>Account</th>
                  {SEVERITIES.map((s) => (
                    <th key={s} className="num">
                      {s}
                    </th>
                  ))}
                  <th className="num">total</th>
                </tr>
              </thead>
              <tbody>
                {shownAccounts.map((a) => (
                  <tr key={a.accountId}>
                    <td>
                      <Link href={`/functions?${q}&account=${a.accountId}`}>{a.name ?? a.accountId}</Link>
                      <div className="arn">{a.accountId}</div>
                    </td>
                    {SEVERITIES.map((s) => (
                      <td key={s} className={`num${a.counts[s] && (s === "critical" || s === "high") ? " hot" : ""}`}>
                        {a.counts[s] || "·"}
                      </td>
                    ))}
                    <td className="num">{a.functions}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {overview.byAccount.length > TOP_ACCOUNTS ? (
              <p className="muted">
                {allAccounts ? `All ${overview.byAccount.length} accounts, worst first. ` : `The ${TOP_ACCOUNTS} accounts with the most high-risk functions of ${overview.byAccount.length}. `}
                <Link href={`${hrefWith("/", params, { accounts: allAccounts ? undefined : "all" })}#acct-h`}>{allAccounts ? `Show the top ${TOP_ACCOUNTS}` : `Show all ${overview.byAccount.length} accounts`}</Link>
              </p>
            ) : null}
          </section>
          <section className="panel" aria-labelledby="trend-h">
            <h2 id="trend-h">Trend over the last scans</h2>
            <TrendChart points={overview.trend} />
            {changes ? (
              <div className="changes">
                <h3>
                  Since scan #{changes.from}{" "}
                  <Link href={`/scans/diff?from=${changes.from}&to=${changes.to}`} className="small-link">
                    full diff
                  </Link>
                </h3>
                <ul className="plain">
                  <li>
                    {changes.totals.newFindings} new findings, {changes.totals.changedFindings} changed, {changes.totals.resolvedFindings} resolved
                    {changes.totals.unseenFindings ? `, ${changes.totals.unseenFindings} no longer seen (incomplete data)` : ""}
                  </li>
                  <li>
                    risk rose for {changes.totals.riskRose} functions, fell for {changes.totals.riskFell}
                  </li>
                  <li>
                    {changes.totals.newPublic} new public functions{changes.totals.becameIncomplete ? `, ${changes.totals.becameIncomplete} became incomplete` : ""}
                  </li>
                </ul>
              </div>
            ) : (
              <p className="muted">This is the first scan: changes show from the next one.</p>
            )}
          </section>
        </div>
      </main>
    </>
  );
}
