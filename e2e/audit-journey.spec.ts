/**
 * The auditor's journey (issue 5): overview → risk view → riskiest function → blast radius and
 * graph → copy the recommended policy → export SARIF → rescan with live progress → compare two
 * scans → suppress a finding. One serial flow: later steps build on earlier ones.
 */
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { validateJsonSchema } from "../lib/report/validate-json-schema";
import { sarifSchemaForAjv } from "../lib/report/report-fixtures";
import { expectNoSeriousViolations } from "./axe";

// Steps get room on a loaded machine (the rescan step alone may wait 60 s).
test.describe.configure({ mode: "serial", timeout: 150_000 });
const shot = (name: string) => path.join("e2e", "screenshots", `${name}.png`);

test("overview shows the worst functions and categories", async ({ page }) => {
  // Given the dashboard on the sample organization
  await page.goto("/");
  // Then the overview names the riskiest functions and the finding categories
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const riskiest = page.getByRole("table", { name: "Riskiest functions" });
  await expect(riskiest.locator("tbody tr")).toHaveCount(10);
  await expect(riskiest.getByRole("link", { name: "deploy-helper", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "privilege-escalation" })).toBeVisible();
  await page.screenshot({ path: shot("overview"), fullPage: true });
  await expectNoSeriousViolations(page, "overview");
});

test("filter the risk view by severity and category", async ({ page }) => {
  // Given the risk view
  await page.goto("/functions");
  // When the user asks for functions of high severity or worse with such a privilege-escalation finding
  await page.getByLabel("Severity").selectOption("high");
  await page.getByLabel("Finding category").selectOption("privilege-escalation");
  await page.getByRole("button", { name: "Apply" }).click();
  // Then the URL keeps the filters and only those functions are listed, riskiest first
  await expect(page).toHaveURL(/severity=high/);
  await expect(page).toHaveURL(/category=privilege-escalation/);
  const rows = page.getByRole("table", { name: "Functions" }).locator("tbody tr");
  await expect(rows.first()).toBeVisible();
  for (const badge of await rows.locator(".badge[class*='sev-']").allInnerTexts()) expect(badge).toMatch(/critical|high/);
  const names = await rows.locator(".fn-name").allInnerTexts();
  expect(names).toEqual(expect.arrayContaining(["deploy-helper"]));
  expect(names).not.toContain("orders-history");
  await page.screenshot({ path: shot("risk-view-filtered"), fullPage: true });
  await expectNoSeriousViolations(page, "risk-view-filtered");
});

test("open the riskiest function and read why it is risky", async ({ page }) => {
  // Given the risk view sorted by risk (the default)
  await page.goto("/functions");
  const first = page.getByRole("table", { name: "Functions" }).locator("tbody tr").first();
  const name = await first.locator(".fn-name").innerText();
  // When the user opens the riskiest function
  await first.locator(".fn-name").click();
  // Then its findings say why, its blast radius is broken down by access level, and an escalation path has steps
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Findings/ })).toBeVisible();
  await expect(page.locator("li.finding .why").first()).toContainText("statement");
  const access = page.getByRole("table", { name: "Access by service and level" });
  await expect(access).toBeVisible();
  // And long lists are folded one click away, so the page reads as a page (a role allowed * has 400+ services and a
  // data-store finding per service): the most dangerous services are listed, the rest under a summary
  expect(await access.locator("tbody tr").count()).toBeLessThanOrEqual(20);
  await expect(page.locator("details.more-services > summary")).toContainText(/\d+ more services/);
  const moreFindings = page.locator("li.more-findings > details > summary").first();
  await expect(moreFindings).toContainText(/\d+ more “.+” findings/);
  await page.screenshot({ path: shot("function-riskiest"), fullPage: true });
  await expectNoSeriousViolations(page, "function-riskiest");
  await moreFindings.click();
  await expect(page.locator("li.more-findings li.finding").first()).toBeVisible();
});

test("read the blast radius and the permission graph of deploy-helper", async ({ page }) => {
  const arn = "arn:aws:lambda:us-east-1:222222222222:function:deploy-helper";
  // Given deploy-helper, which can pass data-admin-role into a new function
  await page.goto(`/functions/${encodeURIComponent(arn)}`);
  // Then the blast radius names the passable role and the escalation path
  await expect(page.getByText("arn:aws:iam::222222222222:role/data-admin-role").first()).toBeVisible();
  await expect(page.locator("li.finding[data-rule='privilege-escalation'] ol.steps li").first()).toContainText("iam:PassRole");
  // When the user opens the permission graph
  await page.getByRole("link", { name: "Permission graph" }).click();
  const graph = page.getByRole("region", { name: "Permission graph" });
  await expect(graph).toBeVisible();
  await expect(graph.locator(".react-flow__node").first()).toBeVisible();
  // Then clicking an edge shows its reason
  await graph.locator(".react-flow__edge").first().click({ force: true });
  await expect(page.getByRole("heading", { name: "Edge details" })).toBeVisible();
  await page.screenshot({ path: shot("permission-graph"), fullPage: true });
  await expectNoSeriousViolations(page, "permission-graph");
});

