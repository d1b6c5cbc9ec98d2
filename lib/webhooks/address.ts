/**
 * Which IP addresses a webhook may not reach: anything that is not a public unicast address. Pure (no DNS): the
 * URL check and each delivery attempt classify every address a host name resolves to with this.
 * IPv6 forms that carry an IPv4 address (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by
 * the IPv4 address inside, so `::ffff:127.0.0.1` is loopback like 127.0.0.1.
 */
import net from "node:net";

export type AddressClass = "loopback" | "private" | "link-local" | "unique-local" | "cgnat" | "multicast" | "unspecified" | "reserved";

/** What each class is called in a refusal message. */
export const CLASS_NAMES: Record<AddressClass, string> = {
  loopback: "a loopback address",
  private: "a private address",
  "link-local": "a link-local address",
  "unique-local": "a unique-local address",
  cgnat: "a carrier-grade NAT (shared) address",
  multicast: "a multicast or broadcast address",
  unspecified: "an unspecified address",
  reserved: "a reserved or documentation address",
};

type V4Range = [a: number, b: number, c: number, d: number, prefix: number, cls: AddressClass];

// Order matters only where ranges nest (none of these do).
const V4: readonly V4Range[] = [
  [0, 0, 0, 0, 8, "unspecified"],
  [10, 0, 0, 0, 8, "private"],
  [100, 64, 0, 0, 10, "cgnat"],
  [127, 0, 0, 0, 8, "loopback"],
  [169, 254, 0, 0, 16, "link-local"],
  [172, 16, 0, 0, 12, "private"],
  [192, 0, 0, 0, 24, "reserved"],
  [192, 0, 2, 0, 24, "reserved"],
  [192, 88, 99, 0, 24, "reserved"],
  [192, 168, 0, 0, 16, "private"],
  [198, 18, 0, 0, 15, "reserved"],
  [198, 51, 100, 0, 24, "reserved"],
  [203, 0, 113, 0, 24, "reserved"],
  [224, 0, 0, 0, 4, "multicast"],
  [240, 0, 0, 0, 4, "reserved"],
];

function v4Number(bytes: readonly number[]): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}

function classifyV4(bytes: readonly number[]): AddressClass | null {
  const n = v4Number(bytes);
  if (n === 0xffffffff) return "multicast"; // limited broadcast
  for (const [a, b, c, d, prefix, cls] of V4) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    if (((n & mask) >>> 0) === ((v4Number([a, b, c, d]) & mask) >>> 0)) return cls;
  }
  return null;
}

function parseV4(s: string): number[] | null {
  if (net.isIPv4(s) === false) return null;
  return s.split(".").map(Number);
}

/** 16 bytes of an IPv6 address (zone id dropped, embedded dotted IPv4 tail accepted), or null. */
export function parseV6(input: string): number[] | null {
  const s = input.split("%")[0];
  if (!net.isIPv6(s)) return null;
  let head = s;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(":");
  if (s.slice(lastColon + 1).includes(".")) {
    const v4 = parseV4(s.slice(lastColon + 1));
    if (!v4) return null;
    tail.push(v4[0], v4[1], v4[2], v4[3]);
    head = s.slice(0, lastColon + 1);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => parseInt(g, 16)));
  const [left, right] = head.includes("::") ? head.split("::") : [head, undefined];
  const l = groups(left);
  const r = right === undefined ? [] : groups(right);
  const missing = 8 - tail.length / 2 - l.length - r.length;
  if (missing < 0 || (right === undefined && missing !== 0)) return null;
  const words = [...l, ...new Array<number>(right === undefined ? 0 : missing).fill(0), ...r];
  const bytes = words.flatMap((w) => [w >> 8, w & 0xff]);
  return [...bytes, ...tail];
}

function classifyV6(b: readonly number[]): AddressClass | null {
  const zeroUpTo = (n: number) => b.slice(0, n).every((x) => x === 0);
  if (zeroUpTo(16)) return "unspecified";
  if (zeroUpTo(15) && b[15] === 1) return "loopback";
  // ::ffff:a.b.c.d (mapped) and 64:ff9b::a.b.c.d (NAT64): the IPv4 address inside decides.
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return classifyV4(b.slice(12));
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && b.slice(4, 12).every((x) => x === 0)) return classifyV4(b.slice(12));
  // ::a.b.c.d (IPv4-compatible, deprecated) and the rest of ::/96.
  if (zeroUpTo(12)) return "reserved";
  // 6to4: 2002:AABB:CCDD::/48 tunnels to a.b.c.d.
  if (b[0] === 0x20 && b[1] === 0x02) return classifyV4(b.slice(2, 6));
  if (b[0] === 0xff) return "multicast";
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0x80) return "link-local";
  if (b[0] === 0xfe && (b[1] & 0xc0) === 0xc0) return "private"; // fec0::/10 site-local (deprecated)
  if ((b[0] & 0xfe) === 0xfc) return "unique-local";
  if (b[0] === 0x20 && b[1] === 0x01 && b[2] === 0x0d && b[3] === 0xb8) return "reserved"; // 2001:db8::/32 documentation
  if (b[0] === 0x01 && b[1] === 0x00 && b.slice(2, 8).every((x) => x === 0)) return "reserved"; // 100::/64 discard
  return null;
}

/** The class of a non-public address, or null for a public one. Throws on text that is not an IP address. */
export function classifyAddress(address: string): AddressClass | null {
  const v4 = parseV4(address);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(address);
  if (v6) return classifyV6(v6);
  throw new Error(`not an IP address: ${address}`);
}
