import { describe, expect, it } from "vitest";
import { inChromium, pageWidth, staysRightOf, VIEWPORT } from "@/test/layout-in-chromium";
import { toHtml } from "./html-report";
import { jsonReport, reportFinding, reportFunction } from "./report-fixtures";

describe("HTML report layout (in Chromium)", () => {
  it("a U+202E function name reverses only itself, and a 20,000-character name wraps inside the page", async () => {
    // Given a public function whose name starts with RIGHT-TO-LEFT OVERRIDE, and one with a very long name
    const report = jsonReport([
      reportFunction({ name: "\u202Eevil-fn", isPublic: true, riskScore: 90, severity: "critical", findings: [reportFinding({ reason: "policy \u202Eevil grants s3:*" })] }),
      reportFunction({ name: "n".repeat(20_000), riskScore: 10, severity: "low" }),
    ]);
    // When the report is laid out in a browser
    const html = toHtml(report);
    const seen = await inChromium(html, async (page) => ({
      tagAfterName: await staysRightOf(page, "table.functions tbody tr:first-child td", "evil-fn", ".tag"),
      badgeAfterHeading: await staysRightOf(page, "section.fn h3", "evil-fn", ".badge"),
      width: await pageWidth(page),
    }));
    // Then the "public" tag and the severity badge keep their place after the name, and the page is no wider than the window
    expect(seen.tagAfterName).toBe(true);
    expect(seen.badgeAfterHeading).toBe(true);
    expect(seen.width).toBeLessThanOrEqual(VIEWPORT.width);
  });

  it("isolates every snapshot name and reason in <bdi>", () => {
    // Given names and a reason with bidi controls
    const report = jsonReport([reportFunction({ name: "a\u202Eb", findings: [reportFinding({ reason: "r\u2067s", title: "t\u202Du" })] })]);
    report.scan.gaps = [{ accountId: "222222222222", region: "us-east-1", api: "lambda:GetPolicy", file: null, message: "g\u202Eh" }];
    // When the report is rendered
    const html = toHtml(report);
    // Then each sits in its own <bdi>
    for (const text of ["a\u202Eb", "r\u2067s", "t\u202Du"]) expect(html).toContain(`<bdi>${text}</bdi>`);
    expect(html).toMatch(/<bdi>[^<]*g\u202Eh<\/bdi>/);
  });
});
