import "server-only";
import dc from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { TLSSocket } from "node:tls";
import { HTTPS_HEADER, PEER_HEADER, isHttps, markPeerStampInstalled, normalizeAddress } from "@/lib/config/client-address";
import { env } from "@/lib/config/env";

const g = globalThis as unknown as { __paretoPeerStampFn?: (message: unknown) => void };

/**
 * Writes each request's socket address (PEER_HEADER) and whether it reached the client over https (HTTPS_HEADER)
 * into its headers, before Next sees the request — so route handlers, next-auth's authorize() and next.config.js
 * `headers()` (HSTS) can tell the TCP peer from what the client claims. Node publishes `http.server.request.start`
 * synchronously for every request, before the server's 'request' listener runs. Whatever the client sent under
 * these names is overwritten. Idempotent.
 */
export function installPeerStamp(): void {
  if (g.__paretoPeerStampFn) return;
  g.__paretoPeerStampFn = (message: unknown) => {
    const { request, socket } = message as { request: IncomingMessage; socket: Socket };
    const peer = normalizeAddress(socket.remoteAddress);
    delete request.headers[PEER_HEADER];
    delete request.headers[HTTPS_HEADER];
    if (peer) request.headers[PEER_HEADER] = peer;
    if (isHttps(request.headers, peer, env.trustedProxies(), Boolean((socket as TLSSocket).encrypted))) request.headers[HTTPS_HEADER] = "1";
  };
  dc.subscribe("http.server.request.start", g.__paretoPeerStampFn);
  markPeerStampInstalled();
}
