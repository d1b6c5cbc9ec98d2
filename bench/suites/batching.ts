/**
 * Dynamic batching: 16 concurrent callers through the runtime (2 workers, 8 slots each) with batching on and
 * off. Same workers, same requests; throughput ratio, batch sizes actually formed, and whether results change.
 * A raw ONNX Runtime table gives the ceiling: how much cheaper a row gets in a batch of n, before any pipeline.
 */
import type { OcrResult } from "@/lib/models/ocr";
import type { VadResult } from "@/lib/models/vad";
import type { RunResult, Runtime } from "@/lib/runtime";
import { newRuntime, pool } from "../lib/contexts";
import { every, loadOcrSet, loadVadSet } from "../lib/data";
import { fixed, times } from "../lib/format";
import { fastest, foreignRange, measure, type Pass } from "../lib/passes";
import { rawSileroCost } from "../lib/raw-ort";
import { mean, sum } from "../lib/stats";
import { runSuite } from "../lib/suite";

const CALLERS = 16;

interface Job {
  key: string;
  bytes: Buffer;
}

interface Outcome {
  results: Map<string, unknown>;
  /** Rows in the run each model call was part of, per weight. */
  batchSizes: Map<string, number[]>;
  /** Model time attributed to the requests (each call's share of its run), summed, in ms. */
  modelMs: number;
}

async function drive(rt: Runtime, modelId: string, jobs: readonly Job[], options: Record<string, unknown> = {}): Promise<Outcome> {
  const results = new Map<string, unknown>();
  const batchSizes = new Map<string, number[]>();
  let modelMs = 0;
  await pool(jobs, CALLERS, async (job) => {
    const r: RunResult<{ result: unknown }> = await rt.run(modelId, job.bytes, options);
    if (!results.has(job.key)) results.set(job.key, r.output.result);
    for (const b of r.stats.batches) {
      modelMs += b.ms;
      const list = batchSizes.get(b.weightKey) ?? [];
      list.push(b.size);
      batchSizes.set(b.weightKey, list);
    }
  });
  return { results, batchSizes, modelMs };
}

