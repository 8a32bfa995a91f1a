/** `saltzer suppress`, `unsuppress` and `suppressions`: suppressions as code, beside the dashboard's. */
import type { ScanView, ViewFunction } from "@/lib/queries/scan-view";
import type { SuppressionEntry } from "@/lib/queries/suppressions";

/** The one function a name or ARN names in a scan; an ambiguous name is an error listing the ARNs. */
export function resolveFunction(view: ScanView, nameOrArn: string): ViewFunction {
  const byArn = view.functions.find((f) => f.arn === nameOrArn);
  if (byArn) return byArn;
  const named = view.functions.filter((f) => f.name === nameOrArn);
  if (named.length === 1) return named[0];
  if (named.length === 0) throw new Error(`No function "${nameOrArn}" in scan ${view.scanId}.`);
  throw new Error(`"${nameOrArn}" names ${named.length} functions; give the ARN:\n${named.map((f) => `  ${f.arn}`).join("\n")}`);
}

/** The expiry of `--expires YYYY-MM-DD`: through the end of that day (UTC); it must be in the future. */
export function parseExpiry(value: unknown, now = new Date()): Date | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new Error(`--expires needs a date YYYY-MM-DD (got "${String(value)}").`);
  const date = new Date(`${value}T23:59:59.000Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`--expires ${value} is not a date.`);
  if (date.getTime() <= now.getTime()) throw new Error(`--expires ${value} is not in the future.`);
  return date;
}

export function suppressionStatus(e: SuppressionEntry, now = new Date()): "active" | "expired" {
  return e.expiresAt !== null && new Date(e.expiresAt).getTime() <= now.getTime() ? "expired" : "active";
}

export function formatSuppressions(entries: SuppressionEntry[], json: boolean, now = new Date()): string {
  const rows = entries.map((e) => ({
    status: suppressionStatus(e, now),
    function: e.functionArn ?? e.functionName,
    rule: e.ruleId,
    fingerprint: e.fingerprint,
    reason: e.reason,
    expiresAt: e.expiresAt,
    createdBy: e.createdBy,
    createdAt: e.createdAt,
    source: e.source,
  }));
  if (json) return `${JSON.stringify(rows, null, 2)}\n`;
  if (rows.length === 0) return "No suppressions.\n";
  const lines = rows.map(
    (r) =>
      `${r.status === "expired" ? "EXPIRED" : "active "} ${r.function ?? "(any function)"}  ${r.rule ?? ""}  ${r.fingerprint ?? ""}\n` +
      `        ${r.reason} (by ${r.createdBy}${r.createdAt ? ` on ${r.createdAt.slice(0, 10)}` : ""}${r.expiresAt ? `, ${r.status === "expired" ? "expired" : "until"} ${r.expiresAt.slice(0, 10)}` : ""})`,
  );
  return `${lines.join("\n")}\n`;
}
