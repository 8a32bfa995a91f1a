import fs from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { expectNoSeriousViolations } from "./axe";

// deploy-helper reaches 34 functions in the sample: 28 by invoking them (1 move), the others
// through the roles it can create functions with (2 and 3 moves).
const DEPLOY_HELPER = "arn:aws:lambda:us-east-1:222222222222:function:deploy-helper";
const graphUrl = (query = "") => `/functions/${encodeURIComponent(DEPLOY_HELPER)}/graph${query}`;

async function openGraph(page: Page, query = "") {
  await page.goto(graphUrl(query));
  await expect(page.locator("[data-graph-ready]")).toBeVisible();
}

/** The function and the given nodes lie wholly inside the canvas, on the screen, with the function's name ≥ 10 px on screen. */
async function expectReadableFirstView(page: Page, rootId: string, neighbours: string[]) {
  const canvas = (await page.locator(".pg-canvas").boundingBox())!;
  const screen = page.viewportSize()!;
  const area = { left: Math.max(0, canvas.x), top: Math.max(0, canvas.y), right: Math.min(screen.width, canvas.x + canvas.width), bottom: Math.min(screen.height, canvas.y + canvas.height) };
  for (const id of [rootId, ...neighbours]) {
    const node = page.locator(`.react-flow__node[data-id=${JSON.stringify(id)}]`);
    const box = (await node.boundingBox())!;
    expect(box, `${id} is drawn`).not.toBeNull();
    const where = `${id} at x ${Math.round(box.x)}–${Math.round(box.x + box.width)}, y ${Math.round(box.y)}–${Math.round(box.y + box.height)} in ${JSON.stringify(area)}`;
    expect(box.x, where).toBeGreaterThanOrEqual(area.left);
    expect(box.x + box.width, where).toBeLessThanOrEqual(area.right);
    expect(box.y, where).toBeGreaterThanOrEqual(area.top);
    expect(box.y + box.height, where).toBeLessThanOrEqual(area.bottom);
  }
  const namePx = await page.locator(`.react-flow__node[data-id=${JSON.stringify(rootId)}] .pg-label`).evaluate((el) => {
    const zoom = new DOMMatrix(getComputedStyle(el.closest<HTMLElement>(".react-flow__viewport")!).transform).a;
    return parseFloat(getComputedStyle(el).fontSize) * zoom;
  });
  expect(namePx).toBeGreaterThanOrEqual(10);
}

/** The function's node and the nodes one edge from it in the graph the page draws (the JSON route serves the same view). */
async function firstMoves(page: Page, depth: number): Promise<{ rootId: string; neighbours: string[]; edges: { id: string; source: string; target: string }[] }> {
  const res = await page.request.get(`/api/graph?arn=${encodeURIComponent(DEPLOY_HELPER)}&depth=${depth}`);
  expect(res.ok()).toBe(true);
  const { rootId, edges } = (await res.json()) as { rootId: string; edges: { id: string; source: string; target: string }[] };
  const neighbours = [...new Set(edges.flatMap((e) => (e.source === rootId ? [e.target] : e.target === rootId ? [e.source] : [])))];
  return { rootId, neighbours, edges };
}

/** "17 nodes, 17 edges" → 17. */
async function nodeCount(page: Page): Promise<number> {
  const text = (await page.getByTestId("graph-counts").textContent()) ?? "";
  return Number(/(\d+) nodes/.exec(text)![1]);
}

