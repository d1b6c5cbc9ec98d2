import { afterEach, describe, expect, it } from "vitest";
import { backoffMs, nextAttemptAt, setWebhookTimingForTests, timing } from "@/lib/webhooks/timing";

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

describe("retry back-off", () => {
  afterEach(() => setWebhookTimingForTests());

  it("waits 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, then 4 h each time", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 20].map((n) => backoffMs(n))).toEqual([5 * S, 30 * S, 2 * MIN, 10 * MIN, 30 * MIN, 1 * H, 2 * H, 4 * H, 4 * H, 4 * H]);
  });

  it("keeps retrying until 24 h after creation, then gives up (null)", () => {
    const created = new Date("2026-12-01T00:00:00Z");
    let now = created;
    const waits: number[] = [];
    for (let attempt = 1; ; attempt++) {
      const next = nextAttemptAt(created, attempt, now);
      if (!next) break;
      waits.push(next.getTime() - now.getTime());
      now = next;
    }
    // 5 s + 30 s + 2 min + 10 min + 30 min + 1 h + 2 h = 3 h 42 min 35 s, then 4 h × 5 = 23 h 42 min 35 s:
    // 13 attempts; the next 4 h would pass 24 h.
    expect(waits).toHaveLength(12);
    expect(now.getTime() - created.getTime()).toBeLessThanOrEqual(24 * H);
    expect(now.getTime() - created.getTime() + 4 * H).toBeGreaterThan(24 * H);
  });

  it("the scale shrinks every step for tests, and the defaults come back", () => {
    setWebhookTimingForTests({ backoffScale: 0.01 });
    expect(backoffMs(1)).toBe(50);
    expect(backoffMs(8)).toBe(144_000);
    setWebhookTimingForTests();
    expect(timing()).toMatchObject({ backoffScale: 1, windowMs: 24 * H, attemptTimeoutMs: 10 * S });
  });
});
