import Link from "next/link";
import "@/components/registers.css";
import { SeverityBadge } from "@/components/severity-badge";
import { TopBar } from "@/components/top-bar";
import { resolveScan } from "@/lib/queries/scans";
import { suppressionRegister } from "@/lib/queries/suppression-register";
import { getDb } from "@/lib/server/db";
import { hrefWith, one, type SearchParams } from "@/lib/url-state";
import { UnsuppressButton } from "./_components/unsuppress-button";

export const dynamic = "force-dynamic";

const STATUS_FILTERS = [
  { value: undefined, label: "All" },
  { value: "active", label: "Active" },
  { value: "expired", label: "Expired" },
] as const;

export default async function SuppressionsPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = await searchParams;
  const scan = await resolveScan(one(params, "scan"));
  const register = await suppressionRegister(await getDb(), scan?.id ?? null);
  const status = one(params, "status");
  const shown = register.entries.filter((e) => !status || e.status === status);
  const keep = scan ? { scan: String(scan.id) } : {};
  return (
    <>
      <TopBar active="/suppressions" />
      <main className="page register-page">
        <div className="page-head">
          <h1>Suppressions</h1>
          <span className="sub">
            {register.activeCount} active, {register.expiredCount} expired. Every finding someone chose to accept, with why, who and until when
            {scan ? <> (findings as scan #{scan.id} saw them)</> : null}.
          </span>
        </div>
        <div className="exports" aria-label="Export the register">
          <span className="muted">Export the register:</span>
          <a className="button secondary small" href={hrefWith("/api/suppressions", keep, { format: "csv" })} download>
            CSV
          </a>
          <a className="button secondary small" href={hrefWith("/api/suppressions", keep, { format: "json" })} download>
            JSON
          </a>
        </div>
        <nav className="status-filters" aria-label="Suppression status">
          {STATUS_FILTERS.map((f) => (
            <Link key={f.label} href={hrefWith("/suppressions", keep, { status: f.value })} aria-current={status === f.value ? "page" : undefined} className={status === f.value ? "button small" : "button secondary small"}>
              {f.label}
            </Link>
          ))}
        </nav>
        <p className="muted">
          Suppressions made on a function page, with <code>saltzer suppress</code>, or kept in a suppressions file (<code>--suppressions FILE</code>, applied by the CLI run that
          reads it and listed by <code>saltzer suppressions</code> only) follow the finding across scans by its fingerprint. An expired one no longer hides its finding.
        </p>
        {shown.length === 0 ? (
          <div className="panel empty">{register.entries.length === 0 ? "No suppressions: every finding is shown." : `No ${status} suppressions.`}</div>
        ) : (
          <table className="data stacked" aria-label="Suppression register">
            <thead>
              <tr>
                <th>Status</th>
                <th>Function</th>
                <th>Finding</th>
                <th>Reason</th>
                <th>Made by</th>
                <th>When</th>
                <th>Expires</th>
                <th>
                  <span className="visually-hidden">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((e) => (
                <tr key={e.fingerprint} data-fingerprint={e.fingerprint} data-status={e.status} className={e.status === "expired" ? "expired-row" : undefined}>
                  <td data-label="Status" className="nowrap">{e.status === "expired" ? <span className="badge expired">expired</span> : <span className="badge active">active</span>}</td>
                  <td data-label="Function">
                    {e.functionArn && e.finding && scan ? (
                      <Link href={`/functions/${encodeURIComponent(e.functionArn)}?scan=${scan.id}`}>
                        <bdi>{e.functionName}</bdi>
                      </Link>
                    ) : (
                      <bdi>{e.functionName ?? "unknown function"}</bdi>
                    )}
                    {e.accountId ? (
                      <div className="muted">
                        <bdi>{e.accountId}</bdi> · <span className="nowrap">{e.region}</span>
                      </div>
                    ) : null}
                  </td>
                  <td data-label="Finding">
                    {e.finding ? (
                      <>
                        <SeverityBadge severity={e.finding.severity} /> <bdi>{e.finding.title}</bdi>
                      </>
                    ) : (
                      <span className="muted">not in {scan ? `scan #${scan.id}` : "any scan"}</span>
                    )}
                    <div>
                      <code>{e.ruleId ?? "rule unknown"}</code>
                    </div>
                  </td>
                  <td data-label="Reason">
                    <bdi>{e.reason}</bdi>
                  </td>
                  <td data-label="Made by" className="nowrap" title={e.createdBy}>{e.madeBy}</td>
                  <td data-label="When" className="nowrap">{e.createdAt ? <time dateTime={e.createdAt}>{e.createdAt.slice(0, 16).replace("T", " ")} UTC</time> : "—"}</td>
                  <td data-label="Expires" className="nowrap">{e.expiresAt ? <time dateTime={e.expiresAt}>{e.expiresAt.slice(0, 10)}</time> : "never"}</td>
                  <td>
                    <UnsuppressButton fingerprint={e.fingerprint} label={`${e.ruleId ?? "finding"} on ${e.functionName ?? "unknown function"}`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </main>
    </>
  );
}