for (const viewport of [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
]) {
  test.describe(`permission graph (${viewport.name})`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test("the depth control changes what is drawn, and the graph holds the reach the page lists", async ({ page }) => {
      // Given deploy-helper's graph at one move
      await openGraph(page, "?depth=1");
      await expect(page.getByTestId("graph-reach")).toContainText("Reaches 34 other functions, 28 within 1 move");
      const atOne = await nodeCount(page);
      await page.screenshot({ path: `e2e/screenshots/graph-depth1-${viewport.name}.png` });
      // When the user picks three moves
      await page.getByRole("navigation", { name: "Depth" }).getByRole("link", { name: "Depth 3" }).click();
      // Then the functions reached in two and three moves are drawn too
      await expect(page).toHaveURL(/depth=3/);
      await expect(page.getByTestId("graph-reach")).toContainText("34 within 3 moves");
      await expect.poll(() => nodeCount(page)).toBeGreaterThan(atOne);
      await expect(page.locator(".react-flow__node", { hasText: "gdpr-export" })).toBeVisible();
      // And the legend explains every edge colour and style
      const legend = page.getByTestId("graph-legend");
      await legend.scrollIntoViewIfNeeded();
      for (const words of ["Read", "Write", "Delete", "Permissions management", "Invoke", "Update code / config", "Trigger (event sources)", "Pass role / create with role", "Assume role", "Dashed: allowed only when its conditions hold"]) {
        await expect(legend.getByText(words, { exact: true })).toBeVisible();
      }
      await page.screenshot({ path: `e2e/screenshots/graph-depth3-${viewport.name}.png`, fullPage: true });
      await expectNoSeriousViolations(page, `graph at depth 3 (${viewport.name})`);
    });

    test("the first view shows the function and every node one move from it, inside the screen and readable", async ({ page }) => {
      for (const depth of [1, 3]) {
        // Given deploy-helper's graph and the nodes one edge from the function
        const { rootId, neighbours } = await firstMoves(page, depth);
        expect(neighbours.length).toBeGreaterThan(1);
        // When the user opens it
        await openGraph(page, `?depth=${depth}`);
        // Then the function and each of those nodes lie wholly inside the canvas, on the screen,
        // and the names are drawn at a size a user reads (≥ 10 px on screen), not as a thumbnail of the graph
        await expectReadableFirstView(page, rootId, neighbours);
        await page.screenshot({ path: `e2e/screenshots/graph-first-view-depth${depth}-${viewport.name}.png` });
      }
    });

    test("the first view arrives drawn: before any script runs, the page shows the function, what is one move from it and the edges between", async ({ page, browser }) => {
      // Given deploy-helper's graph, and a browser that has opened a graph here before (its canvas' size is remembered)
      const { rootId, neighbours, edges } = await firstMoves(page, 1);
      await openGraph(page, "?depth=1");
      const contexts = [{ remembered: true, cookies: await page.context().cookies() }];
      // (a first visit gets the canvas of a laptop's window: the desktop canvas)
      if (viewport.name === "desktop") contexts.push({ remembered: false, cookies: [] });
      for (const { remembered, cookies } of contexts) {
        // When the page is opened with scripts off (what the user sees before the scripts arrive)
        const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: viewport.width, height: viewport.height } });
        await context.addCookies(cookies);
        const noScript = await context.newPage();
        await noScript.goto(graphUrl("?depth=1"));
        // Then no script ran, and yet the function and its neighbours are drawn, readable, inside the screen
        await expect(noScript.locator("[data-graph-ready]")).toHaveCount(0);
        await expectReadableFirstView(noScript, rootId, neighbours);
        // And every edge between them is drawn
        for (const e of edges.filter((e) => e.source === rootId || e.target === rootId)) {
          await expect(noScript.locator(`.react-flow__edge[data-id=${JSON.stringify(e.id)}] path.react-flow__edge-path`), e.id).toHaveAttribute("d", /C/);
        }
        await noScript.screenshot({ path: `e2e/screenshots/graph-first-view-no-script-${remembered ? "remembered" : "first-visit"}-${viewport.name}.png` });
        await context.close();
      }
    });

    test("a group of functions expands from the keyboard; search finds a node inside a group", async ({ page }) => {
      await openGraph(page, "?depth=1");
      const before = await nodeCount(page);
      // When the user focuses the group of 28 invoked functions and presses Enter
      const group = page.locator(".react-flow__node", { hasText: "28 functions" });
      await group.focus();
      await page.keyboard.press("Enter");
      // Then each function is drawn
      await expect.poll(() => nodeCount(page)).toBe(before + 27);
      await expect(page.locator(".react-flow__node", { hasText: "trail-maintenance" })).toBeVisible();

      // Given the graph afresh, when the user searches a function hidden in the group
      await openGraph(page, "?depth=1");
      await page.getByLabel("Find a node").fill("webhook-rec");
      await expect(page.getByTestId("search-count")).toHaveText("1 match");
      await page.getByRole("button", { name: "Find", exact: true }).click();
      // Then its group opens and the node is shown, marked and described
      const found = page.locator(".react-flow__node", { hasText: "webhook-receiver" });
      await expect(found).toBeVisible();
      await expect(found.locator(".pg-match")).toBeVisible();
      await expect(found).toBeInViewport();
      await expect(page.getByTestId("node-details")).toContainText("webhook-receiver");
      // And the search is in the URL
      await expect(page).toHaveURL(/q=webhook-rec/);
      await page.screenshot({ path: `e2e/screenshots/graph-search-${viewport.name}.png` });
    });

    test("Tab reaches an edge with a visible focus ring, and Enter opens its details", async ({ page }) => {
      await openGraph(page, "?depth=3");
      // When the user tabs from the search field into the graph until an edge has the focus
      await page.getByLabel("Find a node").focus();
      let onEdge = false;
      for (let i = 0; i < 80 && !onEdge; i++) {
        await page.keyboard.press("Tab");
        onEdge = await page.evaluate(() => document.activeElement?.classList.contains("react-flow__edge") ?? false);
      }
      expect(onEdge).toBe(true);
      // Then the focused edge shows a ring (its halo is drawn)
      const halo = page.locator(".react-flow__edge:focus-visible .pg-edge-halo");
      await expect(halo).toHaveCount(1);
      expect(Number(await halo.evaluate((el) => getComputedStyle(el).strokeOpacity))).toBeGreaterThan(0.5);
      expect(await halo.evaluate((el) => getComputedStyle(el).stroke)).not.toBe("transparent");
      // When the user presses Enter, the edge's details say why it exists
      await page.keyboard.press("Enter");
      const details = page.getByTestId("edge-details");
      await expect(details).toBeVisible();
      await expect(details.locator(".pg-reason")).not.toBeEmpty();
      await page.screenshot({ path: `e2e/screenshots/graph-edge-focus-${viewport.name}.png` });
      await expectNoSeriousViolations(page, `graph with a focused edge's details (${viewport.name})`);
    });

    test("filters live in the URL and leave no edge without its nodes", async ({ page }) => {
      await openGraph(page, "?depth=3");
      // On a phone the filters start folded, so the graph is on the first screen
      const filters = page.locator("details.pg-filter-box");
      if (viewport.name === "phone") {
        await expect(filters).not.toHaveAttribute("open");
        await filters.locator("summary").click();
      }
      await page.getByRole("checkbox", { name: "Invoke" }).uncheck();
      await page.getByRole("checkbox", { name: "Pass role / create with role" }).uncheck();
      await expect(page).toHaveURL(/kind=[a-z,]+/);
      expect(page.url()).not.toContain("invoke");
      // Exactly the counted edges are drawn, each a complete path between two drawn nodes
      const counted = Number(/(\d+) edges/.exec((await page.getByTestId("graph-counts").textContent()) ?? "")![1]);
      await expect(page.locator(".react-flow__edge")).toHaveCount(counted);
      const paths = await page.locator(".react-flow__edge path.react-flow__edge-path").evaluateAll((els) => els.map((e) => e.getAttribute("d") ?? ""));
      expect(paths.length).toBe(counted);
      for (const d of paths) expect(d).toMatch(/^M[\d.-]+,[\d.-]+ C/);
      // Reloading keeps the filters
      await page.reload();
      await expect(page.locator("[data-graph-ready]")).toBeVisible();
      await expect(filters.locator("summary")).toContainText("7 of 9 edge kinds");
      if (viewport.name === "phone") await filters.locator("summary").click();
      await expect(page.getByRole("checkbox", { name: "Invoke" })).not.toBeChecked();
      await expect(page.getByRole("checkbox", { name: "Read" })).toBeChecked();
      await page.screenshot({ path: `e2e/screenshots/graph-filtered-${viewport.name}.png` });
    });

    test("Export SVG downloads a valid SVG of the drawn graph", async ({ page }) => {
      await openGraph(page, "?depth=3");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export SVG" }).click()]);
      expect(download.suggestedFilename()).toBe("deploy-helper-permission-graph.svg");
      const text = fs.readFileSync((await download.path())!, "utf8");
      expect(text.startsWith("<?xml")).toBe(true);
      // The browser's own XML parser accepts it as SVG, and it names the functions drawn
      const parsed = await page.evaluate((svg) => {
        const doc = new DOMParser().parseFromString(svg, "image/svg+xml");
        return { error: doc.getElementsByTagName("parsererror").length, root: doc.documentElement.localName, texts: [...doc.getElementsByTagName("text")].map((t) => t.textContent) };
      }, text);
      expect(parsed.error).toBe(0);
      expect(parsed.root).toBe("svg");
      expect(parsed.texts).toContain("deploy-helper");
      expect(parsed.texts).toContain("gdpr-export");
      // PNG too
      const [png] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Export PNG" }).click()]);
      const bytes = fs.readFileSync((await png.path())!);
      expect(bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    });

    test("full screen takes the window and Escape leaves it", async ({ page }) => {
      await openGraph(page, "?depth=3");
      await page.getByRole("button", { name: "Full screen" }).click();
      const box = await page.locator(".pg-wrap").boundingBox();
      expect(box!.width).toBeGreaterThanOrEqual(viewport.width - 1);
      await page.screenshot({ path: `e2e/screenshots/graph-fullscreen-${viewport.name}.png` });
      await expectNoSeriousViolations(page, `graph in full screen (${viewport.name})`);
      await page.locator(".react-flow__node").first().focus();
      await page.keyboard.press("Escape");
      await expect(page.getByRole("button", { name: "Full screen" })).toBeVisible();
    });

    test("the function page's reach list is paginated and every entry is a link", async ({ page }) => {
      await page.goto(`/functions/${encodeURIComponent(DEPLOY_HELPER)}`);
      const list = page.getByTestId("reach-list");
      await expect(page.getByRole("heading", { name: "Functions it reaches (34)" })).toBeVisible();
      await expect(list.locator("li")).toHaveCount(25);
      await expect(page.getByText("… and")).toHaveCount(0);
      // When the user goes to the next page of the list
      await page.getByRole("navigation", { name: "Reached functions pages" }).getByRole("link", { name: "Next ›" }).click();
      await expect(page).toHaveURL(/reach=2/);
      await expect(list.locator("li")).toHaveCount(9);
      await list.scrollIntoViewIfNeeded();
      await page.screenshot({ path: `e2e/screenshots/reach-list-page2-${viewport.name}.png` });
      await expectNoSeriousViolations(page, `reach list, page 2 (${viewport.name})`);
      // Roles on the way link to their pages
      await expect(list.getByRole("link", { name: "role data-admin-role" }).first()).toHaveAttribute("href", /^\/roles\/arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fdata-admin-role/);
      // And an entry opens the function it names
      await list.getByRole("link", { name: "gdpr-export", exact: true }).click();
      await expect(page.getByRole("heading", { level: 1, name: "gdpr-export" })).toBeVisible();
    });
  });
}
