/** Small text helpers shared by the CSV, SARIF and HTML exports. */
import type { StatementRef } from "@/lib/analysis/types";

/** `policy #index (Sid)`, as a reviewer would name the statement. */
export function statementLabel(s: StatementRef): string {
  return `${s.policyName} #${s.statementIndex}${s.sid ? ` (${s.sid})` : ""}`;
}

/** One line for a coverage gap (`[account/region] api: message`); gaps are `unknown` in the report. */
export function describeGap(gap: unknown): string {
  if (gap && typeof gap === "object" && "message" in gap) {
    const g = gap as { accountId?: string | null; region?: string | null; api?: string; message: unknown };
    const where = [g.accountId, g.region].filter(Boolean).join("/");
    return `${where ? `[${where}] ` : ""}${g.api ? `${g.api}: ` : ""}${String(g.message)}`;
  }
  return JSON.stringify(gap);
}
