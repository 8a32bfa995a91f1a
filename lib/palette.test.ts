import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { jsonReport, reportFinding, reportFunction } from "@/lib/report/report-fixtures";
import { toHtml } from "@/lib/report/html-report";
import { PALETTE, paletteCss } from "./palette";

const GLOBALS = fs.readFileSync(path.resolve(import.meta.dirname, "../app/globals.css"), "utf8");

describe("one palette for the dashboard and the HTML report", () => {
  it("gives the HTML report the dashboard's colours, badges drawn the same way", () => {
    // Given a report with a high finding
    const html = toHtml(jsonReport([reportFunction({ name: "fn", severity: "high", findings: [reportFinding({ severity: "high" })] })]));
    // Then its stylesheet defines the palette's colours and draws badges with them as the dashboard does
    expect(html).toContain(paletteCss());
    expect(html).toMatch(/\.sev-high \{ background: var\(--high-soft\); color: var\(--high\); \}/);
    expect(GLOBALS).toMatch(/\.badge\.sev-high \{ background: var\(--high-soft\); color: var\(--high\); \}/);
    // And no other severity colour is written into the report
    for (const old of ["#7f1d1d", "#1d4ed8", "#4b5563"]) expect(html).not.toContain(old);
  });

  it("keeps the colours in one place: the dashboard's stylesheet does not define them again", () => {
    for (const name of Object.keys(PALETTE)) expect(GLOBALS).not.toMatch(new RegExp(`--${name}:\\s*#`));
  });
});
