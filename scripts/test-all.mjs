// `npm test`: unit and database tests (vitest), then browser journeys (Playwright in Debian's Chromium).
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { ensureDist, ensureInstall, root } from "./ensure-install.mjs";

ensureInstall();
// Built once up front: the CLI tests run bin/saltzer.mjs, which would otherwise build on first use.
await ensureDist({ log: (m) => console.log(m) });
// `npm test` installs no system package itself (.ci/run does): without Chromium it says what to
// install, runs the tests that need no browser, and fails so that a missing browser is never a pass.
const hasChromium = fs.existsSync("/usr/bin/chromium");
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const steps = [["vitest", ["node_modules/vitest/vitest.mjs", "run"]]];
if (hasChromium) steps.push(["playwright", ["node_modules/@playwright/test/cli.js", "test"]]);
let failed = false;
for (const [name, args] of steps) {
  console.log(`\n== ${name} ==`);
  const result = spawnSync(process.execPath, args, { cwd: root, stdio: "inherit", env });
  if (result.status !== 0) {
    console.error(`${name} failed (exit ${result.status ?? result.signal}).`);
    failed = true;
  }
}
if (!hasChromium) {
  console.error("\nBrowser tests NOT run: /usr/bin/chromium is missing. Install Debian's Chromium (`apt-get install chromium`), then run `npm test` again.");
  failed = true;
}
process.exit(failed ? 1 : 0);
