/**
 * Stamps each HTTP request with its TCP peer address (header PEER_HEADER), overwriting any value a
 * client sent, so the proxy can tell this machine from the network. Uses Node's public
 * `http.server.request.start` diagnostics channel, which fires before Next.js sees the request.
 * https://nodejs.org/api/diagnostics_channel.html#http
 */
import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { PEER_HEADER } from "@/lib/host-guard";

let installed = false;

export function stampPeerAddresses(): void {
  if (installed) return;
  installed = true;
  diagnosticsChannel.subscribe("http.server.request.start", (message) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    request.headers[PEER_HEADER] = socket.remoteAddress ?? "";
  });
}
