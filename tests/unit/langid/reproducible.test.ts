/**
 * The committed language identifier (models/langid) is what scripts/train-langid.ts makes: re-training the smallest
 * variant from the committed corpus gives the same bytes; every committed file matches the manifest and carries its
 * spec; and the evaluation set shares no text with the training corpus.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { loadLangidSet } from "@/bench/langid/eval-set";
import { readManifest } from "@/bench/langid/manifest";
import { inspectOnnx } from "@/lib/models/onnx/inspect";
import { featurizeBatch, normalizeText } from "@/lib/models/text/featurize";
import { parseTextSpec, TEXT_METADATA_KEY } from "@/lib/models/text/spec";
import { LABELS } from "@/scripts/langid/languages";
import { readCorpus } from "@/scripts/langid/samples";
import { CORPUS_FILE, LANGID_DIR, trainingData, trainVariant, VARIANTS } from "@/scripts/langid/variants";

const sha256 = (b: Uint8Array) => crypto.createHash("sha256").update(b).digest("hex");
const manifest = readManifest();

describe("committed langid files", () => {
  it("lists every variant of scripts/langid/variants.ts, the default among them", () => {
    expect(manifest.variants.map((v) => v.name)).toEqual(VARIANTS.map((v) => v.name));
    expect(manifest.variants.map((v) => v.name)).toContain(manifest.default);
    expect(manifest.labels).toEqual([...LABELS]);
    expect(manifest.corpus.sha256).toBe(sha256(fs.readFileSync(CORPUS_FILE)));
  });

  it.each(manifest.variants.map((v) => [v.name, v] as const))("%s: bytes match the manifest, the spec rides inside, ≤ 4.5 MB", (_, v) => {
    const bytes = fs.readFileSync(path.join(LANGID_DIR, v.file));
    expect(sha256(bytes)).toBe(v.sha256);
    expect(bytes.length).toBe(v.bytes);
    expect(bytes.length).toBeLessThanOrEqual(4.5e6);
    const spec = parseTextSpec(inspectOnnx(bytes).metadata[TEXT_METADATA_KEY]);
    expect(spec.labels).toEqual(manifest.labels);
    expect(spec.featurizer).toEqual(v.featurizer);
    expect(spec.kind).toBe(v.kind);
  });

  it.each(manifest.variants.map((v) => [v.name, v] as const))("%s: identifies plain sentences through featurize + onnxruntime", async (_, v) => {
    const bytes = fs.readFileSync(path.join(LANGID_DIR, v.file));
    const spec = parseTextSpec(inspectOnnx(bytes).metadata[TEXT_METADATA_KEY]);
    const cases: [string, string][] = [
      ["The weather is nice today and we are going to the park.", "en"],
      ["Das Wetter ist heute schön und wir gehen in den Park.", "de"],
      ["Il fait beau aujourd'hui et nous allons au parc.", "fr"],
      ["Сегодня хорошая погода, и мы идём в парк.", "ru"],
      ["今天天气很好，我们去公园散步。", "zh"],
      ["今日はいい天気なので、公園に行きます。", "ja"],
      ["오늘은 날씨가 좋아서 공원에 갑니다.", "ko"],
      ["الطقس جميل اليوم وسنذهب إلى الحديقة.", "ar"],
    ];
    const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
    try {
      const { indices, values, width } = featurizeBatch(cases.map((c) => c[0]), spec.featurizer);
      const out = await session.run({
        indices: new ort.Tensor("int64", indices, [cases.length, width]),
        values: new ort.Tensor("float32", values, [cases.length, width]),
      });
      const p = out.probabilities.data as Float32Array;
      const C = spec.labels.length;
      const got = cases.map((_, i) => spec.labels[p.subarray(i * C, (i + 1) * C).reduce((best, x, c, row) => (x > row[best] ? c : best), 0)]);
      expect(got).toEqual(cases.map((c) => c[1]));
    } finally {
      await session.release();
    }
  });
});

describe("langid evaluation set", () => {
  it("shares no text with the training corpus, and every label is one of the model's", () => {
    const corpus = new Set(readCorpus(CORPUS_FILE).map((r) => normalizeText(r.text)));
    const items = loadLangidSet();
    expect(items.length).toBeGreaterThan(10_000);
    const leaked = items.filter((i) => i.kind === "sentence" && corpus.has(normalizeText(i.text)));
    expect(leaked).toEqual([]);
    expect(items.filter((i) => !LABELS.includes(i.lang))).toEqual([]);
  });
});

describe("scripts/train-langid.ts is reproducible", () => {
  // Re-trains the smallest variant exactly as the script does (a few minutes on a busy 2-core machine).
  it(`re-training "${VARIANTS[0].name}" gives the committed bytes`, () => {
    const def = VARIANTS[0];
    const { sha256: got, candidate } = trainVariant(def, trainingData());
    const committed = manifest.variants.find((v) => v.name === def.name)!;
    expect(candidate.name).toBe(def.config.name);
    expect(got).toBe(committed.sha256);
  }, 900_000);
});
