"use client";

import { useRouter } from "next/navigation";
import { useActionState, useEffect, useState } from "react";
import { cancelScanAction, startRescanAction, type RescanState } from "../actions";

interface ProgressEvent {
  scanId: number | null;
  status: string;
  phase?: string | null;
  progress?: { accountsDone?: number; accountsTotal?: number; functions?: number; fraction?: number; message?: string } | null;
  error?: string | null;
  functionCount?: number;
  gaps?: number;
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
  const percent = Math.round((p?.fraction ?? 0) * 100);
  return (
    <section className="panel" aria-labelledby="rescan-h">
      <h2 id="rescan-h">Rescan</h2>
      <div className="rescan-row">
        <form action={start}>
          <button type="submit" disabled={pending || running}>
            {running ? "Scan running…" : pending ? "Starting…" : "Start a rescan"}
          </button>
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
                · accounts {p.accountsDone ?? 0}/{p.accountsTotal ?? "?"} · functions {p.functions ?? 0} · <bdi>{p.message}</bdi>
              </span>
            ) : null}
          </div>
          {event.status === "running" ? (
            <div className="progress-bar">
              <span style={{ width: `${percent}%` }} />
            </div>
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
