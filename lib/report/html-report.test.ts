import { describe, expect, it } from "vitest";
import { RISK_FORMULA } from "@/lib/analysis/risk-score";
import { RULE_CATALOGUE } from "@/lib/rules/index";
import { escapeHtml, toHtml } from "./html-report";
import { jsonReport, reportFinding, reportFunction } from "./report-fixtures";

describe("toHtml", () => {
  it("escapes the five HTML-significant characters", () => {
    // Given text with & < > " '
    // When it is escaped
    const out = escapeHtml(`<a href="x" title='y'>&</a>`);
    // Then none of them survive raw
    expect(out).toBe("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("escapes report text, so a hostile name or reason cannot inject markup", () => {
    // Given a function and a finding whose text holds a script tag
    const report = jsonReport([reportFunction({ name: "<script>alert(1)</script>", findings: [reportFinding({ reason: `"><img src=x onerror=alert(1)>` })] })]);
    // When it is rendered
    const html = toHtml(report);
    // Then no script or image element is produced and the text is shown escaped
    expect(html).not.toMatch(/<script|<img/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("is self-contained: inline style only, nothing loaded from elsewhere", () => {
    // Given a report
    const html = toHtml(jsonReport([reportFunction({ name: "api", findings: [reportFinding()] })]));
    // When it is rendered
    // Then it has no external stylesheet, script, image, frame or CSS import, and a CSP forbids fetches
    expect(html).not.toMatch(/<link|<script|<img|<iframe|@import|url\(/i);
    expect(html).toContain(`default-src 'none'`);
    expect(html).toContain("@media print");
  });

  it("lists functions by risk in the table, highest first", () => {
    // Given three functions with different risk scores
    const report = jsonReport([
      reportFunction({ name: "low-fn", riskScore: 12, severity: "low" }),
      reportFunction({ name: "top-fn", riskScore: 80, severity: "critical" }),
      reportFunction({ name: "mid-fn", riskScore: 30, severity: "medium" }),
    ]);
    // When it is rendered
    const table = toHtml(report).split('<table class="functions">')[1].split("</table>")[0];
    // Then the table rows follow the risk order
    const order = ["top-fn", "mid-fn", "low-fn"].map((n) => table.indexOf(`>${n}<`));
    expect(order.every((pos, i) => pos > 0 && (i === 0 || pos > order[i - 1]))).toBe(true);
  });

  it("gives every function a details section, medium risk and above first", () => {
    // Given a critical-severity function with a lower score than a low-severity one
    const report = jsonReport([reportFunction({ name: "quiet-fn", riskScore: 40, severity: "low" }), reportFunction({ name: "loud-fn", riskScore: 35, severity: "critical" })]);
    // When it is rendered
    const details = toHtml(report).split('<section id="details">')[1];
    // Then both have a section and the critical one comes first
    expect(details.indexOf("<h3><bdi>loud-fn")).toBeGreaterThan(0);
    expect(details.indexOf("<h3><bdi>quiet-fn")).toBeGreaterThan(details.indexOf("<h3><bdi>loud-fn"));
  });

  it("shows each finding's remediation from the rule catalogue", () => {
    // Given a public-invoke finding
    const report = jsonReport([reportFunction({ name: "api", findings: [reportFinding({ ruleId: "public-invoke", category: "public-invoke" })] })]);
    const rule = RULE_CATALOGUE.find((r) => r.id === "public-invoke")!;
    // When it is rendered
    const details = toHtml(report).split('<section id="details">')[1].split('<section id="rules"')[0];
    // Then the rule's remediation is printed with the finding
    expect(details).toContain(escapeHtml(rule.remediation));
  });

  it("ends with the rule catalogue and the risk formula", () => {
    // Given an empty report
    // When it is rendered
    const html = toHtml(jsonReport([]));
    // Then every rule and the formula are in the appendix
    for (const r of RULE_CATALOGUE) expect(html).toContain(`id="rule-${r.id}"`);
    expect(html).toContain(escapeHtml(RISK_FORMULA));
  });

  it("says which filters the report was narrowed with", () => {
    // Given filters on severity and account
    // When the report is rendered with them
    const html = toHtml(jsonReport([]), { filters: { severity: "high", account: "222222222222" } });
    // Then they are printed in the scan metadata
    expect(html).toContain("account 222222222222, severity ≥ high");
  });
});
