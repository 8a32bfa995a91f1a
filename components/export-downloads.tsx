"use client";
/**
 * The export links with a visible state: a whole organization's export takes seconds, so the
 * link says "preparing…" until the first bytes arrive, then "downloading… 12.3 MB", then saves
 * the file. Without JavaScript the links are plain downloads.
 */
import { useState, type MouseEvent } from "react";

interface ExportLink {
  format: string;
  label: string;
  href: string;
}

type State =
  | { label: string; phase: "preparing"; bytes: number }
  | { label: string; phase: "downloading"; bytes: number }
  | { label: string; phase: "done"; bytes: number }
  | { label: string; phase: "failed"; error: string }
  | null;

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;

/** `attachment; filename="saltzer-scan-3.csv"` → `saltzer-scan-3.csv`. */
function fileName(disposition: string | null, fallback: string): string {
  return /filename="([^"]+)"/.exec(disposition ?? "")?.[1] ?? fallback;
}

export function ExportDownloads({ links }: { links: ExportLink[] }) {
  const [state, setState] = useState<State>(null);
  const busy = state !== null && (state.phase === "preparing" || state.phase === "downloading");

  async function download(event: MouseEvent<HTMLAnchorElement>, link: ExportLink) {
    // Modified clicks (new tab, save as) keep the browser's own behaviour.
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
    event.preventDefault();
    if (busy) return;
    setState({ label: link.label, phase: "preparing", bytes: 0 });
    try {
      const res = await fetch(link.href);
      if (!res.ok || !res.body) {
        const text = await res.text();
        let message = text;
        try {
          message = (JSON.parse(text) as { error?: string }).error ?? text;
        } catch {
          // Not JSON: show the text as it came.
        }
        throw new Error(`${res.status} ${message}`.trim());
      }
      const reader = res.body.getReader();
      const chunks: Uint8Array<ArrayBuffer>[] = [];
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value as Uint8Array<ArrayBuffer>);
        bytes += value.byteLength;
        setState({ label: link.label, phase: "downloading", bytes });
      }
      const url = URL.createObjectURL(new Blob(chunks, { type: res.headers.get("Content-Type") ?? "application/octet-stream" }));
      const a = document.createElement("a");
      a.href = url;
      a.download = fileName(res.headers.get("Content-Disposition"), `saltzer.${link.format}`);
      document.body.appendChild(a);
      a.click();
      a.remove();
      // Give the browser time to start saving before the object URL goes.
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
      setState({ label: link.label, phase: "done", bytes });
    } catch (error) {
      setState({ label: link.label, phase: "failed", error: (error as Error).message });
    }
  }

  return (
    <div className="exports" aria-label="Export">
      <span className="muted">Export this view:</span>
      {links.map((link) => (
        <a
          key={link.format}
          className="button secondary small"
          href={link.href}
          download
          aria-disabled={busy ? true : undefined}
          onClick={(event) => void download(event, link)}
        >
          {link.label}
        </a>
      ))}
      <span className="muted export-state" role="status" aria-live="polite" data-phase={state?.phase ?? "idle"}>
        {state === null
          ? null
          : state.phase === "preparing"
            ? `Preparing ${state.label}…`
            : state.phase === "downloading"
              ? `Downloading ${state.label}… ${mb(state.bytes)}`
              : state.phase === "done"
                ? `${state.label} downloaded (${mb(state.bytes)})`
                : `${state.label} export failed: ${state.error}`}
      </span>
    </div>
  );
}
