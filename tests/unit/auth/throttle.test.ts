/**
 * Issue 11 items 5 and 6, on the real counters (in-process and Redis): attempts are counted atomically before the
 * password is checked, and the limit is per (email, client address) with a per-email back-off, so a guesser on one
 * address cannot lock the owner out. The password check here is a real argon2 verification, counted by the same
 * counter /metrics exposes.
 */
import crypto from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { hashPassword, passwordChecks, verifyPassword } from "@/lib/auth/password";
import { SigninThrottle } from "@/lib/auth/throttle";
import { MemoryWindowCounter, RedisWindowCounter, type WindowCounter } from "@/lib/metering/window-counter";

const redisUrl = process.env.PARETO_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
const redisUp = await client.connect().then(
  () => true,
  () => false,
);
afterAll(() => client.quit().catch(() => undefined));

const counters: [string, () => WindowCounter][] = [["memory", () => new MemoryWindowCounter()]];
if (redisUp) counters.push(["redis", () => new RedisWindowCounter(client, `test-h-e:${crypto.randomUUID()}:`)]);

const hash = await hashPassword("right-password");

/** authorize()'s order: admit, check the password, settle. */
async function signIn(t: SigninThrottle, email: string, address: string, password: string): Promise<"ok" | "wrong" | "throttled"> {
  const gate = await t.admit(email, address);
  if (!gate.admitted) return "throttled";
  const ok = await verifyPassword(hash, password);
  await gate.settle(ok);
  return ok ? "ok" : "wrong";
}

describe.each(counters)("sign-in throttle on the %s counter", (_, make) => {
  const throttle = (max = 5, windowMs = 60_000) => new SigninThrottle(make(), () => ({ max, windowMs }));

  it("100 parallel wrong passwords for one account from one address: at most 5 reach the password check", async () => {
    const t = throttle();
    const before = passwordChecks();
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(t, "victim@example.com", "203.0.113.7", `guess-${i}`)));
    expect(passwordChecks() - before).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r === "wrong").length).toBe(passwordChecks() - before);
    expect(results.filter((r) => r === "throttled").length).toBeGreaterThanOrEqual(95);
    // …and the address stays refused, the right password included.
    expect(await signIn(t, "victim@example.com", "203.0.113.7", "right-password")).toBe("throttled");
  });

  it("100 parallel wrong passwords from 100 addresses: the per-email back-off lets through at most 5 + 1", async () => {
    const t = throttle();
    const before = passwordChecks();
    await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(t, "spread@example.com", `198.51.100.${i + 1}`, `guess-${i}`)));
    expect(passwordChecks() - before).toBeLessThanOrEqual(6);
  });

  it("a guesser on one address does not lock the owner out: the owner's address signs in", async () => {
    const t = throttle();
    for (let i = 0; i < 5; i++) expect(await signIn(t, "owner@example.com", "203.0.113.66", `wrong-${i}`)).toBe("wrong");
    expect(await signIn(t, "owner@example.com", "203.0.113.66", "right-password")).toBe("throttled");
    expect(await signIn(t, "owner@example.com", "198.51.100.20", "right-password")).toBe("ok");
  });

  it("an address that signed in before is exempt from the per-email back-off; a new one waits its turn", async () => {
    const t = throttle();
    expect(await signIn(t, "known@example.com", "198.51.100.20", "right-password")).toBe("ok");
    // A distributed guesser: 5 addresses, 5 failures for the email, then the back-off holds the next check.
    for (let i = 0; i < 5; i++) expect(await signIn(t, "known@example.com", `203.0.113.${i + 1}`, "wrong")).toBe("wrong");
    // Two new addresses at once: one takes the 1 s slot, the other is refused without a check (both are admitted
    // or refused before either password check starts, so the slot's length does not matter here).
    const pair = await Promise.all([signIn(t, "known@example.com", "203.0.113.50", "wrong"), signIn(t, "known@example.com", "203.0.113.51", "right-password")]);
    expect(pair.filter((r) => r === "throttled").length).toBe(1);
    expect(await signIn(t, "known@example.com", "198.51.100.20", "right-password")).toBe("ok");
  });

  it("a success clears that address's failures for the account", async () => {
    const t = throttle();
    for (let i = 0; i < 4; i++) await signIn(t, "clears@example.com", "203.0.113.9", "wrong");
    expect(await signIn(t, "clears@example.com", "203.0.113.9", "right-password")).toBe("ok");
    for (let i = 0; i < 5; i++) expect(await signIn(t, "clears@example.com", "203.0.113.9", "wrong")).toBe("wrong");
    expect(await signIn(t, "clears@example.com", "203.0.113.9", "right-password")).toBe("throttled");
  });

  it("one address guessing across many accounts is stopped after 4 × max failures", async () => {
    const t = throttle(2);
    const results: string[] = [];
    for (let i = 0; i < 10; i++) results.push(await signIn(t, `stuff-${i}@example.com`, "203.0.113.99", "wrong"));
    expect(results.slice(0, 8).every((r) => r === "wrong")).toBe(true);
    expect(results.slice(8)).toEqual(["throttled", "throttled"]);
  });

  it("the window ends: the address may try again", async () => {
    // A 5 s window, generous next to one argon2 check on a busy machine; then wait for it to end.
    const t = throttle(1, 5000);
    const start = Date.now();
    expect(await signIn(t, "window@example.com", "203.0.113.5", "wrong")).toBe("wrong");
    expect(await signIn(t, "window@example.com", "203.0.113.5", "right-password")).toBe("throttled");
    await new Promise((r) => setTimeout(r, Math.max(0, start + 5300 - Date.now())));
    expect(await signIn(t, "window@example.com", "203.0.113.5", "right-password")).toBe("ok");
  });
});
