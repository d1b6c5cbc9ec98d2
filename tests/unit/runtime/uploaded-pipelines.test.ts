/**
 * Uploaded `vad` and `ocr` models run the same pipelines as the built-ins, from the files their entry names by
 * role: the built-in weights copied under their SHA-256 (as the registry stores uploads) must answer exactly what
 * the built-ins answer, through the worker runtime with the hash check on. Real models, real worker threads.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { weightSpec, type CatalogEntry, type EntryFile, type Task, type WeightRole } from "@/lib/models/catalog";
import type { OcrResult } from "@/lib/models/ocr";
import { runEntry, type EntryOutput } from "@/lib/models/run-entry";
import type { Feeds, InferenceContext } from "@/lib/models/tensor";
import type { VadResult } from "@/lib/models/vad";
import { modelsDir, resolveWeightPath, uploadedKey, weightPath, type WeightKey } from "@/lib/models/weights";
import { Runtime, runtimeConfigFromEnv } from "@/lib/runtime";
import { SessionContext } from "@/lib/runtime/session-context";

const root = path.resolve(__dirname, "../../..");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-uploaded-"));
// Read lazily by weights.ts, here and in the workers (which copy the environment when they start).
process.env.PARETO_DATA_DIR = dataDir;

const ROLES: Record<WeightKey, WeightRole> = {
  "ppocr-v4-det": "det",
  "ppocr-v4-rec": "rec",
  "ppocr-mobile-v2-cls": "cls",
  "ppocr-keys-v1": "dict",
  "silero-vad-v4": "model",
  "silero-vad-v5": "model",
  "silero-vad-v6": "model",
  "langid-small": "model",
  "langid-medium": "model",
  "langid-large": "model",
};

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/**
 * Stores `bytes` as an upload would (models/<sha256 of `registered`>) and describes it with the built-in's spec
 * under the new key. `registered` differs from `bytes` only to play a file changed after registration.
 */
function upload(builtIn: WeightKey, bytes: Buffer = fs.readFileSync(weightPath(builtIn)), registered: Buffer = bytes): EntryFile {
  const hex = sha(registered);
  fs.mkdirSync(modelsDir(), { recursive: true });
  fs.writeFileSync(path.join(modelsDir(), hex), bytes);
  const key = uploadedKey(hex);
  const spec = weightSpec(builtIn);
  return { key, role: ROLES[builtIn], sha256: hex, bytes: bytes.length, ...(spec ? { spec: { ...spec, key } } : {}) };
}

function entry(modelId: string, task: Task, files: EntryFile[], defaults: CatalogEntry["defaults"]): CatalogEntry {
  return {
    id: `${modelId}@1`,
    modelId,
    builtIn: false,
    family: "uploaded",
    task,
    modality: task === "ocr" ? "image" : task === "vad" ? "audio" : "tensor",
    version: "1",
    variant: "",
    displayName: modelId,
    description: "",
    license: "MIT",
    source: "test",
    weights: files.map((f) => f.key),
    files,
    defaults,
  };
}

const dictBytes = () => fs.readFileSync(weightPath("ppocr-keys-v1"));
/** The PP-OCRv4 dictionary with one line more (its last line has no newline): a recogniser of 6,625 classes cannot use it. */
const longerDict = () => Buffer.from(dictBytes().toString("utf8").replace(/\n?$/, "\n☃\n"));
/** Same size, every ASCII lower-case letter read as its capital: the same model reads upper-case text. */
const shoutingDict = () => Buffer.from(dictBytes().toString("utf8").replace(/^[a-z]$/gm, (c) => c.toUpperCase()));

const ocrFiles = (dict: EntryFile, cls = false) => [upload("ppocr-v4-det"), ...(cls ? [upload("ppocr-mobile-v2-cls")] : []), upload("ppocr-v4-rec"), dict];

let rt: Runtime;
const E = {} as Record<"v5" | "v4" | "tampered" | "ocr" | "ocrCls" | "longDict" | "shout" | "badDict", CatalogEntry>;

