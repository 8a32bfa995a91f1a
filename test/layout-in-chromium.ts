/**
 * Lays out an HTML page in Debian's Chromium and measures it, for tests of what a user sees
 * (bidi order, page width) without starting the dashboard.
 */
import { chromium, type Page } from "playwright-core";

export const VIEWPORT = { width: 1400, height: 900 };

export async function inChromium<T>(html: string, measure: (page: Page) => Promise<T>): Promise<T> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  try {
    const page = await browser.newPage({ viewport: VIEWPORT });
    await page.setContent(html, { waitUntil: "load" });
    return await measure(page);
  } finally {
    await browser.close();
  }
}

/**
 * Inside the first element matching `container`: is the element `after` laid out to the right of
 * the text `text` (left-to-right reading order kept)? The text is measured wherever it sits, so
 * the check does not depend on the markup around it.
 */
export function staysRightOf(page: Page, container: string, text: string, after: string): Promise<boolean> {
  return page.evaluate(
    ([container, text, after]) => {
      const root = document.querySelector(container);
      if (!root) throw new Error(`no ${container}`);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let node: Node | null;
      while ((node = walker.nextNode()) && !node.textContent?.includes(text));
      const next = root.querySelector(after);
      if (!node || !next) throw new Error(`no "${text}" or ${after} in ${container}`);
      const range = document.createRange();
      range.selectNodeContents(node);
      return next.getBoundingClientRect().left >= range.getBoundingClientRect().right - 1;
    },
    [container, text, after] as const,
  );
}

/** The page's scroll width: wider than the viewport means a horizontal scroll bar. */
export function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
