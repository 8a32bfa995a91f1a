import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { inChromium } from "@/test/layout-in-chromium";

const CSS = fs.readFileSync(path.resolve(import.meta.dirname, "../../../globals.css"), "utf8");

describe("blast-radius table layout (in Chromium, with the dashboard's stylesheet)", () => {
  it("keeps each service name on one line while long resource ARNs beside it wrap", async () => {
    // Given the panel's table markup (as blast-radius-panel.tsx renders it) crowded by long ARNs
    const arn = "arn:aws:dynamodb:us-east-1:222222222222:table/" + "orders-archive-".repeat(12);
    const rows = ["dynamodb", "secretsmanager", "elasticloadbalancing"]
      .map((s) => `<tr><td class="service"><code>${s}</code></td><td class="num">1</td><td class="num">12</td><td class="num">3</td><td class="num">·</td><td class="num">·</td><td class="arn"><span><bdi>${arn}</bdi></span></td></tr>`)
      .join("");
    const table = `<table class="data compact"><thead><tr><th>Service</th><th class="num">List</th><th class="num">Read</th><th class="num">Write</th><th class="num">Permissions management</th><th class="num">Tagging</th><th>Resources</th></tr></thead><tbody>${rows}</tbody></table>`;
    const page = `<!doctype html><html><head><meta charset="utf-8"><style>${CSS}</style></head><body><main class="page" style="max-width:700px">${table}</main></body></html>`;
    // When it is laid out
    const lines = await inChromium(page, (p) =>
      p.$$eval("td.service code", (codes) => codes.map((c) => ({ text: c.textContent, lines: Math.round(c.getBoundingClientRect().height / parseFloat(getComputedStyle(c).lineHeight || "16")) }))),
    );
    // Then no service name is split mid-word
    for (const l of lines) expect(l, l.text ?? "").toMatchObject({ lines: 1 });
  });
});
