/** Issue 11 item 6: the client address and protocol come from the socket unless the peer is a trusted proxy. */
import { describe, expect, it } from "vitest";
import { clientAddress, isHttps, normalizeAddress, parseTrustedProxies } from "@/lib/config/client-address";

describe("PARETO_TRUSTED_PROXIES parsing", () => {
  it.each([
    ["", [], ["127.0.0.1", "10.0.0.1", "::1"]],
    ["127.0.0.1", ["127.0.0.1", "::ffff:127.0.0.1"], ["127.0.0.2", "::1"]],
    ["10.0.0.0/8, 192.168.1.0/24", ["10.1.2.3", "192.168.1.200"], ["11.0.0.1", "192.168.2.1"]],
    ["::1, fd00::/8", ["::1", "fd12:3456::1"], ["fe80::1", "127.0.0.1"]],
    ["0.0.0.0/0", ["8.8.8.8", "127.0.0.1"], ["::1"]],
  ])("%j trusts %j, not %j", (text, yes, no) => {
    const t = parseTrustedProxies(text);
    for (const a of yes) expect(t.has(a), a).toBe(true);
    for (const a of no) expect(t.has(a), a).toBe(false);
    expect(t.has(null)).toBe(false);
    expect(t.has("not-an-ip")).toBe(false);
  });

  it.each(["localhost", "10.0.0.0/33", "::1/129", "10.0.0.1/8/1", "1.2.3", "10.0.0.0/x", "[::1]"])("refuses %j", (text) => {
    expect(() => parseTrustedProxies(text)).toThrow(/not an IP|prefix/);
  });
});

describe("normalizeAddress", () => {
  it.each([
    ["127.0.0.1", "127.0.0.1"],
    ["::ffff:127.0.0.1", "127.0.0.1"],
    ["203.0.113.7:51234", "203.0.113.7"],
    ["[2001:DB8::1]:443", "2001:db8::1"],
    ["[2001:db8::1]", "2001:db8::1"],
    ["fe80::1%eth0", "fe80::1"],
    [" 198.51.100.2 ", "198.51.100.2"],
    ["unknown", null],
    ["", null],
    ["1.2.3.4.5", null],
    ["<script>", null],
  ])("%j → %j", (raw, out) => {
    expect(normalizeAddress(raw)).toBe(out);
  });
});

describe("clientAddress(headers, peer)", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8, 127.0.0.1");
  const cases: { name: string; peer: string | null; xff?: string; client: string | null; trust?: string }[] = [
    { name: "no proxy configured: the socket, whatever XFF says", peer: "127.0.0.1", xff: "1.1.1.1", client: "127.0.0.1", trust: "" },
    { name: "untrusted peer with a forged chain", peer: "198.51.100.9", xff: "127.0.0.1, 10.0.0.1", client: "198.51.100.9" },
    { name: "trusted proxy, one hop", peer: "10.0.0.5", xff: "203.0.113.7", client: "203.0.113.7" },
    { name: "trusted proxy, client-prepended garbage is ignored", peer: "10.0.0.5", xff: "6.6.6.6, 203.0.113.7", client: "203.0.113.7" },
    { name: "two trusted proxies", peer: "127.0.0.1", xff: "203.0.113.7, 10.0.0.9", client: "203.0.113.7" },
    { name: "trusted proxy without XFF: the proxy itself", peer: "10.0.0.5", client: "10.0.0.5" },
    { name: "every hop trusted: the leftmost", peer: "10.0.0.5", xff: "10.0.0.7, 10.0.0.6", client: "10.0.0.7" },
    { name: "malformed hop stops the walk at the last good one", peer: "10.0.0.5", xff: "203.0.113.7, nonsense", client: "10.0.0.5" },
    { name: "hop with a port", peer: "10.0.0.5", xff: "203.0.113.7:4444", client: "203.0.113.7" },
    { name: "IPv6 client through a trusted proxy", peer: "::ffff:10.0.0.5", xff: "2001:db8::7", client: "2001:db8::7" },
    { name: "IPv4-mapped peer", peer: "::ffff:203.0.113.7", client: "203.0.113.7" },
    { name: "unknown peer", peer: null, xff: "203.0.113.7", client: null },
  ];
  it.each(cases)("$name", ({ peer, xff, client, trust }) => {
    const trusted = trust === undefined ? proxies : parseTrustedProxies(trust);
    const headers = new Headers(xff ? { "x-forwarded-for": xff } : {});
    expect(clientAddress(headers, peer, trusted)).toBe(client);
    // The same through a plain object (next-auth hands authorize() one).
    expect(clientAddress(xff ? { "x-forwarded-for": xff } : {}, peer, trusted)).toBe(client);
  });
});

describe("isHttps(headers, peer)", () => {
  const proxies = parseTrustedProxies("10.0.0.0/8");
  it.each([
    { name: "plain socket, no header", peer: "203.0.113.7", proto: undefined, tls: false, https: false },
    { name: "untrusted peer claiming https", peer: "203.0.113.7", proto: "https", tls: false, https: false },
    { name: "trusted proxy says https", peer: "10.0.0.5", proto: "https", tls: false, https: true },
    { name: "trusted proxy says http", peer: "10.0.0.5", proto: "http", tls: false, https: false },
    { name: "the nearest proxy's value counts", peer: "10.0.0.5", proto: "https, http", tls: false, https: false },
    { name: "TLS socket", peer: "203.0.113.7", proto: undefined, tls: true, https: true },
  ])("$name → $https", ({ peer, proto, tls, https }) => {
    expect(isHttps(new Headers(proto ? { "x-forwarded-proto": proto } : {}), peer, proxies, tls)).toBe(https);
  });
});