test("copy the recommended policy", async ({ page, context }) => {
  // Given a function with a recommended policy, and clipboard access
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.goto(`/functions/${encodeURIComponent("arn:aws:lambda:us-east-1:222222222222:function:inventory-sync")}`);
  const section = page.locator("section", { has: page.getByRole("heading", { name: "Recommended least-privilege policy" }) });
  // When the user copies it
  await section.getByRole("button", { name: "Copy policy" }).click();
  await expect(section.getByRole("button", { name: "Copied ✓" })).toBeVisible();
  // Then the clipboard holds a valid IAM policy that no longer grants dynamodb:*
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied.Version).toBe("2012-10-17");
  expect(JSON.stringify(copied)).not.toContain('"dynamodb:*"');
  // And the diff against the current policy is one click away
  await section.getByRole("tab", { name: "Diff against current" }).click();
  await expect(section.getByLabel("Policy diff")).toContainText("dynamodb:*");
  await page.screenshot({ path: shot("recommended-policy-diff"), fullPage: false });
  await expectNoSeriousViolations(page, "recommended-policy-diff");
});

test("export SARIF of the filtered view and validate it", async ({ page }) => {
  // Given the risk view filtered to high or worse
  await page.goto("/functions?severity=high");
  // When the user exports SARIF
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "SARIF" }).click()]);
  const file = await download.path();
  const sarif = JSON.parse(fs.readFileSync(file!, "utf8"));
  // Then it is valid SARIF 2.1.0 with one rule per catalogue entry and results located by function ARN
  const { valid, errors } = validateJsonSchema(sarifSchemaForAjv(), sarif);
  expect(errors).toEqual([]);
  expect(valid).toBe(true);
  expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThanOrEqual(15);
  expect(sarif.runs[0].results.length).toBeGreaterThan(0);
  expect(sarif.runs[0].results[0].locations[0].logicalLocations[0].fullyQualifiedName).toMatch(/^arn:aws:lambda:/);
});

test("start a rescan and watch its progress to the end", async ({ page }) => {
  // Given the scans page
  await page.goto("/scans");
  // When the user starts a rescan
  await page.getByRole("button", { name: "Start a rescan" }).click();
  // Then live progress shows, and the scan lands as a new succeeded scan
  const progress = page.getByRole("status", { name: "Scan progress" });
  await expect(progress).toBeVisible();
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await expect(progress).toContainText("The pages now show scan #2");
  await expect(page.getByRole("table", { name: "Scan history" }).locator("tbody tr")).toHaveCount(2);
  await page.screenshot({ path: shot("scans"), fullPage: true });
  await expectNoSeriousViolations(page, "scans");
});

test("compare two scans", async ({ page }) => {
  // Given two scans of the same organization
  await page.goto("/scans");
  // When the user compares them
  await page.getByRole("button", { name: "Compare" }).click();
  // Then the diff gives complete totals (nothing changed here), risk rose and fell, and the per-function list
  await expect(page.getByRole("heading", { name: /Scan #1 → #2/ })).toBeVisible();
  await expect(page.getByTestId("diff-totals")).toContainText("Findings: 0 new, 0 changed, 0 resolved, 0 no longer seen (incomplete data)");
  await expect(page.getByRole("heading", { name: "Risk fell (0)" })).toBeVisible();
  await expect(page.getByText("No change.")).toBeVisible();
  await page.screenshot({ path: shot("scan-diff"), fullPage: true });
  await expectNoSeriousViolations(page, "scan-diff");
});

test("suppress a finding with a reason", async ({ page }) => {
  // Given the public status page's public-invoke finding
  await page.goto(`/functions/${encodeURIComponent("arn:aws:lambda:us-east-1:222222222222:function:public-status-page")}`);
  const finding = page.locator("li.finding[data-rule='public-invoke']");
  await expect(finding).toBeVisible();
  // When the user suppresses it with a reason
  await finding.getByRole("button", { name: "Suppress…" }).click();
  await finding.getByLabel("Suppression reason").fill("Accepted: the status page is meant to be public");
  await finding.getByRole("button", { name: "Suppress", exact: true }).click();
  // Then it moves to the suppressed list with its reason, and the overview stops counting it
  await expect(page.getByText("1 suppressed finding(s)")).toBeVisible();
  await page.getByText("1 suppressed finding(s)").click();
  await expect(page.getByText("Suppressed by dashboard: Accepted: the status page is meant to be public")).toBeVisible();
  await page.screenshot({ path: shot("finding-suppressed"), fullPage: true });
  await expectNoSeriousViolations(page, "finding-suppressed");
  await page.goto("/");
  await expect(page.getByText("1 suppressed findings are not counted.")).toBeVisible();
  // And unsuppressing it on its page counts it again (later journeys start from the sample as shipped)
  await page.goto(`/functions/${encodeURIComponent("arn:aws:lambda:us-east-1:222222222222:function:public-status-page")}`);
  await page.getByText("1 suppressed finding(s)").click();
  await page.getByRole("button", { name: "Unsuppress" }).click();
  await expect(page.locator("li.finding[data-rule='public-invoke']").getByRole("button", { name: "Suppress…" })).toBeVisible();
  await page.goto("/");
  await expect(page.getByText("suppressed findings are not counted.")).toHaveCount(0);
});

test("roles page puts shared roles first", async ({ page }) => {
  await page.goto("/roles");
  const first = page.getByRole("table", { name: "Roles" }).locator("tbody tr").first();
  await expect(first.getByText(/shared by \d/)).toBeVisible();
  await expect(first).toContainText("media-processing-role");
  await page.screenshot({ path: shot("roles"), fullPage: true });
  await expectNoSeriousViolations(page, "roles");
});
