/**
 * CSV export: one row per finding (RFC 4180: CRLF line ends, fields quoted when they hold a
 * comma, quote or line break). A header row is always written, even with no findings.
 */
import { reportEntry, type JsonReport, type ReportEntry, type ReportHead } from "./build-json-report";
import { writeAll, type ReportWriter } from "./report-writer";
import { statementLabel } from "./report-text";

export const CSV_COLUMNS = [
  "scan_id",
  "account_id",
  "region",
  "function_name",
  "function_arn",
  "role_arn",
  "rule_id",
  "category",
  "severity",
  "title",
  "reason",
  "actions",
  "resources",
  "statements",
  "suppressed",
  "fingerprint",
  "function_risk_score",
  "function_severity",
  "function_incomplete",
] as const;

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return) as a formula;
 * a leading apostrophe makes it text. https://owasp.org/www-community/attacks/CSV_Injection
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** CSV in parts (lib/report/report-writer.ts): the header, then each function's findings. */
export function csvWriter(head: ReportHead, entries: readonly ReportEntry[]): ReportWriter {
  const line = (row: string[]) => `${row.map(csvCell).join(",")}\r\n`;
  return {
    parts: "findings",
    order: entries,
    begin: () => line([...CSV_COLUMNS]),
    write(fn) {
      let out = "";
      for (const f of fn.findings) {
        out += line([
          String(head.scan.id),
          fn.accountId,
          fn.region,
          fn.name,
          fn.arn,
          fn.roleArn,
          f.ruleId,
          f.category,
          f.severity,
          f.title,
          f.reason,
          f.actions.join("; "),
          f.resources.join("; "),
          f.statements.map(statementLabel).join("; "),
          String(f.suppressed),
          f.fingerprint,
          fn.riskScore === null ? "" : String(fn.riskScore),
          fn.severity ?? "",
          // What the scan could not read for this function: "api (reason); …", empty when complete.
          fn.incomplete.map((i) => `${i.api} (${i.reason})`).join("; "),
        ]);
      }
      return out;
    },
    end: () => "",
  };
}

export function toCsv(report: JsonReport): string {
  const entries = report.functions.map(reportEntry);
  return writeAll(csvWriter(report, entries), entries, report.functions);
}
