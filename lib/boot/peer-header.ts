import "server-only";
import crypto from "node:crypto";
import http from "node:http";

/**
 * Next.js route handlers get a Fetch `Request` without the socket, and Next fills `X-Forwarded-For` from the socket
 * only when the client did not send one (next/dist/server/base-server.js: `??=`), so that header is the client's
 * word. To know the real peer, the one HTTP server of this process stamps every incoming request with the socket's
 * address in a header of its own, signed with a nonce only this process knows, replacing anything a client sent
 * under that name. lib/api/client-address.ts reads it.
 */
export const PEER_HEADER = "x-pareto-peer";

const g = globalThis as unknown as { __paretoPeerNonce?: string };

/** The process's nonce (created on first use): a stamped header starts with it. */
export function peerNonce(): string {
  g.__paretoPeerNonce ??= crypto.randomBytes(16).toString("hex");
  return g.__paretoPeerNonce;
}

export function installPeerHeader(): void {
  const proto = http.Server.prototype as http.Server & { __paretoPeer?: boolean };
  if (proto.__paretoPeer) return;
  proto.__paretoPeer = true;
  const nonce = peerNonce();
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = `${nonce} ${req.socket?.remoteAddress ?? ""}`;
    }
    return emit.call(this, event, ...args);
  } as typeof proto.emit;
}
