import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tokenMatches } from "./auth-token";

describe("dashboard token", () => {
  it("matches only the exact token", () => {
    // Given a configured token
    const token = "s3cret-token-0123456789";
    // Then only the same string passes
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, `${token}x`)).toBe(false);
    expect(tokenMatches(token, "s3cret-token-0123456788")).toBe(false);
    expect(tokenMatches(token, undefined)).toBe(false);
  });

  it("npm start refuses to listen beyond loopback without a token", () => {
    // Given HOST set to every interface and no SALTZER_AUTH_TOKEN
    const result = spawnSync(process.execPath, [path.resolve(import.meta.dirname, "../scripts/start.mjs")], {
      env: { ...process.env, HOST: "0.0.0.0", SALTZER_AUTH_TOKEN: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    // Then it exits before installing or serving anything, saying why
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Refusing to listen on 0\.0\.0\.0.*SALTZER_AUTH_TOKEN/);
  });
});
