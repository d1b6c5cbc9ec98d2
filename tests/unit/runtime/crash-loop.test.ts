import { describe, expect, it } from "vitest";
import { backoffMs, CrashLoop, type CrashLoopOptions } from "@/lib/runtime/crash-loop";

const OPTS: CrashLoopOptions = { baseMs: 200, maxMs: 30_000, tripAfter: 5, stableMs: 10_000 };

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("backoffMs", () => {
  it("doubles from the base and stops at the cap", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffMs(n, 200, 30_000))).toEqual([0, 200, 400, 800, 1600, 3200]);
    expect(backoffMs(8, 200, 30_000)).toBe(25_600);
    expect(backoffMs(9, 200, 30_000)).toBe(30_000);
    expect(backoffMs(10_000, 200, 30_000)).toBe(30_000);
  });
});

describe("CrashLoop", () => {
  it("a worker that never starts is restarted later and later, and the breaker opens after tripAfter deaths", () => {
    const c = clock();
    const loop = new CrashLoop(OPTS, c.now);
    const delays: number[] = [];
    for (let i = 1; i <= 4; i++) {
      delays.push(loop.died(undefined, "Cannot find module 'build/runtime-worker.mjs'"));
      expect(loop.open).toBeUndefined();
      c.advance(delays.at(-1)!);
    }
    delays.push(loop.died(undefined, "Cannot find module 'build/runtime-worker.mjs'"));
    expect(delays).toEqual([200, 400, 800, 1600, 3200]);
    expect(loop.open).toMatchObject({ reason: "Cannot find module 'build/runtime-worker.mjs'", deaths: 5, since: c.now() });
    // It keeps retrying (the fault may go away), never faster than the cap allows once there.
    for (let i = 0; i < 20; i++) delays.push(loop.died(undefined, "still missing"));
    expect(delays.at(-1)).toBe(30_000);
    expect(loop.open?.reason).toBe("still missing");
  });

  it("the breaker closes as soon as a worker starts; a worker that starts and dies at once keeps backing off and re-opens it", () => {
    const c = clock();
    const loop = new CrashLoop(OPTS, c.now);
    for (let i = 0; i < 5; i++) loop.died(undefined, "boom");
    expect(loop.open).toBeDefined();
    loop.started();
    expect(loop.open).toBeUndefined();
    const readyAt = c.now();
    c.advance(50);
    expect(loop.died(readyAt, "died right after start")).toBe(6400);
    expect(loop.open?.reason).toBe("died right after start");
  });

  it("a worker that was up for stableMs and then dies is replaced at once and starts a new count", () => {
    const c = clock();
    const loop = new CrashLoop(OPTS, c.now);
    for (let i = 0; i < 3; i++) loop.died(undefined, "start failure");
    loop.started();
    const readyAt = c.now();
    c.advance(OPTS.stableMs);
    expect(loop.died(readyAt, "fault mid-request")).toBe(0);
    expect(loop.consecutiveDeaths).toBe(0);
    expect(loop.open).toBeUndefined();
    // The replacement dying at start begins again from the base delay.
    expect(loop.died(undefined, "start failure")).toBe(200);
  });

  it("deaths of healthy workers, however many, never open the breaker", () => {
    const c = clock();
    const loop = new CrashLoop(OPTS, c.now);
    for (let i = 0; i < 50; i++) {
      const readyAt = c.now();
      c.advance(OPTS.stableMs + 1);
      expect(loop.died(readyAt, "fault mid-request")).toBe(0);
    }
    expect(loop.open).toBeUndefined();
  });
});
