/**
 * Every page on a desktop (1440×900) and a phone (390×844): axe finds nothing critical or serious,
 * the page never scrolls sideways (a wide table scrolls inside its own box), and the top
 * navigation is on screen. Then the keyboard and the forms: focus goes where the user is, typed
 * input survives an answer or a refusal, the recommended-policy tabs follow the WAI-ARIA pattern.
 */
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

const DEPLOY_HELPER = encodeURIComponent("arn:aws:lambda:us-east-1:222222222222:function:deploy-helper");
const PUBLIC_STATUS_PAGE = encodeURIComponent("arn:aws:lambda:us-east-1:222222222222:function:public-status-page");

/** Every page of the dashboard. Adding a page to the journey is one line here. */
const PAGES: { name: string; path: string; ready: (page: Page) => Promise<void> }[] = [
  { name: "overview", path: "/", ready: (p) => expect(p.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible() },
  { name: "risk-view", path: "/functions", ready: (p) => expect(p.getByRole("table", { name: "Functions" })).toBeVisible() },
  { name: "function", path: `/functions/${DEPLOY_HELPER}`, ready: openEveryDisclosure },
  { name: "graph", path: `/functions/${DEPLOY_HELPER}/graph`, ready: (p) => expect(p.locator(".react-flow__node").first()).toBeVisible() },
  { name: "roles", path: "/roles", ready: (p) => expect(p.getByRole("table", { name: "Roles" })).toBeVisible() },
  { name: "scans", path: "/scans", ready: (p) => expect(p.getByRole("table", { name: "Scan history" })).toBeVisible() },
  { name: "scan-diff", path: "/scans/diff?from=1&to=1", ready: (p) => expect(p.getByRole("heading", { level: 1, name: /Scan #1 → #1/ })).toBeVisible() },
  { name: "login", path: "/login", ready: (p) => expect(p.getByLabel("Token")).toBeVisible() },
];

const SIZES = [
  { name: "desktop", viewport: { width: 1440, height: 900 } },
  { name: "phone", viewport: { width: 390, height: 844 } },
];

const NAV = ["Overview", "Functions", "Roles", "Scans"];

/** Policies, trust policy, suppressed findings: opened, so axe and the width check see them too. */
async function openEveryDisclosure(page: Page): Promise<void> {
  await expect(page.getByRole("heading", { name: /^Findings/ })).toBeVisible();
  await page.locator("details").evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
}

function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

for (const size of SIZES) {
  test.describe(`at ${size.viewport.width}×${size.viewport.height}`, () => {
    test.use({ viewport: size.viewport });

    for (const target of PAGES) {
      test(`${target.name}: no serious axe violation, no sideways scroll, navigation on screen`, async ({ page }) => {
        // Given the page, with what it loads lazily shown
        await page.goto(target.path);
        await target.ready(page);
        // Then it is no wider than the window
        expect(await pageWidth(page)).toBeLessThanOrEqual(size.viewport.width);
        // And every top navigation link is inside the window (the sign-in page has none)
        if (target.name !== "login") {
          const nav = page.getByRole("navigation", { name: "Main" });
          for (const label of NAV) await expect(nav.getByRole("link", { name: label, exact: true })).toBeInViewport({ ratio: 1 });
        }
        // And axe finds nothing critical or serious
        await expectNoSeriousViolations(page, `${target.name} (${size.name})`);
        await page.screenshot({ path: path.join("e2e", "screenshots", `a11y-${target.name}-${size.name}.png`), fullPage: true });
      });
    }
  });
}

test.describe("on a phone", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the risk view's table scrolls inside its own box, and Scans is one tap away", async ({ page }) => {
    // Given the risk view on a phone
    await page.goto("/functions");
    const table = page.getByRole("table", { name: "Functions" });
    await expect(table).toBeVisible();
    // Then the table is wider than the screen but scrolls by itself, and the page does not
    const box = await table.evaluate((t) => ({ scrollWidth: t.scrollWidth, clientWidth: t.clientWidth, overflowX: getComputedStyle(t).overflowX }));
    expect(box.scrollWidth).toBeGreaterThan(box.clientWidth);
    expect(box.overflowX).toBe("auto");
    expect(await pageWidth(page)).toBeLessThanOrEqual(390);
    // When the user scrolls it to the last column
    await table.evaluate((t) => t.scrollTo({ left: t.scrollWidth }));
    // Then the exposure column is on screen
    await expect(table.getByRole("columnheader", { name: /Exposure/ })).toBeInViewport();
    // When the user taps Scans in the top navigation
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Scans" }).click();
    // Then the scans page opens
    await expect(page.getByRole("heading", { level: 1, name: "Scans" })).toBeVisible();
  });
});

test.describe("keyboard and forms", () => {
  test("Suppress… from the keyboard puts the cursor in the reason; a past expiry is refused and the reason stays", async ({ page }) => {
    // Given the public status page's public-invoke finding
    await page.goto(`/functions/${PUBLIC_STATUS_PAGE}`);
    const finding = page.locator("li.finding[data-rule='public-invoke']");
    // When the user presses Enter on "Suppress…"
    await finding.getByRole("button", { name: "Suppress…" }).focus();
    await page.keyboard.press("Enter");
    // Then the cursor is in the form's first field, not on the page body
    const reason = finding.getByLabel("Suppression reason");
    await expect(reason).toBeFocused();
    // When they type a reason, pick a past expiry and submit
    await page.keyboard.type("Accepted: the status page is meant to be public");
    await finding.getByLabel("Suppression expiry").fill("2020-01-31");
    await finding.getByRole("button", { name: "Suppress", exact: true }).click();
    // Then the refusal names the expiry, the cursor is on it, and nothing typed is lost
    await expect(finding.getByRole("alert")).toHaveText("The expiry must be a future date");
    await expect(finding.getByLabel("Suppression expiry")).toBeFocused();
    await expect(finding.getByLabel("Suppression expiry")).toHaveAttribute("aria-invalid", "true");
    await expect(reason).toHaveValue("Accepted: the status page is meant to be public");
    await expect(finding.getByLabel("Suppression expiry")).toHaveValue("2020-01-31");
    await expectNoSeriousViolations(page, "suppress form with an error");
    // When they cancel
    await finding.getByRole("button", { name: "Cancel" }).click();
    // Then the cursor is back on "Suppress…", and the finding is still open (nothing was saved)
    await expect(finding.getByRole("button", { name: "Suppress…" })).toBeFocused();
    await expect(finding).not.toHaveClass(/suppressed/);
  });

  test("Can it? keeps the question after each answer, so the next one is one edit away", async ({ page }) => {
    // Given deploy-helper's "Can it?" form
    await page.goto(`/functions/${DEPLOY_HELPER}`);
    const form = page.getByRole("form", { name: "Can it?" });
    // When the user asks whether it can pass data-admin-role
    await form.getByLabel("Action").fill("iam:PassRole");
    await form.getByLabel("Resource").fill("arn:aws:iam::222222222222:role/data-admin-role");
    await form.getByRole("button", { name: "Can it?" }).click();
    // Then the answer shows, and both fields still hold the question
    await expect(form.getByRole("status", { name: "Decision" })).toContainText("ALLOWED");
    await expect(form.getByLabel("Action")).toHaveValue("iam:PassRole");
    await expect(form.getByLabel("Resource")).toHaveValue("arn:aws:iam::222222222222:role/data-admin-role");
    // When they change only the resource and ask again
    await form.getByLabel("Resource").fill("arn:aws:iam::222222222222:role/deploy-helper-role");
    await form.getByRole("button", { name: "Can it?" }).click();
    // Then the new answer is about the same action on the new resource
    await expect(form.getByRole("status", { name: "Decision" })).toContainText("DENIED iam:PassRole on arn:aws:iam::222222222222:role/deploy-helper-role");
    await expect(form.getByLabel("Action")).toHaveValue("iam:PassRole");
    // When the question is malformed, the error shows and the typed text stays for correcting
    await form.getByLabel("Action").fill("not an action");
    await form.getByRole("button", { name: "Can it?" }).click();
    await expect(form.getByRole("alert")).toContainText("Use service:Action");
    await expect(form.getByLabel("Action")).toHaveValue("not an action");
  });

  test("the recommended-policy tabs follow the WAI-ARIA tabs pattern", async ({ page }) => {
    // Given deploy-helper's recommended policy
    await page.goto(`/functions/${DEPLOY_HELPER}`);
    const section = page.locator("section", { has: page.getByRole("heading", { name: "Recommended least-privilege policy" }) });
    const tablist = section.getByRole("tablist");
    const tabs = tablist.getByRole("tab");
    // Then the tablist holds only the three tabs, the first chosen and the only one in the Tab order
    await expect(tabs).toHaveCount(3);
    await expect(tabs.nth(0)).toHaveAttribute("aria-selected", "true");
    await expect(tabs.nth(0)).toHaveAttribute("tabindex", "0");
    await expect(tabs.nth(1)).toHaveAttribute("tabindex", "-1");
    // And each tab controls its panel, which names it
    const controlled = await tabs.nth(0).getAttribute("aria-controls");
    await expect(section.locator(`[id="${controlled}"]`)).toHaveRole("tabpanel");
    await expect(section.getByRole("tabpanel")).toHaveAccessibleName("Recommended policy");
    // When the user focuses the tabs and presses the right arrow
    await tabs.nth(0).focus();
    await page.keyboard.press("ArrowRight");
    // Then the diff tab is focused and chosen, its panel shown, and the roving tabindex follows
    await expect(tabs.nth(1)).toBeFocused();
    await expect(tabs.nth(1)).toHaveAttribute("aria-selected", "true");
    await expect(tabs.nth(0)).toHaveAttribute("tabindex", "-1");
    await expect(section.getByRole("tabpanel")).toHaveAccessibleName("Policy diff");
    // When they press End, then the right arrow (wrapping), then Home
    await page.keyboard.press("End");
    await expect(tabs.nth(2)).toBeFocused();
    await expect(section.getByRole("tabpanel")).toHaveAccessibleName("Notes");
    await page.keyboard.press("ArrowRight");
    await expect(tabs.nth(0)).toBeFocused();
    await page.keyboard.press("ArrowLeft");
    await expect(tabs.nth(2)).toBeFocused();
    await page.keyboard.press("Home");
    await expect(tabs.nth(0)).toHaveAttribute("aria-selected", "true");
    // And Tab leaves the tablist in one step (the other tabs are not Tab stops)
    await page.keyboard.press("Tab");
    await expect(section.getByRole("button", { name: "Copy policy" })).toBeFocused();
  });
});
