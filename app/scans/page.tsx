import Link from "next/link";
import { TopBar } from "@/components/top-bar";
import { env } from "@/lib/env";
import { listScans } from "@/lib/queries/scan-history";
import { Rescan } from "./_components/rescan";

export const dynamic = "force-dynamic";

const STATUS_CLASS: Record<string, string> = { succeeded: "sev-low", partial: "sev-medium", failed: "sev-critical", cancelled: "sev-info", running: "kind" };

export default async function ScansPage() {
  const scans = await listScans();
  const config = env();
  const running = scans.find((s) => s.status === "running") ?? null;
  const complete = scans.filter((s) => s.status === "succeeded" || s.status === "partial");
  const sourceLabel = config.SALTZER_SCAN_SOURCE === "snapshot" ? `snapshot ${config.snapshotDir}` : `AWS ${config.SALTZER_AWS_FLAGS || "(current account)"}`;
  return (
    <>
      <TopBar active="/scans" />
      <main className="page">
        <div className="page-head">
          <h1>Scans</h1>
          <span className="sub">
            Every scan is kept as it was; a failed or cancelled scan never changes an earlier one.
            {config.SALTZER_RESCAN_INTERVAL ? ` Rescans every ${config.SALTZER_RESCAN_INTERVAL} s.` : ""}
          </span>
        </div>
        <Rescan runningScanId={running?.id ?? null} sourceLabel={sourceLabel} />
        {complete.length >= 2 ? (
          <form className="filters" method="get" action="/scans/diff" aria-label="Compare scans">
            <ScanSelect name="from" label="From" scans={complete} defaultId={complete[1].id} />
            <ScanSelect name="to" label="To" scans={complete} defaultId={complete[0].id} />
            <button type="submit">Compare</button>
          </form>
        ) : null}
        <table className="data" aria-label="Scan history">
          <thead>
            <tr>
              <th>Scan</th>
              <th>Status</th>
              <th>Started (UTC)</th>
              <th>Source</th>
              <th className="num">Accounts</th>
              <th className="num">Functions</th>
              <th className="num">Findings</th>
              <th>Crawl</th>
              <th>Gaps / error</th>
            </tr>
          </thead>
          <tbody>
            {scans.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.status === "succeeded" || s.status === "partial" ? <Link href={`/?scan=${s.id}`}>#{s.id}</Link> : `#${s.id}`}
                </td>
                <td>
                  <span className={`badge ${STATUS_CLASS[s.status] ?? "kind"}`}>{s.status}</span>
                </td>
                <td>{s.startedAt.slice(0, 19).replace("T", " ")}</td>
                <td className="arn">
                  {s.sourceKind}: <bdi>{s.sourceLocation}</bdi>
                </td>
                <td className="num">{s.accountCount}</td>
                <td className="num">{s.functionCount}</td>
                <td className="num">{s.findingCount}</td>
                <td>
                  {s.crawlStats ? (
                    <details>
                      <summary>{s.crawlSummary}</summary>
                      <table className="data" aria-label={`API calls of scan ${s.id}`} tabIndex={0}>
                        <thead>
                          <tr>
                            <th>API</th>
                            <th className="num">Calls</th>
                            <th className="num">Retries</th>
                            <th className="num">Throttled</th>
                          </tr>
                        </thead>
                        <tbody>
                          {Object.entries(s.crawlStats.byApi).map(([api, c]) => (
                            <tr key={api}>
                              <td>
                                <code>{api}</code>
                              </td>
                              <td className="num">{c.apiCalls}</td>
                              <td className="num">{c.retries}</td>
                              <td className="num">{c.throttled}</td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </details>
                  ) : (
                    "—"
                  )}
                </td>
                <td>
                  {s.error ? (
                    <span className="error-text">
                      <bdi>{s.error}</bdi>
                    </span>
                  ) : null}
                  {s.gaps.length > 0 ? (
                    <details>
                      <summary>{s.gaps.length} coverage gaps</summary>
                      <ul className="plain">
                        {s.gaps.slice(0, 20).map((g, i) => (
                          <li key={i}>
                            <code>{[g.accountId, g.region, g.api].filter(Boolean).join(" · ")}</code> <bdi>{g.message}</bdi>
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </>
  );
}

function ScanSelect({ name, label, scans, defaultId }: { name: string; label: string; scans: { id: number; startedAt: string }[]; defaultId: number }) {
  return (
    <label>
      {label}
      <select name={name} defaultValue={defaultId} aria-label={`${label} scan`}>
        {scans.map((s) => (
          <option key={s.id} value={s.id}>
            #{s.id} · {s.startedAt.slice(0, 16).replace("T", " ")}
          </option>
        ))}
      </select>
    </label>
  );
}
