/**
 * axe-core inside the journeys: the page as the browser has it, checked against WCAG 2.x A/AA and
 * axe's best practices. The package works offline: its script is injected from node_modules.
 */
import { createRequire } from "node:module";
import { expect, test, type Page } from "@playwright/test";
import type { AxeResults, ImpactValue, Result } from "axe-core";

const AXE_SCRIPT = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** What blocks a user (axe's "critical" and "serious"); "moderate" and "minor" are reported, not failed. */
const BLOCKING: ImpactValue[] = ["critical", "serious"];

declare global {
  interface Window {
    axe?: { run: (context: Document, options: object) => Promise<AxeResults> };
  }
}

/** Every axe violation on the page as it is now (after the test's last action). */
export async function axeViolations(page: Page): Promise<Result[]> {
  if (!(await page.evaluate(() => typeof window.axe !== "undefined"))) await page.addScriptTag({ path: AXE_SCRIPT });
  const results = await page.evaluate(() => window.axe!.run(document, { resultTypes: ["violations"] }));
  return results.violations;
}

/** One line per violation: rule, impact, how many elements, and the first few of them. */
export function describeViolations(violations: Result[]): string[] {
  return violations.map((v) => {
    const targets = v.nodes.slice(0, 3).map((n) => n.target.join(" "));
    return `${v.impact ?? "?"} ${v.id} (${v.help}) ×${v.nodes.length}: ${targets.join(" | ")}${v.nodes.length > 3 ? " | …" : ""}`;
  });
}

/**
 * Fails the test on any critical or serious axe violation on the page, naming rule and elements.
 * All violations, whatever their impact, are attached to the test's report under `label`.
 */
export async function expectNoSeriousViolations(page: Page, label: string): Promise<void> {
  // axe weighs every element's colours: 12 s for the 7,000 elements of break-glass-ops on a loaded machine.
  // That time is the check's, not the journey's, so it does not eat the test's own budget.
  test.setTimeout(test.info().timeout + 60_000);
  const violations = await axeViolations(page);
  await test.info().attach(`axe: ${label}`, { body: JSON.stringify(violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })), null, 2), contentType: "application/json" });
  const blocking = violations.filter((v) => v.impact && BLOCKING.includes(v.impact));
  expect(describeViolations(blocking), `axe on ${label}: critical or serious violations`).toEqual([]);
}
