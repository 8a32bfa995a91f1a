import { chromium } from "playwright-core";
const base = "http://127.0.0.1:3200";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"] });
const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
const pages = process.argv.slice(2);
for (const p of pages) {
  const [path, name] = p.split("=");
  const res = await page.goto(base + path, { waitUntil: "networkidle" });
  await page.screenshot({ path: `/tmp/shot-${name}.png`, fullPage: true });
  console.log(name, res.status());
}
await browser.close();
