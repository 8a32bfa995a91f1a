"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { formatTimeLeft } from "@/lib/jobs/scan-progress-meter";
import type { ScanProgressDetail } from "@/lib/queries/scan-progress";
import { cancelScanAction, startRescanAction, type RescanState } from "../actions";

interface ProgressEvent {
  scanId: number | null;
  status: string;
  phase?: string | null;
  progress?: ScanProgressDetail | null;
  error?: string | null;
  functionCount?: number;
  gaps?: number;
}

const n = (x: number) => x.toLocaleString("en-US");

/** "accounts 3/3 read · functions 1,200/10,000 analysed · rows 4,000/60,000 stored": what has been done, in a user's units. */
function countsLine(c: NonNullable<ScanProgressDetail["counts"]>): string {
  return [
    c.accountsTotal ? `accounts ${n(c.accountsRead)}/${n(c.accountsTotal)} read` : null,
    c.functionsTotal ? `functions ${n(c.functionsAnalysed)}/${n(c.functionsTotal)} analysed` : null,
    c.rowsTotal ? `rows ${n(c.rowsStored)}/${n(c.rowsTotal)} stored` : null,
  ]
    .filter(Boolean)
    .join(" · ");
}

/** Start a rescan and follow it live (server-sent events) until it lands. */
export function Rescan({ runningScanId, sourceLabel }: { runningScanId: number | null; sourceLabel: string }) {
  const router = useRouter();
  const [state, start, pending] = useActionState<RescanState, FormData>(startRescanAction, {});
  const watching = state.scanId ?? runningScanId;
  const [event, setEvent] = useState<ProgressEvent | null>(null);

  useEffect(() => {
    if (!watching) return;
    const source = new EventSource(`/api/scans/events?scan=${watching}`);
    source.onmessage = (message) => {
      const data = JSON.parse(message.data) as ProgressEvent;
      setEvent(data);
      if (data.status !== "running") {
        source.close();
        router.refresh();
      }
    };
    source.onerror = () => source.close();
    return () => source.close();
  }, [watching, router]);

  const running = event ? event.status === "running" : watching !== null && watching === runningScanId;
  const p = event?.progress ?? null;
  const percent = Math.floor((p?.overall ?? 0) * 100);
  const timeLeft = formatTimeLeft(p?.etaSeconds ?? null);
  return (
    <section className="panel" aria-labelledby="rescan-h">
      <h2 id="rescan-h">Rescan</h2>
      <div className="rescan-row">
        <form action={start}>
          <button type="submit" disabled={pending || running}>
            {running ? "Scan running…" : pending ? "Starting…" : "Start a rescan"}
          </button>{" "}
          <label className="muted" title="Without it, accounts whose inputs did not change keep their stored analysis">
            <input type="checkbox" name="full" disabled={pending || running} /> Recompute every account
          </label>
        </form>
        <span className="muted">Source: {sourceLabel}</span>
        {running && watching ? (
          <form action={cancelScanAction}>
            <input type="hidden" name="scanId" value={watching} />
            <button type="submit" className="secondary">
              Cancel
            </button>
          </form>
        ) : null}
      </div>
      {state.error ? (
        <p className="error-box" role="alert">
          {state.error}
        </p>
      ) : null}
      {event && event.scanId ? (
        <div className="progress" role="status" aria-label="Scan progress" data-status={event.status}>
          <div>
            Scan #{event.scanId}: <strong>{event.status === "running" ? event.phase : event.status}</strong>
            {p && event.status === "running" ? (
              <span className="muted">
                {" "}
                · {percent} %{timeLeft ? ` · ${timeLeft}` : ""}
                {p.message ? (
                  <>
                    {" "}
                    · <bdi>{p.message}</bdi>
                  </>
                ) : null}
              </span>
            ) : null}
          </div>
          {event.status === "running" ? (
            <>
              <div className="progress-bar" role="progressbar" aria-label="Overall scan progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-valuetext={`${percent} %${timeLeft ? `, ${timeLeft}` : ""}`}>
                <span style={{ width: `${percent}%` }} />
              </div>
              {p?.counts ? <p className="muted progress-counts">{countsLine(p.counts)}</p> : null}
            </>
          ) : null}
          {event.status === "succeeded" || event.status === "partial" ? (
            <p>
              Done: {event.functionCount} functions{event.gaps ? `, ${event.gaps} coverage gaps` : ""}. The pages now show scan #{event.scanId}.
            </p>
          ) : null}
          {event.error ? <p className="error-text">{event.error}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
