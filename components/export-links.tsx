import { viewFilterToParams, type ViewFilter } from "@/lib/queries/view-filter";
import { hrefWith } from "@/lib/url-state";
import { ExportDownloads } from "./export-downloads";

const FORMATS = [
  { format: "sarif", label: "SARIF" },
  { format: "csv", label: "CSV" },
  { format: "html", label: "HTML" },
  { format: "json", label: "JSON" },
];

/** Download links carrying the view's parsed filter: the export applies the same filter as the list. */
export function ExportLinks({ filter, scanId }: { filter: ViewFilter; scanId: number }) {
  const keep = viewFilterToParams(filter);
  return <ExportDownloads links={FORMATS.map((f) => ({ ...f, href: hrefWith("/api/export", keep, { format: f.format, scan: scanId }) }))} />;
}