beforeAll(() => {
  E.v5 = entry("my-vad", "vad", [upload("silero-vad-v5")], { flavour: "v5" });
  E.v4 = entry("my-legacy-vad", "vad", [upload("silero-vad-v4")], { flavour: "v4" });
  const v6 = fs.readFileSync(weightPath("silero-vad-v6"));
  const changed = Buffer.from(v6);
  changed[changed.length >> 1] ^= 0xff;
  E.tampered = entry("tampered-vad", "vad", [upload("silero-vad-v6", changed, v6)], { flavour: "v5" });
  E.ocr = entry("my-ocr", "ocr", ocrFiles(upload("ppocr-keys-v1")), { detLimitSide: 960, useAngleCls: false });
  E.ocrCls = entry("my-ocr-cls", "ocr", ocrFiles(upload("ppocr-keys-v1"), true), { detLimitSide: 960, useAngleCls: true });
  const long = longerDict();
  E.longDict = entry("long-dict-ocr", "ocr", ocrFiles(upload("ppocr-keys-v1", long)), { detLimitSide: 960, useAngleCls: false });
  E.shout = entry("shouting-ocr", "ocr", ocrFiles(upload("ppocr-keys-v1", shoutingDict())), { detLimitSide: 960, useAngleCls: false });
  // Registered as content no other entry has (a file is named by its hash: a changed shared file fails every user).
  const registered = Buffer.concat([dictBytes(), Buffer.from("✂\n")]);
  E.badDict = entry("bad-dict-ocr", "ocr", ocrFiles(upload("ppocr-keys-v1", shoutingDict(), registered)), { detLimitSide: 960, useAngleCls: false });
  // One worker: entries with different dictionaries must not share a charset there.
  rt = new Runtime(runtimeConfigFromEnv({ root, workers: 1 }));
  rt.syncEntries(Object.values(E));
});

afterAll(async () => {
  await rt.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

type Vad = Extract<EntryOutput, { task: "vad" }>;
type Ocr = Extract<EntryOutput, { task: "ocr" }>;
const vadFiles = [
  path.join(root, "tests/unit/vad/fixtures/fox.wav"),
  path.join(root, "tests/unit/vad/fixtures/recordings.wav"),
  ...["clean-01.wav", "hum-01.wav"].map((f) => path.join(root, "tests/eval-data/vad", f)),
];
const images = [path.join(root, "public/samples/sign-en.png"), ...["mixed-01.png", "zh-01.png", "rot180-01.png"].map((f) => path.join(root, "tests/eval-data/ocr", f))];
const lines = (r: OcrResult) => r.lines.map(({ text, confidence, box }) => ({ text, confidence, box }));

async function vad(id: string, file: string): Promise<Omit<VadResult, "timings">> {
  const r = (await rt.run<Vad>(id, fs.readFileSync(file), { returnProbabilities: true })).output.result;
  // Everything but the timings.
  return { durationS: r.durationS, sampleRate: r.sampleRate, segments: r.segments, probabilities: r.probabilities };
}
async function ocr(id: string, file: string, options: Record<string, unknown> = {}): Promise<OcrResult> {
  return (await rt.run<Ocr>(id, fs.readFileSync(file), options)).output.result;
}

describe("an uploaded VAD model", () => {
  it.each([
    ["v5", "silero-vad-v5"],
    ["v4", "silero-vad-v4"],
  ] as const)("of flavour %s answers exactly what %s answers", { timeout: 120_000 }, async (flavour, builtIn) => {
    for (const f of vadFiles) {
      const mine = await vad(E[flavour].id, f);
      expect(mine.segments.length).toBeGreaterThan(0);
      expect(mine).toEqual(await vad(builtIn, f));
    }
  });

  it("whose bytes changed after registration never loads, and says why", async () => {
    const err = await rt.run(E.tampered.id, fs.readFileSync(vadFiles[0])).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: "model_unavailable" });
    expect((err as Error).message).toMatch(/SHA-256 is [0-9a-f]{64}, registered as [0-9a-f]{64}/);
    expect(rt.status().find((s) => s.id === E.tampered.id)?.state).toBe("FAILED");
  });
});

