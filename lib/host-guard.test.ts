import { describe, expect, it } from "vitest";
import { allowedHostNames, hostNameOf, parseHostList, refuseHost } from "./host-guard";

const LOCAL = allowedHostNames("127.0.0.1", []);

describe("which host names the dashboard answers to", () => {
  it("reads the name from a Host header, without port or brackets", () => {
    expect(hostNameOf("LocalHost:3000")).toBe("localhost");
    expect(hostNameOf("[::1]:3000")).toBe("::1");
    expect(hostNameOf("dash.example.com.")).toBe("dash.example.com");
    expect(hostNameOf("evil.example:80@127.0.0.1")).toBeNull();
    expect(hostNameOf(null)).toBeNull();
  });

  it("refuses a DNS-rebinding Host with 421, with or without a token", () => {
    // Given a page on rebind.evil.example whose name now resolves to 127.0.0.1
    for (const tokenConfigured of [false, true]) {
      const refused = refuseHost({ hostHeader: "rebind.evil.example:3304", peerAddress: "127.0.0.1", allowedHosts: LOCAL, tokenConfigured });
      // Then the dashboard does not answer it
      expect(refused?.status).toBe(421);
    }
  });

  it("answers loopback names from this machine without a token", () => {
    for (const host of ["127.0.0.1:3000", "localhost:3000", "[::1]:3000"]) {
      expect(refuseHost({ hostHeader: host, peerAddress: "::ffff:127.0.0.1", allowedHosts: LOCAL, tokenConfigured: false })).toBeNull();
    }
  });

  it("without a token, refuses a network client even when it sends a loopback Host", () => {
    // Given `next start -H 0.0.0.0` and no SALTZER_AUTH_TOKEN
    const allowed = allowedHostNames("0.0.0.0", []);
    // When a machine on the network asks with Host: 127.0.0.1
    const refused = refuseHost({ hostHeader: "127.0.0.1:3000", peerAddress: "192.0.2.7", allowedHosts: allowed, tokenConfigured: false });
    // Then it is refused, saying the token is needed
    expect(refused?.status).toBe(403);
    expect(refused?.message).toMatch(/SALTZER_AUTH_TOKEN/);
    // And a request whose peer address is unknown is refused too (fail closed)
    expect(refuseHost({ hostHeader: "127.0.0.1", peerAddress: null, allowedHosts: allowed, tokenConfigured: false })?.status).toBe(403);
  });

  it("without a token, a listed non-loopback name is still refused", () => {
    const allowed = allowedHostNames("127.0.0.1", ["dash.example.com"]);
    expect(refuseHost({ hostHeader: "dash.example.com", peerAddress: "127.0.0.1", allowedHosts: allowed, tokenConfigured: false })?.status).toBe(403);
  });

  it("with a token, answers HOST and SALTZER_ALLOWED_HOSTS names from anywhere", () => {
    const allowed = allowedHostNames("10.0.0.5", ["dash.example.com", "fd00::2"]);
    for (const host of ["10.0.0.5:3000", "dash.example.com", "[fd00::2]:3000", "localhost"]) {
      expect(refuseHost({ hostHeader: host, peerAddress: "192.0.2.7", allowedHosts: allowed, tokenConfigured: true })).toBeNull();
    }
    // A wildcard bind is not a name anyone may use as Host
    expect(allowedHostNames("0.0.0.0", [])).not.toContain("0.0.0.0");
  });

  it("rejects SALTZER_ALLOWED_HOSTS entries that are not host names", () => {
    expect(parseHostList(" dash.example.com ,10.0.0.5,[fd00::2]")).toEqual({ names: ["dash.example.com", "10.0.0.5", "fd00::2"] });
    for (const bad of ["https://dash.example.com", "dash.example.com:3000", "*.example.com", "dash.example.com/x"]) {
      expect(parseHostList(bad)).toHaveProperty("error");
    }
  });
});
