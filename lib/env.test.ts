import { describe, expect, it } from "vitest";
import { ConfigError, readEnv } from "./env";

const asEnv = (values: Record<string, string>) => values as unknown as NodeJS.ProcessEnv;

describe("configuration", () => {
  it("names a token shorter than 16 characters in one line", () => {
    // When the token is too short
    const read = () => readEnv(asEnv({ SALTZER_AUTH_TOKEN: "short" }));
    // Then the error is a ConfigError with a one-line message naming the variable
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/^Invalid configuration: SALTZER_AUTH_TOKEN must be at least 16 characters$/);
  });

  it("reads an empty token as no token", () => {
    expect(readEnv(asEnv({ SALTZER_AUTH_TOKEN: "" })).SALTZER_AUTH_TOKEN).toBeUndefined();
  });

  it("answers to loopback names, HOST and SALTZER_ALLOWED_HOSTS", () => {
    const config = readEnv(asEnv({ HOST: "10.0.0.5", SALTZER_ALLOWED_HOSTS: "Dash.Example.com, [fd00::2]" }));
    expect(config.allowedHosts).toEqual(["localhost", "127.0.0.1", "::1", "10.0.0.5", "dash.example.com", "fd00::2"]);
    expect(readEnv(asEnv({})).allowedHosts).toEqual(["localhost", "127.0.0.1", "::1"]);
  });

  it("rejects a SALTZER_ALLOWED_HOSTS entry with a scheme or port", () => {
    expect(() => readEnv(asEnv({ SALTZER_ALLOWED_HOSTS: "https://dash.example.com" }))).toThrow(/SALTZER_ALLOWED_HOSTS "https:\/\/dash.example.com" is not a host name/);
  });
});
