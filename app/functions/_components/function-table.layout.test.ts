import fs from "node:fs";
import path from "node:path";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { FunctionRow } from "@/lib/queries/functions";
import { inChromium, pageWidth, staysRightOf, VIEWPORT } from "@/test/layout-in-chromium";
import { FunctionTable } from "./function-table";

const CSS = fs.readFileSync(path.resolve(import.meta.dirname, "../../globals.css"), "utf8");

function row(overrides: Partial<FunctionRow>): FunctionRow {
  return {
    arn: `arn:aws:lambda:us-east-1:222222222222:function:${overrides.name ?? "fn"}`,
    name: "fn",
    accountId: "222222222222",
    accountName: "acme-prod",
    region: "us-east-1",
    runtime: "nodejs20.x",
    roleName: "fn-role",
    roleArn: "arn:aws:iam::222222222222:role/fn-role",
    policyCount: 1,
    isPublic: false,
    hasSecrets: false,
    sharedRole: false,
    riskScore: 40,
    severity: "medium",
    findingCount: 1,
    incomplete: [],
    worstFinding: null,
    ...overrides,
  };
}

describe("functions table layout with hostile names (in Chromium, with the dashboard's stylesheet)", () => {
  it("a U+202E name reverses only itself, and a 20,000-character name wraps inside the page", async () => {
    // Given a function whose name and role name start with RIGHT-TO-LEFT OVERRIDE, and one with a very long name
    const rows = [
      row({ name: "\u202Eevil-fn", roleName: "\u202Eevil-role", hasSecrets: true, sharedRole: true }),
      row({ name: "n".repeat(20_000), roleName: "r".repeat(20_000) }),
    ];
    const table = renderToStaticMarkup(createElement(FunctionTable, { rows, params: {}, sort: "risk", dir: "desc", scanId: 1 }));
    const page = `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><main class="page">${table}</main></body></html>`;
    // When the table is laid out in a browser
    const seen = await inChromium(page, async (p) => ({
      secretBadgeAfterName: await staysRightOf(p, "tbody tr:first-child td:nth-child(2)", "evil-fn", ".badge"),
      sharedBadgeAfterRole: await staysRightOf(p, "tbody tr:first-child td:nth-child(7)", "evil-role", ".badge"),
      width: await pageWidth(p),
    }));
    // Then the badges keep their place after the names, and the page is no wider than the window
    expect(seen.secretBadgeAfterName).toBe(true);
    expect(seen.sharedBadgeAfterRole).toBe(true);
    expect(seen.width).toBeLessThanOrEqual(VIEWPORT.width);
  });

  it("wraps words whole in a crowded table: only identifiers break inside", async () => {
    // Given rows whose long role names and titles crowd the table at desktop width
    const rows = Array.from({ length: 4 }, (_, i) =>
      row({
        name: `orders-api-${i}`,
        roleName: `orders-api-execution-role-with-a-long-descriptive-name-${i}`.repeat(2),
        runtime: "python3.12",
        worstFinding: { ruleId: "admin-equivalent-access", title: "Administrator-equivalent access through an attached policy", severity: "critical" },
      }),
    );
    const table = renderToStaticMarkup(createElement(FunctionTable, { rows, params: {}, sort: "risk", dir: "desc", scanId: 1 }));
    const page = `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><main class="page">${table}</main></body></html>`;
    // When it is laid out, each word of the "why" and runtime cells is measured
    const broken = await inChromium(page, (p) =>
      p.evaluate(() => {
        const out: string[] = [];
        for (const cell of document.querySelectorAll("td.why, tbody td:nth-child(6)")) {
          const text = cell.textContent ?? "";
          const node = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let n = node.nextNode(); n; n = node.nextNode()) {
            const value = n.textContent ?? "";
            for (const m of value.matchAll(/\S+/g)) {
              const range = document.createRange();
              range.setStart(n, m.index);
              range.setEnd(n, m.index + m[0].length);
              const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
              if (tops.size > 1) out.push(`${m[0]} (in "${text}")`);
            }
          }
        }
        return out;
      }),
    );
    // Then no word is split across lines
    expect(broken).toEqual([]);
  });
});
