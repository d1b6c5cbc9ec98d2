import "server-only";
import type { EntryOutput } from "@/lib/models/run-entry";
import { chooseModel } from "@/lib/selection/auto";
import { readInput } from "./input";
import { refuseDocuments, withJobsHint } from "./jobs-hint";
import type { MeteredContext } from "./route";
import { runMetered } from "./run-model";
import { ocrOptions, ocrResponse, vadOptions, vadResponse } from "./schemas/inference";
import { parseWith } from "./validation";

type Ocr = Extract<EntryOutput, { task: "ocr" }>;
type Vad = Extract<EntryOutput, { task: "vad" }>;

/** POST /api/v1/ocr: parse → resolve model (or route `auto`) → metered run → response through its output schema. */
export async function ocrRequest<P>(ctx: MeteredContext<P>) {
  let bytes: Buffer | null = null;
  try {
    return await ocr(ctx, (b) => (bytes = b));
  } catch (e) {
    throw withJobsHint(e, bytes);
  }
}

async function ocr<P>(ctx: MeteredContext<P>, seen: (b: Buffer) => void) {
  const { bytes, fields } = await readInput(ctx.req, "image");
  seen(Buffer.from(bytes.subarray(0, 64))); // a copy of the head: the input itself is handed over to the runtime
  refuseDocuments(bytes, "image");
  const o = parseWith(ocrOptions, fields);
  const { entry, selection, modelHeader } = await chooseModel(o, "ocr", ctx);
  if (modelHeader) ctx.headers["x-pareto-model"] = modelHeader;
  const options = {
    detLimitSide: o.det_limit_side,
    useAngleCls: o.use_angle_cls,
    boxThresh: o.box_thresh,
    thresh: o.thresh,
    unclipRatio: o.unclip_ratio,
    minScore: o.min_score,
  };
  const run = await runMetered<Ocr, P>(ctx, entry, bytes, stripUndefined(options), "image");
  ctx.usage.units = 1;
  ctx.usage.unitKind = "image";
  const r = run.output.result;
  return { body: ocrResponse.parse({
    id: ctx.requestId,
    object: "ocr.result",
    model: entry.modelId,
    width: r.width,
    height: r.height,
    lines: r.lines.map((l) => ({ text: l.text, confidence: round(l.confidence, 4), box: l.box })),
    usage: { compute_ms: ctx.usage.computeMs, units: 1 },
    ...(selection ? { selection } : {}),
  }) };
}

/** POST /api/v1/vad */
export async function vadRequest<P>(ctx: MeteredContext<P>) {
  let bytes: Buffer | null = null;
  try {
    return await vad(ctx, (b) => (bytes = b));
  } catch (e) {
    throw withJobsHint(e, bytes);
  }
}

async function vad<P>(ctx: MeteredContext<P>, seen: (b: Buffer) => void) {
  const { bytes, fields } = await readInput(ctx.req, "audio");
  seen(Buffer.from(bytes.subarray(0, 64))); // a copy of the head: the input itself is handed over to the runtime
  const o = parseWith(vadOptions, fields);
  const { entry, selection, modelHeader } = await chooseModel(o, "vad", ctx);
  if (modelHeader) ctx.headers["x-pareto-model"] = modelHeader;
  const options = {
    threshold: o.threshold,
    minSpeechMs: o.min_speech_ms,
    minSilenceMs: o.min_silence_ms,
    speechPadMs: o.speech_pad_ms,
    returnProbabilities: o.return_probabilities,
  };
  const run = await runMetered<Vad, P>(ctx, entry, bytes, stripUndefined(options), "audio");
  const r = run.output.result;
  ctx.usage.units = r.durationS;
  ctx.usage.unitKind = "audio_s";
  return { body: vadResponse.parse({
    id: ctx.requestId,
    object: "vad.result",
    model: entry.modelId,
    duration_s: r.durationS,
    sample_rate: r.sampleRate,
    segments: r.segments,
    ...(r.probabilities ? { probabilities: r.probabilities } : {}),
    usage: { compute_ms: ctx.usage.computeMs, units: r.durationS },
    ...(selection ? { selection } : {}),
  }) };
}

function stripUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
