/**
 * ONNX Runtime's CPU arena keeps every buffer it grew to. Text detection uses it for ordinary inputs only
 * (lib/runtime/session-context.ts): one 40 MP image at det_limit_side 4096 (~1.7 GB at its peak) must give its
 * memory back, or the decode budget (lib/runtime/admission.ts) would admit memory that never returns. With the
 * arena for every size this process kept ~2.2 GB after the same sequence; without it, or as shipped, a few hundred MB.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Runtime, runtimeConfigFromEnv } from "@/lib/runtime";
import { blankPng } from "@/tests/support/hostile";

const root = path.resolve(__dirname, "../../..");
const signs = ["sign-en.png", "notice-zh.png", "mixed-card.png"].map((f) => fs.readFileSync(path.join(root, "public/samples", f)));

function memoryMb(): { rss: number; peak: number } {
  const text = fs.readFileSync("/proc/self/status", "utf8");
  const mb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1]) / 1024;
  return { rss: mb("VmRSS"), peak: mb("VmHWM") };
}

let rt: Runtime | undefined;
afterAll(() => rt?.close(), 60_000);

describe("memory after a large detection run", () => {
  it("one 40 MP image at det_limit_side 4096, then 10 signs: resident memory ends within 1 GB of where it started", { timeout: 300_000 }, async () => {
    // What is measured is memory, not speed: a loaded machine may take longer than a request's usual deadline.
    rt = new Runtime(runtimeConfigFromEnv({ root, workers: 1, intraOpThreads: 1, timeoutMs: 240_000 }));
    // Warm up: sessions loaded, the arena grown to what ordinary signs need.
    for (const b of [...signs, ...signs]) await rt.run("ppocr-v4-det960", b);
    const warm = memoryMb();

    // 7744 × 5164: just under the default 40 MP cap; at det_limit_side 4096 detection runs on 4096 × 2720.
    const large = await rt.run("ppocr-v4-det960", blankPng(7744, 5164), { detLimitSide: 4096 });
    expect(large.stats.batches.some((b) => b.weightKey === "ppocr-v4-det")).toBe(true);
    const afterLarge = memoryMb();
    for (let i = 0; i < 10; i++) await rt.run("ppocr-v4-det960", signs[i % signs.length]);
    const after = memoryMb();
    console.log(`RSS warm ${warm.rss.toFixed(0)} MB, peak ${afterLarge.peak.toFixed(0)} MB, after the large run ${afterLarge.rss.toFixed(0)} MB, after 10 signs ${after.rss.toFixed(0)} MB`);

    // The large run really was large (otherwise this test could not fail)…
    expect(afterLarge.peak - warm.rss).toBeGreaterThan(1000);
    // …and its memory came back.
    expect(after.rss - warm.rss).toBeLessThan(1024);
  });
});
