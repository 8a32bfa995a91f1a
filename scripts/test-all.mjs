// `npm test`: unit and database tests (vitest), then browser journeys (Playwright in Debian's Chromium).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { ensureInstall, root } from "./ensure-install.mjs";

ensureInstall();
if (!fs.existsSync("/usr/bin/chromium")) {
  if (process.getuid?.() === 0) {
    spawnSync("sh", ["-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium"], { stdio: "inherit" });
  } else {
    console.error("Chromium is missing: install Debian's chromium package (apt-get install chromium) to run the browser tests.");
    process.exit(1);
  }
}
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const steps = [
  ["vitest", ["node_modules/vitest/vitest.mjs", "run"]],
  ["playwright", ["node_modules/@playwright/test/cli.js", "test"]],
];
let failed = false;
for (const [name, args] of steps) {
  console.log(`\n== ${name} ==`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`${name} failed (exit ${result.status ?? result.signal}).`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
