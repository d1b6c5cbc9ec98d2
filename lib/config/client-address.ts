/**
 * Who is on the other end of a request, and did it arrive over https — decided from the TCP peer, never from what
 * the client says about itself. `X-Forwarded-For` and `X-Forwarded-Proto` are believed only when the peer is one
 * of PARETO_TRUSTED_PROXIES (comma-separated addresses or CIDR ranges, empty by default).
 *
 * Where the peer comes from: `next start` hands route handlers a Request whose headers are all the client sent; it
 * sets `x-forwarded-for` to the socket address only when the client did not send one (base-server.js:
 * `req.headers['x-forwarded-for'] ??= socket.remoteAddress`), so the socket address is lost exactly when it
 * matters. lib/boot/peer-stamp.ts therefore subscribes to Node's `http.server.request.start` diagnostics channel,
 * which Node publishes for every request before the server's 'request' listener (Next) runs, and writes the
 * socket address into PEER_HEADER — replacing any value the client sent. The stamp is trusted only once that
 * subscriber is installed in this process (a flag on globalThis, shared by every copy of lib/).
 */
import net from "node:net";

/** Socket address of the request, written by lib/boot/peer-stamp.ts. */
export const PEER_HEADER = "x-pareto-peer";
/** "1" when the request reached the client over https (TLS socket, or a trusted proxy's X-Forwarded-Proto). */
export const HTTPS_HEADER = "x-pareto-https";

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined | null;

function header(headers: HeaderBag, name: string): string | undefined {
  if (!headers) return undefined;
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const v = headers[name];
  return Array.isArray(v) ? v.join(",") : v;
}

/** A bare IP address: strips `[…]`, a `:port` on IPv4, an IPv6 zone, and unwraps IPv4-mapped IPv6. Null if not an IP. */
export function normalizeAddress(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let s = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":"));
  s = s.replace(/%.*$/, "");
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(s);
  if (mapped) s = mapped[1];
  const family = net.isIP(s);
  if (family === 0) return null;
  return family === 6 ? s.toLowerCase() : s;
}

/** The parsed PARETO_TRUSTED_PROXIES: `has(address)` says whether a hop may speak for the client. */
export interface TrustedProxies {
  readonly entries: readonly string[];
  has(address: string | null): boolean;
}

/** Parses "10.0.0.0/8, 127.0.0.1, ::1" (throws an Error naming the first bad entry). Empty text: nobody is trusted. */
export function parseTrustedProxies(text: string): TrustedProxies {
  const list = new net.BlockList();
  const entries: string[] = [];
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const [addrText, prefixText, extra] = part.split("/");
    const addr = normalizeAddress(addrText);
    if (!addr || extra !== undefined || addrText.includes("[")) throw new Error(`"${part}" is not an IP address or CIDR range`);
    const type = net.isIP(addr) === 6 ? "ipv6" : "ipv4";
    if (prefixText === undefined) {
      list.addAddress(addr, type);
    } else {
      const prefix = Number(prefixText);
      if (!/^\d{1,3}$/.test(prefixText) || prefix > (type === "ipv6" ? 128 : 32)) throw new Error(`"${part}" has an invalid prefix length`);
      list.addSubnet(addr, prefix, type);
    }
    entries.push(part);
  }
  return {
    entries,
    has(address) {
      const a = normalizeAddress(address);
      return a !== null && list.check(a, net.isIP(a) === 6 ? "ipv6" : "ipv4");
    },
  };
}

/**
 * The client's address: the peer itself unless the peer is a trusted proxy; then X-Forwarded-For read from the
 * right (each trusted proxy appends the address it saw), stopping at the first hop that is not trusted. Entries
 * left of that hop were written by the client and are ignored. A malformed hop ends the walk at the last good one.
 * Null when the peer is unknown.
 */
export function clientAddress(headers: HeaderBag, peer: string | null, trusted: TrustedProxies): string | null {
  let client = normalizeAddress(peer);
  if (!client) return null;
  const hops = (header(headers, "x-forwarded-for") ?? "").split(",").map((h) => h.trim()).filter(Boolean);
  while (trusted.has(client) && hops.length) {
    const hop = normalizeAddress(hops.pop());
    if (!hop) break;
    client = hop;
  }
  return client;
}

/**
 * Whether the client reached us over https: a TLS socket, or X-Forwarded-Proto from a trusted proxy (its last
 * value: the one the nearest proxy set).
 */
export function isHttps(headers: HeaderBag, peer: string | null, trusted: TrustedProxies, tlsSocket = false): boolean {
  if (tlsSocket) return true;
  if (!trusted.has(peer)) return false;
  const proto = (header(headers, "x-forwarded-proto") ?? "").split(",").map((p) => p.trim().toLowerCase()).filter(Boolean).pop();
  return proto === "https";
}

const g = globalThis as unknown as { __paretoPeerStamp?: boolean };

/** Called by lib/boot/peer-stamp.ts once its subscriber runs for every request of this process. */
export function markPeerStampInstalled(): void {
  g.__paretoPeerStamp = true;
}

/** The request's socket address from the stamp; null when the stamp is not installed (then nothing is believed). */
export function requestPeer(headers: HeaderBag): string | null {
  return g.__paretoPeerStamp ? normalizeAddress(header(headers, PEER_HEADER)) : null;
}

/** Whether the stamp says this request reached the client over https. */
export function requestIsHttps(headers: HeaderBag): boolean {
  return Boolean(g.__paretoPeerStamp) && header(headers, HTTPS_HEADER) === "1";
}
