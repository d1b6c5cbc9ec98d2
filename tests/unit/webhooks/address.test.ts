import { describe, expect, it } from "vitest";
import { classifyAddress, parseV6 } from "@/lib/webhooks/address";

describe("classifyAddress: only public unicast addresses pass", () => {
  it.each([
    // IPv4 public, including the neighbours of refused ranges.
    ["8.8.8.8", null],
    ["1.1.1.1", null],
    ["9.255.255.255", null],
    ["11.0.0.0", null],
    ["100.63.255.255", null],
    ["100.128.0.0", null],
    ["126.255.255.255", null],
    ["128.0.0.0", null],
    ["169.253.255.255", null],
    ["169.255.0.0", null],
    ["172.15.255.255", null],
    ["172.32.0.0", null],
    ["192.167.255.255", null],
    ["192.169.0.0", null],
    ["223.255.255.255", null],
    // IPv4 refused.
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "unspecified"],
    ["10.0.0.1", "private"],
    ["10.255.255.255", "private"],
    ["100.64.0.0", "cgnat"],
    ["100.127.255.255", "cgnat"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["169.254.169.254", "link-local"],
    ["172.16.0.0", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["192.0.2.10", "reserved"],
    ["198.18.0.1", "reserved"],
    ["203.0.113.5", "reserved"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.255", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "multicast"],
    // IPv6 public.
    ["2606:4700:4700::1111", null],
    ["2001:4860:4860::8888", null],
    ["2a00:1450:4001:82b::200e", null],
    // IPv6 refused.
    ["::", "unspecified"],
    ["::1", "loopback"],
    ["0:0:0:0:0:0:0:1", "loopback"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["fec0::1", "private"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["ff02::1", "multicast"],
    ["2001:db8::1", "reserved"],
    ["100::1", "reserved"],
    ["::1.2.3.4", "reserved"],
    // IPv4 inside IPv6: judged by the IPv4 address.
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["0:0:0:0:0:ffff:10.1.2.3", "private"],
    ["::ffff:169.254.169.254", "link-local"],
    ["::ffff:8.8.8.8", null],
    ["64:ff9b::192.168.0.1", "private"],
    ["64:ff9b::8.8.8.8", null],
    ["2002:7f00:0001::1", "loopback"],
    ["2002:0808:0808::1", null],
  ])("%s → %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it.each(["", "localhost", "1.2.3", "::g", "1.2.3.4.5"])("%j is not an address: throws", (s) => {
    expect(() => classifyAddress(s)).toThrow(/not an IP address/);
  });

  it("parses IPv6 into 16 bytes, with compression and a dotted tail", () => {
    expect(parseV6("::ffff:1.2.3.4")).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 1, 2, 3, 4]);
    expect(parseV6("1:2:3:4:5:6:7:8")).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 0, 7, 0, 8]);
    expect(parseV6("1::8")).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 8]);
    expect(parseV6("1:2:3:4:5:6:1.2.3.4")).toEqual([0, 1, 0, 2, 0, 3, 0, 4, 0, 5, 0, 6, 1, 2, 3, 4]);
  });
});
