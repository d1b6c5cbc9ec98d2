/**
 * The language identifiers the langid bench compares, behind one shape: `detect(texts, only)` → one ISO 639-1 code
 * (or "" for no answer) per text, each system restricted to the closed set `only` as its own API allows:
 * - Pareto: featurize (lib/models/text/featurize.ts, as the server does) + onnxruntime-node, one intra-op thread;
 *   restricted by taking the arg-max over the labels in `only`.
 * - franc 6: `franc(text, {only, minLength: 1})` with ISO 639-3 codes (its default minLength of 10 would answer
 *   "und" for every two-word input); its 639-3 answers mapped back to 639-1 below.
 * - eld 2 (large database): `setLanguageSubset(only ∩ its 60 languages)`.
 * - tinyld 1.3 (normal build): `detect(text, {only})`.
 * Every peer is called the way its README shows; nothing is patched.
 */
import fs from "node:fs";
import path from "node:path";
import * as ort from "onnxruntime-node";
import { inspectOnnx } from "@/lib/models/onnx/inspect";
import { featurizeBatch } from "@/lib/models/text/featurize";
import { parseTextSpec, TEXT_METADATA_KEY, type TextModelSpec } from "@/lib/models/text/spec";

export interface LangidSystem {
  id: string;
  label: string;
  /** ISO 639-1 codes it can answer. */
  languages: ReadonlySet<string>;
  /** Restricts the answers to `only` (a subset of `languages`); call before detect. */
  restrict(only: readonly string[]): void;
  /** One text per call (what a per-request caller does). */
  detectOne(text: string): Promise<string>;
}

// ---- franc: ISO 639-3 (its codes) → 639-1 ---------------------------------------------------------------------

/** franc's codes for our labels (macro-language members where franc uses them: arb, pes, zlm, swh, uzn, khk…). */
export const FRANC_TO_ISO1: Readonly<Record<string, string>> = {
  afr: "af", amh: "am", arb: "ar", azj: "az", bel: "be", bul: "bg", ben: "bn", bos: "bs", cat: "ca", ces: "cs",
  dan: "da", deu: "de", ell: "el", eng: "en", epo: "eo", spa: "es", ekk: "et", pes: "fa", fin: "fi", fra: "fr",
  glg: "gl", guj: "gu", hau: "ha", heb: "he", hin: "hi", hrv: "hr", hun: "hu", hye: "hy", ind: "id", ibo: "ig",
  ita: "it", jpn: "ja", kat: "ka", kaz: "kk", khm: "km", kan: "kn", kor: "ko", kir: "ky", lit: "lt", lvs: "lv",
  plt: "mg", mkd: "mk", mal: "ml", khk: "mn", mar: "mr", zlm: "ms", mya: "my", npi: "ne", nld: "nl", nob: "no",
  pan: "pa", pol: "pl", pbu: "ps", por: "pt", ron: "ro", rus: "ru", sin: "si", slk: "sk", slv: "sl", als: "sq",
  srp: "sr", swe: "sv", swh: "sw", tam: "ta", tel: "te", tgk: "tg", tha: "th", tgl: "tl", tur: "tr", ukr: "uk",
  urd: "ur", uzn: "uz", vie: "vi", yor: "yo", cmn: "zh", zul: "zu",
};

interface FrancModule {
  franc(text: string, options?: { only?: string[]; minLength?: number }): string;
}

export async function francSystem(): Promise<LangidSystem> {
  const { franc } = (await import("franc")) as unknown as FrancModule;
  const iso1to3 = new Map(Object.entries(FRANC_TO_ISO1).map(([three, one]) => [one, three]));
  let only: string[] = [];
  return {
    id: "franc",
    label: "franc 6.2 (trigrams from UDHR)",
    languages: new Set(Object.values(FRANC_TO_ISO1)),
    restrict: (langs) => {
      only = langs.map((l) => iso1to3.get(l)!);
    },
    detectOne: async (text) => FRANC_TO_ISO1[franc(text, { only, minLength: 1 })] ?? "",
  };
}

