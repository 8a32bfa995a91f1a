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
    // Whatever the given length (digests of equal length are compared, nothing throws or exits early)
    expect(tokenMatches(token, "")).toBe(false);
    expect(tokenMatches(token, "s".repeat(10_000))).toBe(false);
    expect(tokenMatches("ünïcödé-token-0123456789", "ünïcödé-token-0123456789")).toBe(true);
  });

  it("npm start refuses a token shorter than 16 characters in one line", () => {
    const result = spawnSync(process.execPath, [path.resolve(import.meta.dirname, "../scripts/start.mjs")], {
      env: { ...process.env, HOST: "127.0.0.1", SALTZER_AUTH_TOKEN: "short" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trim()).toBe("Invalid configuration: SALTZER_AUTH_TOKEN must be at least 16 characters.");
  });

  it("npm start refuses extra host names beyond loopback without a token", () => {
    const result = spawnSync(process.execPath, [path.resolve(import.meta.dirname, "../scripts/start.mjs")], {
      env: { ...process.env, HOST: "127.0.0.1", SALTZER_ALLOWED_HOSTS: "localhost,dash.example.com", SALTZER_AUTH_TOKEN: "" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/Refusing to listen on dash\.example\.com:.*SALTZER_AUTH_TOKEN/);
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
