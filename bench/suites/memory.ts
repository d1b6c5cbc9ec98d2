/**
 * Memory: resident set size of a fresh process running the runtime (2 workers) with all 7 catalog variants
 * loaded and one request served by each, then after a full pass over both eval sets (ONNX Runtime's arenas grow
 * with the largest shapes seen, so one small request each is not the steady state).
 */
import fs from "node:fs";
import { CATALOG } from "@/lib/models/catalog";
import { newRuntime, pool } from "../lib/contexts";
import { loadOcrSet, loadVadSet } from "../lib/data";
import { fixed, mib } from "../lib/format";
import { runSuite } from "../lib/suite";

const GIB = 1024 ** 3;

function status(): { rss: number; hwm: number } {
  const text = fs.readFileSync("/proc/self/status", "utf8");
  const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

runSuite("memory", "Memory with every variant loaded", async (ctx) => {
  const ocr = loadOcrSet();
  const vad = loadVadSet();
  const rows: string[][] = [];
  const snap = (stage: string) => {
    const s = status();
    const m = process.memoryUsage();
    rows.push([stage, mib(s.rss), mib(s.hwm), mib(m.heapUsed), mib(m.external + m.arrayBuffers)]);
    return s;
  };
  snap("process start (eval sets in memory)");
  const rt = newRuntime({ workers: 2, intraOpThreads: 1 });
  // Worker threads start asynchronously; the first load waits for them.
  const t0 = performance.now();
  for (const e of CATALOG) await rt.load(e.id);
  const loadS = (performance.now() - t0) / 1000;
  snap(`all ${CATALOG.length} variants loaded (2 workers)`);
  const ocrSample = ocr.find((i) => i.file.startsWith("para-"))!;
  const vadSample = vad.find((i) => i.file.startsWith("clean-"))!;
  for (const e of CATALOG) await rt.run(e.id, e.task === "ocr" ? ocrSample.bytes : vadSample.bytes);
  const target = snap("+ one request per variant");
  // Sessions are per weight file and shared by variants: det960-cls exercises det (at its largest shapes), cls and
  // rec; the three VAD variants cover the Silero files. Together they touch every loaded session.
  for (const id of ["ppocr-v4-det960-cls", "silero-vad-v4", "silero-vad-v5", "silero-vad-v6"]) {
    const set = id.startsWith("ppocr") ? ocr.map((i) => i.bytes) : vad.map((i) => i.bytes);
    await pool(set, 4, async (b) => void (await rt.run(id, b)));
    ctx.log(`full pass ${id}`);
  }
  const after = snap("+ every eval input through det960-cls and each VAD variant");
  const models = rt.status();
  await rt.close();

  ctx.table({
    title: "Resident memory, runtime with 2 workers",
    columns: ["stage", "RSS", "peak RSS so far", "main JS heap", "main external + ArrayBuffers"],
    rows,
    notes: [`Loading all variants took ${fixed(loadS, 1)} s. RSS covers the whole process: main thread, both workers and ONNX Runtime's native allocations.`],
  });
  ctx.table({
    title: "Registry view per variant (memory added when loaded, as the runtime measures it)",
    columns: ["model", "state", "load ms", "memory (both workers)"],
    rows: models.map((m) => [m.id, m.state, fixed(m.loadMs ?? NaN, 0), m.memoryBytes === undefined ? "n/a" : mib(m.memoryBytes)]),
    notes: ["Variants share weight files: a -cls variant or a second det size loaded after its sibling adds little, which the per-model figures reflect."],
  });
  ctx.target({
    target: "RSS ≤ 1 GiB with all 7 variants loaded (2 workers) and one request each",
    measured: `${mib(target.rss)} (peak ${mib(target.hwm)}; after every eval input through every session ${mib(after.rss)}, peak ${mib(after.hwm)})`,
    met: target.rss <= GIB,
    why: target.rss > GIB ? "see the per-variant table" : undefined,
  });
  ctx.data("rss", { oneEach: target, afterFullPass: after });
});
