/**
 * Which requests the dashboard answers at all, before any token check: only those addressed to a
 * host name it serves (a DNS-rebinding page sends its own name as Host), and, without
 * SALTZER_AUTH_TOKEN, only those from this machine to a loopback name. Pure: the proxy feeds it.
 */

/**
 * Request header carrying the TCP peer address. The server stamps it on every request from the
 * socket itself (instrumentation.ts), overwriting whatever a client sent, so unlike
 * X-Forwarded-For (which Next.js only fills when absent) it can be trusted.
 */
export const PEER_HEADER = "x-saltzer-peer";

const LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"];
/** Bind addresses meaning "every interface": not names a browser sends. */
const WILDCARD_BINDS = new Set(["0.0.0.0", "::", "[::]"]);

/** `Host` header → lower-case host name without port, brackets or trailing dot; null when absent or malformed. */
export function hostNameOf(hostHeader: string | null | undefined): string | null {
  if (!hostHeader) return null;
  const host = hostHeader.trim().toLowerCase();
  let name: string;
  if (host.startsWith("[")) {
    const end = host.indexOf("]");
    if (end < 0 || !/^(:\d*)?$/.test(host.slice(end + 1))) return null;
    name = host.slice(1, end);
  } else {
    const colon = host.indexOf(":");
    if (colon >= 0 && !/^:\d*$/.test(host.slice(colon))) return null;
    name = colon >= 0 ? host.slice(0, colon) : host;
  }
  name = name.replace(/\.$/, "");
  return /^[a-z0-9.\-:_]+$/.test(name) ? name : null;
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms: addresses that never leave this machine. */
export function isLoopbackAddress(address: string | null | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase().replace(/^::ffff:/, "");
  return a === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(a);
}

/** A host name that can only mean this machine. */
export function isLoopbackName(name: string): boolean {
  return name === "localhost" || isLoopbackAddress(name);
}

/** `SALTZER_ALLOWED_HOSTS` ("dash.example.com, 10.0.0.5, fd00::2") → normalized names, or the reason it is bad. */
export function parseHostList(value: string): { names: string[] } | { error: string } {
  const names: string[] = [];
  for (const entry of value.split(",").map((e) => e.trim()).filter(Boolean)) {
    const inner = entry.startsWith("[") && entry.endsWith("]") ? entry.slice(1, -1) : entry;
    const ipv6 = (inner.match(/:/g) ?? []).length >= 2;
    const name = inner.toLowerCase().replace(/\.$/, "");
    const valid = ipv6 ? /^[0-9a-f:.]+$/.test(name) : /^[a-z0-9_]([a-z0-9\-_.]*[a-z0-9_])?$/.test(name);
    if (!valid) {
      return { error: `"${entry}" is not a host name (give names or addresses without scheme, port or path, e.g. dash.example.com,10.0.0.5)` };
    }
    names.push(name);
  }
  return { names };
}

/** Every host name the dashboard answers to: loopback names, the bound HOST (unless a wildcard) and the extra names. */
export function allowedHostNames(boundHost: string, extra: string[]): string[] {
  const bound = WILDCARD_BINDS.has(boundHost) ? null : parseHostList(boundHost);
  const boundNames = bound && "names" in bound ? bound.names : [];
  return [...new Set([...LOOPBACK_NAMES, ...boundNames, ...extra])];
}

/** Why a request is refused before the token check, as an HTTP answer; null when it may proceed. */
export interface HostRefusal {
  status: 421 | 403;
  message: string;
}

export function refuseHost(input: {
  hostHeader: string | null;
  peerAddress: string | null;
  allowedHosts: readonly string[];
  tokenConfigured: boolean;
}): HostRefusal | null {
  const name = hostNameOf(input.hostHeader);
  if (!name || !input.allowedHosts.includes(name)) {
    return { status: 421, message: "Misdirected request: this dashboard does not answer to that host name. If it is yours, add it to SALTZER_ALLOWED_HOSTS." };
  }
  // Without a token the dashboard is for this machine only, however it was started (`next start -H 0.0.0.0`
  // included): a loopback name alone is not enough, since any network client can send `Host: localhost`.
  if (!input.tokenConfigured && (!isLoopbackName(name) || !isLoopbackAddress(input.peerAddress))) {
    return { status: 403, message: "This dashboard serves only this machine until SALTZER_AUTH_TOKEN (16+ characters) is set." };
  }
  return null;
}
