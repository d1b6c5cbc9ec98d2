import "server-only";
import net from "node:net";
import { PEER_HEADER, peerNonce } from "@/lib/boot/peer-header";
import { env } from "@/lib/config/env";

/*
 * The client's address, for per-address limits. The socket's peer (stamped by lib/boot/peer-header.ts) unless that
 * peer is one of PARETO_TRUSTED_PROXIES: then X-Forwarded-For is read from the right, skipping trusted proxies,
 * and the first address not trusted is the client. A client can prepend anything to X-Forwarded-For; only what
 * our own proxies appended counts.
 */

const g = globalThis as unknown as { __paretoTrusted?: { spec: string; list: net.BlockList } };

function normalise(ip: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return v4 ? v4[1] : ip;
}

function trusted(): net.BlockList {
  const spec = env.trustedProxies();
  const key = spec.join(",");
  if (g.__paretoTrusted?.spec !== key) {
    const list = new net.BlockList();
    for (const entry of spec) {
      const [ip, bits] = entry.split("/");
      const type = net.isIP(ip) === 6 ? "ipv6" : "ipv4";
      if (bits === undefined) list.addAddress(ip, type);
      else list.addSubnet(ip, Number(bits), type);
    }
    g.__paretoTrusted = { spec: key, list };
  }
  return g.__paretoTrusted.list;
}

function isTrusted(ip: string): boolean {
  const v = net.isIP(ip);
  return v !== 0 && trusted().check(ip, v === 6 ? "ipv6" : "ipv4");
}

/** The socket's peer as this process's HTTP server saw it; "unknown" when the stamp is missing or forged. */
export function peerAddress(req: Request): string {
  const stamp = req.headers.get(PEER_HEADER) ?? "";
  const [nonce, addr] = stamp.split(" ");
  return nonce === peerNonce() && addr ? normalise(addr) : "unknown";
}

export function clientAddress(req: Request): string {
  let addr = peerAddress(req);
  if (!isTrusted(addr)) return addr;
  const hops = (req.headers.get("x-forwarded-for") ?? "").split(",").map((s) => normalise(s.trim())).filter(Boolean);
  while (hops.length) {
    const hop = hops.pop()!;
    if (!net.isIP(hop)) return addr;
    addr = hop;
    if (!isTrusted(hop)) return hop;
  }
  return addr;
}