runSuite("batching", "Dynamic batching, 16 concurrent callers", async (ctx) => {
  const reps = 2;
  const on = newRuntime({ workers: 2, intraOpThreads: 1, batching: true });
  const off = newRuntime({ workers: 2, intraOpThreads: 1, batching: false });
  const runtimes = [
    { label: "batching on", rt: on },
    { label: "batching off", rt: off },
  ];

  const vad = loadVadSet();
  const vadCopies = ctx.quick ? 1 : 2;
  const vadJobs: Job[] = Array.from({ length: vadCopies }, () => vad.map((it) => ({ key: it.file, bytes: it.bytes }))).flat();
  const vadAudio = vadCopies * sum(vad.map((it) => it.durationS));
  // Model calls per VAD pass: one per 512 samples at 16 kHz.
  const vadFrames = vadCopies * sum(vad.map((it) => Math.ceil((it.durationS * 16000) / 512)));
  const ocr = loadOcrSet();
  const ocrJobs: Job[] = ocr.map((it) => ({ key: it.file, bytes: it.bytes }));

  const workloads = [
    // Probabilities are requested so equality can be checked frame by frame (~7,000 numbers per pass: negligible).
    { task: "VAD v5", modelId: "silero-vad-v5", jobs: vadJobs, options: { returnProbabilities: true }, unit: "× realtime", amount: vadAudio, warm: every(vadJobs, 5), per: "frame", units: vadFrames, scale: 1000 },
    { task: "OCR det960", modelId: "ppocr-v4-det960", jobs: ocrJobs, options: {}, unit: "images/s", amount: ocrJobs.length, warm: every(ocrJobs, 4), per: "image", units: ocrJobs.length, scale: 1 },
  ];

  const rows: string[][] = [];
  const ratios: Record<string, { wall: number; cpu: number }> = {};
  const meanBatch: Record<string, number> = {};
  /**
   * Per unit (µs per VAD frame, ms per OCR image): all threads' CPU, and the model time the workers attributed.
   * The latter is wall time around session.run in the worker, which includes waiting for the worker's event loop
   * (other requests' JS) and preemption, so it is kept in the JSON only.
   */
  const perUnit: Record<string, { cpu: number; model: number }> = {};
  const identical: Record<string, { text: string; same: boolean }> = {};
  const allPasses: Pass[] = [];
  for (const w of workloads) {
    for (const { rt } of runtimes) await drive(rt, w.modelId, w.warm, w.options);
    const passes = new Map(runtimes.map((r) => [r.label, [] as Pass[]]));
    const outcomes = new Map(runtimes.map((r) => [r.label, [] as Outcome[]]));
    const first = new Map<string, Outcome>();
    for (let rep = 0; rep < reps; rep++) {
      for (const r of rep % 2 === 0 ? runtimes : [...runtimes].reverse()) {
        const { value: o, pass } = await measure(() => drive(r.rt, w.modelId, w.jobs, w.options));
        passes.get(r.label)!.push(pass);
        outcomes.get(r.label)!.push(o);
        allPasses.push(pass);
        if (!first.has(r.label)) first.set(r.label, o);
        ctx.log(`${w.task} ${r.label} rep ${rep + 1}: ${fixed(w.amount / (pass.wallMs / 1000), 1)} ${w.unit} (other processes: ${Math.round(pass.foreignShare * 100)} % CPU)`);
      }
    }
    const best = (label: string) => fastest(passes.get(label)!);
    const rate = (label: string) => w.amount / (best(label).wallMs / 1000);
    // Work per CPU-second our process spent: insensitive to other processes taking cores away.
    const perCpu = (label: string) => w.amount / best(label).selfCpuS;
    const ratio = { wall: rate("batching on") / rate("batching off"), cpu: perCpu("batching on") / perCpu("batching off") };
    ratios[w.task] = ratio;
    for (const r of runtimes) {
      // Figures of the fastest pass (batch sizes and model time vary little between passes).
      const o = outcomes.get(r.label)![passes.get(r.label)!.indexOf(best(r.label))];
      const sizes = [...o.batchSizes.entries()].map(([k, v]) => `${k.replace(/^ppocr-|^silero-vad-/, "")} ${fixed(mean(v), 1)}`).join(", ");
      if (r.label === "batching on" && w.task.startsWith("VAD")) meanBatch[w.task] = mean(o.batchSizes.get("silero-vad-v5") ?? []);
      const isOn = r.label === "batching on";
      const u = w.scale === 1000 ? "µs" : "ms";
      perUnit[`${w.task}/${r.label}`] = { cpu: (best(r.label).selfCpuS * 1000 * w.scale) / w.units, model: (o.modelMs * w.scale) / w.units };
      rows.push([
        w.task,
        r.label,
        `${fixed(rate(r.label), 1)} ${w.unit}`,
        isOn ? times(ratio.wall) : "1.00×",
        fixed(best(r.label).selfCpuS / (best(r.label).wallMs / 1000), 2),
        isOn ? times(ratio.cpu) : "1.00×",
        `${fixed((best(r.label).selfCpuS * 1000 * w.scale) / w.units, 0)} ${u}`,
        sizes,
      ]);
    }

    // Equality between the two runtimes' results for every input.
    const a = first.get("batching on")!.results;
    const b = first.get("batching off")!.results;
    let differ = 0;
    let maxDp = 0;
    for (const [key, ra] of a) {
      const rb = b.get(key);
      if (w.task.startsWith("VAD")) {
        const va = ra as VadResult, vb = rb as VadResult;
        if (JSON.stringify(va.segments) !== JSON.stringify(vb.segments)) differ++;
        va.probabilities!.forEach((p, i) => (maxDp = Math.max(maxDp, Math.abs(p - vb.probabilities![i]))));
      } else {
        const ta = (ra as OcrResult).lines.map((l) => l.text).join("\n");
        const tb = (rb as OcrResult).lines.map((l) => l.text).join("\n");
        if (ta !== tb) differ++;
      }
    }
    identical[w.task] = {
      same: differ === 0,
      text: w.task.startsWith("VAD")
        ? `${differ} of ${a.size} clips with different segments; max |Δ probability| ${maxDp === 0 ? "0" : maxDp.toExponential(1)} (probabilities are reported rounded to 1e-4)`
        : `${differ} of ${a.size} images with different text`,
    };
    ctx.data(`${w.task} passes`, Object.fromEntries(passes));
  }
  await Promise.all([on.close(), off.close()]);

  ctx.table({
    title: `Dynamic batching: ${CALLERS} concurrent callers, 2 workers × 8 slots, 1 intra-op thread each`,
    columns: ["workload", "runtime", "throughput", "ratio", "cores busy", "ratio per CPU-second", "CPU per frame/image", "mean rows per model run, by weight"],
    rows,
    notes: [
      `VAD: the 50 eval clips ×${vadCopies} (${fixed(vadAudio, 0)} s of audio) pulled by ${CALLERS} callers; OCR: the ${ocr.length} eval images. Fastest of ${reps} pass(es), on/off alternating; other processes used ${foreignRange(allPasses)} of the CPU during them.`,
      "'cores busy' = this process's CPU seconds / wall seconds in that pass; 'per CPU-second' divides the work by our own CPU time, which outside load does not distort.",
      "'CPU per frame/image' = all our threads' CPU time in the fastest pass / frames (VAD, 512 samples each) or images (OCR).",
      "'rows per model run' is averaged over model calls (what each call experienced). OCR det is never batched (image sizes differ); only rec calls of the same width bucket can merge.",
    ],
  });
  for (const [task, r] of Object.entries(identical)) ctx.note(`${task}, batching on vs off: ${r.text}.`);

  const raw = await rawSileroCost("silero-vad-v5", [1, 2, 4, 8, 16, 32], ctx.quick ? 2000 : 4000);
  const one = raw.get(1)!;
  ctx.table({
    title: "Ceiling: Silero v5 raw session.run cost per row by batch size (1 thread)",
    columns: ["batch rows", "CPU µs per row", "speed-up per row vs 1"],
    rows: [...raw.entries()].map(([n, us]) => [String(n), fixed(us, 1), times(one / us)]),
    notes: ["No pipeline, no worker: the most batching can save on the model call itself."],
  });

  const vb = meanBatch["VAD v5"];
  const nearest = [...raw.keys()].reduce((a, b) => (Math.abs(b - vb) < Math.abs(a - vb) ? b : a));
  const ceiling = one / raw.get(nearest)!;
  const r = ratios["VAD v5"];
  const onCpu = perUnit["VAD v5/batching on"].cpu;
  const offCpu = perUnit["VAD v5/batching off"].cpu;
  ctx.target({
    target: "Batching throughput ≥ 2.5× (VAD v5, 16 callers, same 2 workers)",
    measured: `${times(r.wall)} wall-clock (${times(r.cpu)} per CPU-second), mean batch ${fixed(vb, 1)} rows`,
    met: r.wall >= 2.5,
    why:
      r.wall < 2.5
        ? [
            `16 callers over 2 workers × 8 slots cap batches at 8 rows, where the model call itself gets only ${times(ceiling)} cheaper per row (raw ONNX Runtime ${fixed(one, 0)} → ${fixed(raw.get(nearest)!, 0)} CPU µs)`,
            `CPU per frame (all threads) went ${fixed(offCpu, 0)} → ${fixed(onCpu, 0)} µs`,
            offCpu > one && onCpu > raw.get(nearest)!
              ? `so about ${fixed(offCpu - one, 0)} → ${fixed(onCpu - raw.get(nearest)!, 0)} µs per frame is spent outside the model (pipeline, batcher, messaging), which batching does not shrink`
              : "",
          ]
            .filter(Boolean)
            .join("; ")
        : undefined,
  });
  ctx.target({ target: "Batching leaves results unchanged (VAD v5)", measured: identical["VAD v5"].text, met: identical["VAD v5"].same });
  ctx.target({ target: "Batching leaves results unchanged (OCR)", measured: identical["OCR det960"].text, met: identical["OCR det960"].same });
  ctx.data("ratios", ratios);
  ctx.data("perUnit", perUnit);
  ctx.data("rawV5UsPerRow", Object.fromEntries(raw));
});
