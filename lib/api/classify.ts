import "server-only";
import { encodeTexts, type ClassifyResult } from "@/lib/models/text/classify";
import { getRuntime } from "@/lib/runtime";
import { chooseModel } from "@/lib/selection/auto";
import type { MeteredContext } from "./route";
import { withQuota } from "./quota-run";
import { classifyInput, classifyResponse } from "./schemas/inference";
import { parseJson } from "./validation";

/** 256 texts of 10,000 characters, each up to 4 bytes in UTF-8, with JSON quoting: a body past this is not one. */
const MAX_BODY_BYTES = 12 * 1024 * 1024;

type Text = { task: "text"; result: ClassifyResult };

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * POST /api/v1/classify: parse → resolve the model (`auto` among one family's variants, since only models sharing a
 * label set answer the same question) → reserve quota by characters → classify in a worker → response through its
 * output schema. Units billed are texts.
 */
export async function classifyRequest<P>(ctx: MeteredContext<P>) {
  const o = await parseJson(ctx.req, classifyInput, MAX_BODY_BYTES);
  const texts = typeof o.input === "string" ? [o.input] : o.input;
  const { entry, selection, modelHeader } = await chooseModel(o, "text", ctx);
  if (modelHeader) ctx.headers["x-pareto-model"] = modelHeader;
  let chars = 0;
  for (const t of texts) chars += t.length;
  const run = await withQuota<Text, P, { kind: "chars"; units: number }>(
    ctx,
    entry,
    () => getRuntime().run<Text>(entry.id, encodeTexts(texts), { topK: o.top_k ?? 1 }, { signal: ctx.req.signal, handOver: true }),
    "input",
    { kind: "chars", units: chars },
  );
  ctx.usage.units = texts.length;
  ctx.usage.unitKind = "text";
  return {
    body: classifyResponse.parse({
      id: ctx.requestId,
      object: "classification",
      model: entry.modelId,
      data: run.output.result.items.map((it, index) => ({ index, label: it.label, score: round(it.score), labels: it.labels.map((l) => ({ label: l.label, score: round(l.score) })) })),
      usage: { compute_ms: ctx.usage.computeMs, units: texts.length },
      ...(selection ? { selection } : {}),
    }),
  };
}
