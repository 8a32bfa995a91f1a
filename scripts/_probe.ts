import { chromium } from "@playwright/test";
const [url, w, h] = [process.argv[2], Number(process.argv[3] ?? 1440), Number(process.argv[4] ?? 900)];
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
const page = await browser.newPage({ viewport: { width: w, height: h } });
await page.goto(url);
await page.waitForSelector("[data-graph-ready]");
await page.waitForTimeout(3000);
console.log(await page.evaluate(() => {
  const c = document.querySelector(".pg-canvas")!.getBoundingClientRect();
  const v = getComputedStyle(document.querySelector(".react-flow__viewport")!).transform;
  const node = document.querySelector<HTMLElement>(".react-flow__node")!;
  const nr = node.getBoundingClientRect();
  const hs = [...node.querySelectorAll(".react-flow__handle")].map((e) => { const r = e.getBoundingClientRect(); return [r.x - nr.x, r.y - nr.y, r.width, r.height]; });
  return JSON.stringify({ canvas: [c.top, c.height], v, node: [nr.width, nr.height], hs, inner: innerHeight, status: document.querySelector("[aria-live]")?.textContent });
}));
await browser.close();
