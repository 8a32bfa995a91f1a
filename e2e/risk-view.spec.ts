/**
 * The risk view as auditors use it (issue 13), at desktop and phone sizes: why each function is
 * risky, text search over actions, page jumps, a header naming the filters, clean URLs; action
 * names in AWS's spelling; a missing scan named; the rescan bar moving before the end; and
 * screenshots of the overview, risk view, scans page and HTML report to look at.
 */
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

// Under a loaded machine a full-page screenshot of a long page takes long: screenshots get room.
test.describe.configure({ timeout: 150_000 });

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;
const shot = (name: string) => path.join("e2e", "screenshots", `risk-view-${name}.png`);

async function listHeader(page: Page) {
  return page.getByTestId("view-counts");
}

for (const vp of VIEWPORTS) {
  test.describe(`at ${vp.width}×${vp.height}`, () => {
    test.use({ viewport: { width: vp.width, height: vp.height } });

    test(`says why each function is risky (${vp.name})`, async ({ page }) => {
      // Given the risk view, riskiest first
      await page.goto("/functions");
      const table = page.getByRole("table", { name: "Functions" });
      await expect(table.getByRole("columnheader", { name: "Why" })).toBeVisible();
      // Then the riskiest function's row names its worst finding, not a placeholder
      const firstWhy = table.locator("tbody tr").first().locator("td.why");
      await expect(firstWhy).not.toHaveText(/^\s*$/);
      await expect(firstWhy).not.toHaveText("no finding");
      await page.screenshot({ path: shot(`list-${vp.name}`), fullPage: true });
      await expectNoSeriousViolations(page, `risk view with the why column (${vp.name})`);
    });

    test(`finds functions by an action, with a clean URL and a header naming the filter (${vp.name})`, async ({ page }) => {
      // Given the risk view
      await page.goto("/functions");
      // When the user searches an action and applies, leaving every other filter empty
      await page.getByLabel("Search functions").fill("s3:PutObject");
      await page.getByRole("button", { name: "Apply" }).click();
      // Then the URL holds only the search (no empty fields), the header says what is shown, and rows are listed
      await expect(page).toHaveURL(/\/functions\?q=s3%3APutObject$/);
      await expect(await listHeader(page)).toContainText("matching “s3:PutObject”");
      const rows = page.getByRole("table", { name: "Functions" }).locator("tbody tr");
      await expect(rows.first()).toBeVisible();
      // And a listed function's page names the action as AWS spells it
      const name = await rows.first().locator(".fn-name").innerText();
      await rows.first().locator(".fn-name").click();
      // (its own heading: the list's "Functions" heading stays on screen until the function page replaces it,
      // and folds counted before then would be the list's, leaving the function page's folds closed)
      await expect(page.getByRole("heading", { level: 1, name, exact: true })).toBeVisible();
      // (a rule's findings past its first 3 are folded: the user opens the folds to read them all)
      const folds = page.locator("main details > summary");
      for (let i = 0, n = await folds.count(); i < n; i++) {
        const fold = folds.nth(i);
        if (!(await fold.evaluate((summary) => (summary.parentElement as HTMLDetailsElement).open))) await fold.click();
      }
      await expect(page.getByText("s3:PutObject").first()).toBeVisible();
      expect(await page.locator("main").innerText()).not.toContain("s3:putobject");
      // And its findings link their documentation
      await expect(page.locator("a.doc-link").first()).toHaveAttribute("href", /^https:\/\/docs\.aws\.amazon\.com\//);
      await page.screenshot({ path: shot(`function-${vp.name}`) });
      await expectNoSeriousViolations(page, `function page found by an action (${vp.name})`);
    });

    test(`applies a select filter without writing empty fields (${vp.name})`, async ({ page }) => {
      await page.goto("/functions");
      await page.getByLabel("Severity", { exact: true }).selectOption("high");
      await page.getByRole("button", { name: "Apply" }).click();
      await expect(page).toHaveURL(/\/functions\?severity=high$/);
      await expect(await listHeader(page)).toContainText("severity ≥ high");
      // An old link with empty fields lands on the clean URL
      await page.goto("/functions?q=&account=&severity=high");
      await expect(page).toHaveURL(/\/functions\?severity=high$/);
    });

    test(`jumps to a page of a long list (${vp.name})`, async ({ page }) => {
      // Given the list at 10 rows per page (the sample's 48 functions make 5 pages)
      await page.goto("/functions?size=10");
      await expect(page.getByText("Page 1 of 5")).toBeVisible();
      // When the user jumps to page 4
      const jump = page.getByRole("form", { name: "Go to page" });
      await jump.getByRole("spinbutton").fill("4");
      await jump.getByRole("button", { name: "Go" }).click();
      // Then page 4 shows, the row size is kept, and no empty field is in the URL
      await expect(page.getByText("Page 4 of 5")).toBeVisible();
      await expect(page).toHaveURL(/size=10/);
      await expect(page).toHaveURL(/page=4/);
      expect(page.url()).not.toMatch(/=(&|$)/);
      await expect(page.getByText("31–40 of 48 functions")).toBeVisible();
    });

    test(`names a scan that does not exist (${vp.name})`, async ({ page }) => {
      await page.goto("/functions?scan=99");
      await expect(page.getByRole("heading", { name: "Scan 99 does not exist." })).toBeVisible();
      await page.goto("/?scan=99");
      await expect(page.getByRole("heading", { name: "Scan 99 does not exist." })).toBeVisible();
    });
  });
}

test("the rescan bar moves above 0 % before the scan ends, then the overview charts two scans", async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // Given the scans page
  await page.goto("/scans");
  // When the user starts a rescan and the page follows it
  const seen: number[] = [];
  // (every account recomputed: an incremental rescan of an unchanged sample lands in a moment)
  await page.getByRole("checkbox", { name: "Recompute every account" }).check();
  await page.getByRole("button", { name: "Start a rescan" }).click();
  const status = page.getByRole("status", { name: "Scan progress" });
  await expect(status).toBeVisible({ timeout: 30_000 });
  const bar = page.getByRole("progressbar", { name: "Overall scan progress" });
  for (let i = 0; i < 600 && (await status.getAttribute("data-status")) !== "succeeded"; i++) {
    const now = await bar.getAttribute("aria-valuenow", { timeout: 200 }).catch(() => null);
    if (now !== null) {
      seen.push(Number(now));
      if (seen.length === 1) await page.screenshot({ path: shot("scans-running"), fullPage: true });
    }
    await page.waitForTimeout(100);
  }
  // Then the bar showed progress above 0 % while running, never went back, and the scan landed
  await expect(status).toHaveAttribute("data-status", "succeeded");
  expect(seen.length).toBeGreaterThan(0);
  expect(Math.max(...seen)).toBeGreaterThan(0);
  for (let i = 1; i < seen.length; i++) expect(seen[i]).toBeGreaterThanOrEqual(seen[i - 1]);
  await page.screenshot({ path: shot("scans"), fullPage: true });

  // And the overview's trend chart has axes and values for both scans
  await page.goto("/");
  const chart = page.getByRole("img", { name: /Critical and high-risk functions per scan/ });
  await expect(chart).toBeVisible();
  await expect(chart.getByText("#1", { exact: true })).toBeVisible();
  await expect(chart.getByText("#2", { exact: true })).toBeVisible();
  await expect(chart.getByText("functions", { exact: true })).toBeVisible();
  await page.screenshot({ path: shot("overview"), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: shot("overview-phone"), fullPage: true });
});

