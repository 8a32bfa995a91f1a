import { expect, test } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

test("browse functions: filter by account and text, sort, open a function", async ({ page }) => {
  // Given the dashboard on the sample organization
  await page.goto("/functions");
  const table = page.getByRole("table", { name: "Functions" });
  await expect(table).toBeVisible();
  await expect(page.getByText(/of \d+ functions/)).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/functions.png", fullPage: true });
  await expectNoSeriousViolations(page, "functions");

  // When the user filters to one account and searches for "orders"
  await page.getByLabel("Account").selectOption({ label: "acme-prod (222222222222)" });
  await page.getByLabel("Search functions").fill("orders");
  await page.getByRole("button", { name: "Apply" }).click();

  // Then the URL keeps the filters and every row matches
  await expect(page).toHaveURL(/account=\d{12}/);
  await expect(page).toHaveURL(/q=orders/);
  const rows = table.locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  // (the search also reads actions and resources: canary-deployer is listed for its orders-* resources)
  expect((await rows.locator(".fn-name").allInnerTexts()).filter((name) => name.includes("orders")).length).toBeGreaterThan(1);
  for (const row of await rows.allInnerTexts()) expect(row).toContain("222222222222");
  await page.screenshot({ path: "e2e/screenshots/functions-filtered.png", fullPage: true });
  await expectNoSeriousViolations(page, "functions-filtered");

  // When the user sorts by name (ascending first), then flips it to descending
  await table.getByRole("link", { name: /^Function/ }).click();
  await expect(page).toHaveURL(/sort=name&dir=asc/);
  await table.getByRole("link", { name: /^Function/ }).click();
  await expect(page).toHaveURL(/sort=name&dir=desc/);
  const names = await rows.locator(".fn-name").allInnerTexts();
  expect(names).toEqual([...names].sort().reverse());

  // When the user opens the first row
  const first = names[0];
  await rows.first().locator(".fn-name").click();

  // Then its detail page shows its configuration and execution role
  await expect(page.getByRole("heading", { level: 1, name: first })).toBeVisible();
  await expect(page.getByRole("heading", { name: /Execution role/ })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/function-detail.png", fullPage: true });
  await expectNoSeriousViolations(page, "function-detail");
});

test("a public function is marked public and its unauthenticated URL is named", async ({ page }) => {
  // Given the functions list
  await page.goto("/functions?sort=public&dir=desc");
  // When the user opens the first public function
  const publicRow = page.getByRole("table", { name: "Functions" }).locator("tbody tr", { has: page.locator(".badge.public") }).first();
  await expect(publicRow).toBeVisible();
  await publicRow.locator(".fn-name").click();
  // Then the detail page says why it is public
  await expect(page.locator(".page-head .badge.public")).toBeVisible();
  await expect(page.getByText(/AuthType NONE|"Principal": "\*"/).first()).toBeVisible();
});

test("an unknown function shows a not-found page", async ({ page }) => {
  // Given an ARN that is in no scan
  await page.goto(`/functions/${encodeURIComponent("arn:aws:lambda:us-east-1:000000000000:function:nope")}`);
  // Then the page says so and links back
  await expect(page.getByRole("heading", { name: "Function not found" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Back to functions" })).toBeVisible();
});