// ---- eld --------------------------------------------------------------------------------------------------------

interface EldModule {
  eld: {
    load(size: string): Promise<boolean>;
    detect(text: string): { language: string };
    setLanguageSubset(langs: string[] | false): unknown;
    info(): { Languages: Record<string, string> };
  };
}

export async function eldSystem(): Promise<LangidSystem> {
  const { eld } = (await import("eld")) as unknown as EldModule;
  await eld.load("large");
  const languages = new Set(Object.values(eld.info().Languages));
  return {
    id: "eld",
    label: "eld 2.1 (large database)",
    languages,
    restrict: (langs) => {
      eld.setLanguageSubset(langs.filter((l) => languages.has(l)));
    },
    detectOne: async (text) => eld.detect(text).language ?? "",
  };
}

// ---- tinyld -----------------------------------------------------------------------------------------------------

interface TinyldModule {
  detect(text: string, opts?: { only?: string[] }): string;
  toISO2(iso3: string): string;
  supportedLanguages: string[];
}

export async function tinyldSystem(): Promise<LangidSystem> {
  const t = (await import("tinyld")) as unknown as TinyldModule;
  const languages = new Set(t.supportedLanguages.map((c) => t.toISO2(c)).filter((c) => c.length === 2));
  let only: string[] = [];
  return {
    id: "tinyld",
    label: "tinyld 1.3 (normal build)",
    languages,
    restrict: (langs) => {
      only = langs.filter((l) => languages.has(l));
    },
    detectOne: async (text) => t.detect(text, { only }) ?? "",
  };
}

// ---- Pareto -----------------------------------------------------------------------------------------------------

export interface ParetoModel {
  variant: string;
  spec: TextModelSpec;
  bytes: number;
  session: ort.InferenceSession;
}

export async function loadParetoModel(file: string): Promise<ParetoModel> {
  const bytes = fs.readFileSync(file);
  const meta = inspectOnnx(bytes);
  const spec = parseTextSpec(meta.metadata[TEXT_METADATA_KEY]);
  const session = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
  });
  return { variant: path.basename(file, ".onnx"), spec, bytes: bytes.length, session };
}

/** Class probabilities [n, C] for a batch of texts, through the same featurize + graph as the server. */
export async function paretoProbabilities(m: ParetoModel, texts: readonly string[]): Promise<Float32Array> {
  const { indices, values, width } = featurizeBatch(texts, m.spec.featurizer);
  const out = await m.session.run({
    indices: new ort.Tensor("int64", indices, [texts.length, width]),
    values: new ort.Tensor("float32", values, [texts.length, width]),
  });
  return out.probabilities.data as Float32Array;
}

export function paretoSystem(m: ParetoModel): LangidSystem & { detectBatch(texts: readonly string[]): Promise<string[]> } {
  const labels = m.spec.labels;
  let allowed: number[] = labels.map((_, i) => i);
  const pick = (p: Float32Array, row: number): string => {
    let best = allowed[0];
    for (const c of allowed) if (p[row * labels.length + c] > p[row * labels.length + best]) best = c;
    return labels[best];
  };
  return {
    id: `pareto-${m.variant}`,
    label: `Pareto langid ${m.variant} (${m.spec.kind}, 2^${Math.log2(m.spec.featurizer.buckets)} buckets)`,
    languages: new Set(labels),
    restrict: (langs) => {
      const set = new Set(langs);
      allowed = labels.flatMap((l, i) => (set.has(l) ? [i] : []));
    },
    detectOne: async (text) => pick(await paretoProbabilities(m, [text]), 0),
    detectBatch: async (texts) => {
      const p = await paretoProbabilities(m, texts);
      return texts.map((_, i) => pick(p, i));
    },
  };
}
