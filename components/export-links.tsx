import { viewFilterToParams, type ViewFilter } from "@/lib/queries/view-filter";
import { hrefWith } from "@/lib/url-state";

const FORMATS = [
  { format: "sarif", label: "SARIF" },
  { format: "csv", label: "CSV" },
  { format: "html", label: "HTML" },
  { format: "json", label: "JSON" },
];

/** Download links carrying the view's parsed filter: the export applies the same filter as the list. */
export function ExportLinks({ filter, scanId }: { filter: ViewFilter; scanId: number }) {
  const keep = viewFilterToParams(filter);
  return (
    <div className="exports" aria-label="Export">
      <span className="muted">Export this view:</span>
      {FORMATS.map((f) => (
        <a key={f.format} className="button secondary small" href={hrefWith("/api/export", keep, { format: f.format, scan: scanId })} download>
          {f.label}
        </a>
      ))}
    </div>
  );
}
