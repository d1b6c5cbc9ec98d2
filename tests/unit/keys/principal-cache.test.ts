import { describe, expect, it } from "vitest";
import { channelWorking, entryTtlMs, PrincipalCache, type ChannelHealth, type TtlSettings } from "@/lib/keys/principal-cache";

const fixed = (ms: number) => () => ms;

describe("PrincipalCache", () => {
  it("serves an entry until its TTL, then drops it", () => {
    const c = new PrincipalCache<string>(10);
    expect(c.set("h", "v", { keyId: "k" }, c.token(), 1_000)).toBe(true);
    expect(c.get("h", 1_999, fixed(1_000))).toBe("v");
    expect(c.get("h", 2_000, fixed(1_000))).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("applies the TTL policy as it is when read: a shorter TTL shortens entries already stored", () => {
    const c = new PrincipalCache<string>(10);
    c.set("h", "v", {}, c.token(), 0);
    expect(c.get("h", 5_000, fixed(60_000))).toBe("v");
    expect(c.get("h", 5_001, fixed(1_000))).toBeUndefined();
  });

  it("holds at most maxEntries, evicting the least recently used", () => {
    const c = new PrincipalCache<number>(3);
    for (const k of ["a", "b", "c"]) c.set(k, 1, {}, c.token(), 0);
    expect(c.get("a", 1, fixed(1_000))).toBe(1); // a is now the most recent; b the least
    c.set("d", 1, {}, c.token(), 0);
    expect(c.size).toBe(3);
    expect(c.get("b", 1, fixed(1_000))).toBeUndefined();
    for (const k of ["a", "c", "d"]) expect(c.get(k, 1, fixed(1_000))).toBe(1);
  });

  it("stays bounded whatever is stored", () => {
    const c = new PrincipalCache<number>(100);
    for (let i = 0; i < 10_000; i++) c.set(`k${i}`, i, {}, c.token(), 0);
    expect(c.size).toBe(100);
    expect(c.get("k9999", 1, fixed(1_000))).toBe(9999);
    expect(c.get("k0", 1, fixed(1_000))).toBeUndefined();
  });

  it("invalidates by key, by user and by plan, and only what matches", () => {
    const c = new PrincipalCache<string>(10);
    c.set("h1", "k1", { keyId: "k1", userId: "u1", planId: "free" }, c.token(), 0);
    c.set("h2", "k2", { keyId: "k2", userId: "u1", planId: "free" }, c.token(), 0);
    c.set("h3", "k3", { keyId: "k3", userId: "u2", planId: "pro" }, c.token(), 0);
    c.set("h4", "k4", { keyId: "k4", userId: "u3", planId: null }, c.token(), 0);
    const live = () => ["h1", "h2", "h3", "h4"].filter((h) => c.get(h, 1, fixed(1_000)) !== undefined);

    expect(c.invalidate({ keyId: "k2" })).toBe(1);
    expect(live()).toEqual(["h1", "h3", "h4"]);
    expect(c.invalidate({ planId: "pro" })).toBe(1);
    expect(live()).toEqual(["h1", "h4"]);
    expect(c.invalidate({ userId: "u1" })).toBe(1);
    expect(live()).toEqual(["h4"]);
    expect(c.invalidate({ userId: "nobody" })).toBe(0);
    expect(live()).toEqual(["h4"]);
  });

  it("does not store what a lookup read before an invalidation (the change could be cached over)", () => {
    const c = new PrincipalCache<string>(10);
    const before = c.token();
    c.invalidate({ keyId: "unrelated" }); // any change while the read was in flight
    expect(c.set("h", "stale", { keyId: "k" }, before, 0)).toBe(false);
    expect(c.get("h", 1, fixed(1_000))).toBeUndefined();
    const after = c.token();
    expect(c.set("h", "fresh", { keyId: "k" }, after, 0)).toBe(true);
    c.clear();
    expect(c.size).toBe(0);
    expect(c.set("h", "stale", { keyId: "k" }, after, 0)).toBe(false);
  });
});

describe("entryTtlMs: the long TTL only while the invalidation channel is known to work", () => {
  const s: TtlSettings = { shortMs: 1_000, longMs: 60_000, heartbeatWindowMs: 3_000 };
  const h = (subscribedAt: number | null, lastHeartbeatSentAt: number): ChannelHealth => ({ subscribedAt, lastHeartbeatSentAt });

  it("no Redis (never subscribed): short", () => {
    expect(entryTtlMs(h(null, 0), s, 10_000, 10_001)).toBe(1_000);
    expect(channelWorking(h(null, 0), s, 10_001)).toBe(false);
  });

  it("subscribed, own heartbeat back within the window, entry stored under this subscription: long", () => {
    expect(entryTtlMs(h(10_000, 11_000), s, 10_500, 12_000)).toBe(60_000);
    expect(channelWorking(h(10_000, 11_000), s, 12_000)).toBe(true);
  });

  it("subscribed but no heartbeat back yet: short", () => {
    expect(entryTtlMs(h(10_000, 0), s, 10_500, 10_600)).toBe(1_000);
  });

  it("the heartbeat stopped coming back (a silently dead connection): short, for entries stored before too", () => {
    expect(entryTtlMs(h(10_000, 11_000), s, 10_500, 14_001)).toBe(1_000);
    expect(channelWorking(h(10_000, 11_000), s, 14_001)).toBe(false);
  });

  it("an entry stored before the current subscription (messages may have been lost in between): short", () => {
    expect(entryTtlMs(h(20_000, 21_000), s, 19_999, 21_500)).toBe(1_000);
  });

  it("a heartbeat sent before the current subscription proves nothing about it", () => {
    expect(channelWorking(h(20_000, 19_500), s, 20_100)).toBe(false);
  });
});
