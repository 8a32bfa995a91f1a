import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, csvCell, toCsv } from "./csv-report";
import { jsonReport, reportFinding, reportFunction } from "./report-fixtures";

/** An independent RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += c;
  }
  if (field !== "" || row.length) row.push(field), rows.push(row);
  return rows;
}

const column = (name: (typeof CSV_COLUMNS)[number]) => CSV_COLUMNS.indexOf(name);

describe("toCsv", () => {
  it("writes the header row even when there are no findings", () => {
    // Given a report whose only function has no findings
    const report = jsonReport([reportFunction({ name: "idle" })]);
    // When it is exported
    const rows = parseCsv(toCsv(report));
    // Then there is exactly the header row
    expect(rows).toEqual([[...CSV_COLUMNS]]);
  });

  it("writes one row per finding, across functions", () => {
    // Given two functions with three findings between them
    const report = jsonReport([
      reportFunction({ name: "a", findings: [reportFinding(), reportFinding({ fingerprint: "b".repeat(32) })] }),
      reportFunction({ name: "b", riskScore: 42, findings: [reportFinding()] }),
    ]);
    // When it is exported and read back
    const rows = parseCsv(toCsv(report)).slice(1);
    // Then there are three rows, each naming its function and carrying the function's risk score
    expect(rows.map((r) => r[column("function_name")])).toEqual(["a", "a", "b"]);
    expect(rows[2][column("function_risk_score")]).toBe("42");
    expect(rows[0][column("scan_id")]).toBe("7");
  });

  it("quotes commas, double quotes and line breaks so they read back unchanged", () => {
    // Given a finding whose reason holds a comma, quotes, a CRLF and an LF
    const reason = 'Policy "app", statement #0\r\nallows s3:*\non *.';
    const report = jsonReport([reportFunction({ name: "a", findings: [reportFinding({ reason })] })]);
    // When it is exported and read back
    const rows = parseCsv(toCsv(report));
    // Then the row count is unaffected and the reason is intact
    expect(rows).toHaveLength(2);
    expect(rows[1][column("reason")]).toBe(reason);
  });

  it("prefixes cells that a spreadsheet would run as a formula with an apostrophe", () => {
    // Given values starting with = + - @ and one that merely contains =
    // When each is written as a cell
    const cells = ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "a=b"].map(csvCell);
    // Then only the leading-formula ones are guarded
    expect(cells).toEqual(["'=HYPERLINK(1)", "'+1", "'-2", "'@SUM(A1)", "a=b"]);
  });

  it("names statements as `policy #index (Sid)` and joins lists with semicolons", () => {
    // Given a finding from two statements, one without a Sid
    const finding = reportFinding({
      statements: [
        { kind: "inline", policyName: "app", policyArn: null, statementIndex: 0, sid: "AllowS3" },
        { kind: "customer-managed", policyName: "shared", policyArn: "arn:aws:iam::222222222222:policy/shared", statementIndex: 3, sid: null },
      ],
    });
    // When it is exported
    const row = parseCsv(toCsv(jsonReport([reportFunction({ name: "a", findings: [finding] })])))[1];
    // Then statements and actions are readable lists
    expect(row[column("statements")]).toBe("app #0 (AllowS3); shared #3");
    expect(row[column("actions")]).toBe("s3:getobject; s3:putobject");
  });

  it("round-trips any reason text apart from the formula guard", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (reason) => {
        // Given a finding with an arbitrary reason
        const report = jsonReport([reportFunction({ name: "a", findings: [reportFinding({ reason })] })]);
        // When it is exported and read back
        const rows = parseCsv(toCsv(report));
        // Then there is one data row and the reason is the original, guarded if it looks like a formula
        expect(rows).toHaveLength(2);
        expect(rows[1][column("reason")]).toBe(/^[=+\-@\t\r]/.test(reason) ? `'${reason}` : reason);
      }),
    );
  });
});
