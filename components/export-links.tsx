import { hrefWith, type SearchParams } from "@/lib/url-state";

const FORMATS = [
  { format: "sarif", label: "SARIF" },
  { format: "csv", label: "CSV" },
  { format: "html", label: "HTML" },
  { format: "json", label: "JSON" },
];

/** Download links carrying the current filters (the export applies them, as the list does). */
export function ExportLinks({ params, scanId }: { params: SearchParams; scanId: number }) {
  const keep = Object.fromEntries(Object.entries(params).filter(([k]) => !["sort", "dir", "page"].includes(k)));
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