test("the HTML report uses the dashboard's palette and shows the blast radius after escalation", async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // Given the HTML export of the functions matching deploy-helper
  const response = await page.request.get("/api/export?format=html&q=deploy-helper");
  expect(response.ok()).toBe(true);
  await page.setContent(await response.text());
  // Then it labels what the function can do directly and after escalation
  await expect(page.getByText("Directly, with its own role").first()).toBeVisible();
  await expect(page.getByText(/After escalation, via/).first()).toBeVisible();
  // And its high badge has the dashboard's colours
  const badge = page.locator(".badge.sev-high, .badge.sev-critical").first();
  const colour = await badge.evaluate((el) => getComputedStyle(el).color);
  expect(["rgb(194, 65, 12)", "rgb(163, 17, 46)"]).toContain(colour);
  await page.screenshot({ path: shot("html-report"), fullPage: false });
});

test("an export goes out as it is, not gzipped, even to a client that accepts gzip", async ({ request }) => {
  // Given a client that accepts gzip, as every browser does
  const response = await request.get("/api/export?format=json", { headers: { "Accept-Encoding": "gzip, deflate" } });
  // Then the server does not spend its CPU compressing the download (Cache-Control: no-transform)…
  expect(response.ok()).toBe(true);
  expect(response.headers()["content-encoding"]).toBeUndefined();
  expect(response.headers()["cache-control"]).toContain("no-transform");
  // …and the body is the JSON report
  expect((JSON.parse(await response.text()) as { schemaVersion: number }).schemaVersion).toBe(1);
});
