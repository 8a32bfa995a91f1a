import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { analysisCodeVersion, CODE_VERSION_FILE } from "./analysis-code-version";

/** A compiled worker in a directory of its own, with `name` as the build's code version file (none: null). */
function builtWorker(name: string | null): string {
  const dist = fs.mkdtempSync(path.join(os.tmpdir(), "saltzer-code-version-"));
  fs.writeFileSync(path.join(dist, "analysis-worker.mjs"), "export {};\n");
  if (name !== null) fs.writeFileSync(path.join(dist, CODE_VERSION_FILE), name);
  return path.join(dist, "analysis-worker.mjs");
}

describe("the analysis code's name, part of what a rescan may reuse", () => {
  it("is the name the build computed for its modules, read rather than hashed again by every scan", () => {
    expect(analysisCodeVersion(builtWorker(JSON.stringify({ version: "dist-0123456789abcdef01234567" })))).toBe("dist-0123456789abcdef01234567");
  });

  it("is a fresh name for a build that wrote none, or a malformed one: such a scan reuses nothing rather than something wrongly", () => {
    for (const written of [null, "{", JSON.stringify({ version: 7 }), JSON.stringify({ version: "dist-../../etc" }), JSON.stringify({ version: "src-0123456789abcdef01234567" })]) {
      const version = analysisCodeVersion(builtWorker(written));
      expect(version).toMatch(/^unknown-[0-9a-f-]{36}$/);
    }
  });

  it("is written by the build beside the compiled worker", () => {
    const written = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../../dist", CODE_VERSION_FILE), "utf8")) as { version: string };
    expect(written.version).toMatch(/^dist-[0-9a-f]{24}$/);
    expect(analysisCodeVersion(path.resolve(import.meta.dirname, "../../dist/analysis-worker.mjs"))).toBe(written.version);
  });
});