describe("an uploaded OCR model", () => {
  it("reads exactly what ppocr-v4-det960 reads", { timeout: 120_000 }, async () => {
    for (const f of images) expect(lines(await ocr(E.ocr.id, f))).toEqual(lines(await ocr("ppocr-v4-det960", f)));
  });

  it("with an angle classifier reads exactly what ppocr-v4-det960-cls reads", { timeout: 120_000 }, async () => {
    for (const f of images) expect(lines(await ocr(E.ocrCls.id, f))).toEqual(lines(await ocr("ppocr-v4-det960-cls", f)));
    // And a request may turn it off, as on the built-in.
    const off = await ocr(E.ocrCls.id, images[3], { useAngleCls: false });
    expect(lines(off)).toEqual(lines(await ocr("ppocr-v4-det960", images[3])));
  });

  it("without an angle classifier refuses a request for one, naming the option", async () => {
    const err = await ocr(E.ocr.id, images[0], { useAngleCls: true }).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: "invalid_option", param: "useAngleCls" });
    expect((err as Error).message).toContain(`model ${E.ocr.id} has no angle classifier`);
  });

  it("uses its own dictionary: entries with different dictionaries in one worker do not share a charset", { timeout: 120_000 }, async () => {
    const reference = lines(await ocr(E.ocr.id, images[0]));
    const shouted = lines(await ocr(E.shout.id, images[0]));
    expect(shouted.map((l) => l.text)).toEqual(reference.map((l) => l.text.replace(/[a-z]/g, (c) => c.toUpperCase())));
    expect(shouted.map((l) => l.text).join("")).toMatch(/OPENING HOURS/);
    // 6,623 lines + 1 → blank + 6,624 + space: the recogniser's 6,625 classes do not fit it, and it says so.
    await expect(ocr(E.longDict.id, images[0])).rejects.toThrow(/× 6626 classes/);
    // The built-in dictionary still reads as before in the same worker.
    expect(lines(await ocr(E.ocr.id, images[0]))).toEqual(reference);
  });

  it("whose dictionary changed after registration never loads", async () => {
    const err = await ocr(E.badDict.id, images[0]).then(() => null, (e: unknown) => e);
    expect(err).toMatchObject({ code: "model_unavailable" });
    expect((err as Error).message).toMatch(/dictionary .* SHA-256 is [0-9a-f]{64}, registered as [0-9a-f]{64}/);
  });
});

describe("runEntry", () => {
  it("feeds each OCR graph by the input name in its file's spec, not PaddleOCR's", { timeout: 60_000 }, async () => {
    const names: Record<string, string> = { "ppocr-v4-det": "image", "ppocr-v4-rec": "pixels" };
    const files: EntryFile[] = (["ppocr-v4-det", "ppocr-v4-rec", "ppocr-keys-v1"] as const).map((k) => {
      const spec = weightSpec(k);
      return { key: k, role: ROLES[k], ...(spec ? { spec: { ...spec, inputs: [{ ...spec.inputs[0], name: names[k] }] } } : {}) };
    });
    const sessions = new SessionContext({ resolvePath: (k) => resolveWeightPath(k, root) });
    const seen: string[] = [];
    // Plays a graph exported with other names: takes the spec's name, hands ONNX Runtime the file's real "x".
    const renaming: InferenceContext = {
      run(key: string, feeds: Feeds) {
        const [[name, t]] = Object.entries(feeds);
        seen.push(`${key}:${name}`);
        return sessions.run(key, { x: t });
      },
    };
    try {
      const e = entry("renamed", "ocr", files, { detLimitSide: 960, useAngleCls: false });
      const out = (await runEntry(e, fs.readFileSync(images[0]), {}, renaming)).result as OcrResult;
      expect(new Set(seen)).toEqual(new Set(["ppocr-v4-det:image", "ppocr-v4-rec:pixels"]));
      expect(lines(out)).toEqual(lines(await ocr("ppocr-v4-det960", images[0])));
    } finally {
      await sessions.close();
    }
  });

  it("refuses a tensor model, pointing at KServe v2", async () => {
    const t = entry("my-net", "tensor", [upload("silero-vad-v5")], {});
    await expect(runEntry(t, Buffer.alloc(1), {}, { run: () => Promise.reject(new Error("not reached")) })).rejects.toMatchObject({
      code: "invalid_option",
      param: "model",
      message: "model my-net is a tensor model: call it through KServe v2 /v2/models/my-net/infer",
    });
  });
});
