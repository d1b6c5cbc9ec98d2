import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { WEIGHT_SPECS } from "@/lib/models/catalog";
import { isDomainError } from "@/lib/models/errors";
import { readOnnxMeta, inspectOnnx, type OnnxMeta } from "@/lib/models/onnx/inspect";
import { checkOcrBundle, ocrSpecs, specFromMeta, vadFlavourOf, vadSpec } from "@/lib/models/onnx/signature";
import { weightPath, type WeightKey } from "@/lib/models/weights";
import { matmulAddSoftmax } from "@/tests/support/onnx-builder";

const root = path.resolve(__dirname, "../../../..");
const meta = (key: WeightKey): OnnxMeta => structuredClone(readOnnxMeta(weightPath(key, root)));
const dict = fs.readFileSync(weightPath("ppocr-keys-v1", root), "utf8");
const bundle = () => ({ det: meta("ppocr-v4-det"), rec: meta("ppocr-v4-rec"), cls: meta("ppocr-mobile-v2-cls"), dict });

function refusal(fn: () => unknown): { code: unknown; message: string } {
  try {
    fn();
  } catch (e) {
    return { code: isDomainError(e) ? e.code : e, message: (e as Error).message };
  }
  throw new Error("expected a refusal");
}

describe("specFromMeta (tensor uploads)", () => {
  it("takes names, datatypes and shapes from the file; dynamic axes become -1; no batching, no arena", () => {
    const spec = specFromMeta("sha256:abc", inspectOnnx(matmulAddSoftmax({ inputDim: 5, outputDim: 2, seed: 3 })));
    expect(spec).toEqual({
      key: "sha256:abc",
      inputs: [{ name: "X", datatype: "FP32", shape: [-1, 5] }],
      outputs: [{ name: "Y", datatype: "FP32", shape: [-1, 2] }],
    });
  });

  it("a built-in's declared signature gives the catalog's tensors", () => {
    const spec = specFromMeta("k", meta("silero-vad-v4"));
    expect(spec.inputs.map((t) => [t.name, t.datatype, t.shape.length])).toEqual(WEIGHT_SPECS["silero-vad-v4"]!.inputs.map((t) => [t.name, t.datatype, t.shape.length]));
  });

  it.each([
    ["a non-tensor input", (m: OnnxMeta) => (m.inputs[0].datatype = null), /not a tensor/],
    ["an input without a shape", (m: OnnxMeta) => Object.assign(m.inputs[0], { hasShape: false, dims: [] }), /declares no shape/],
    ["no inputs at all", (m: OnnxMeta) => (m.inputs = []), /no inputs/],
  ])("%s → invalid_model", (_, edit, message) => {
    const m = inspectOnnx(matmulAddSoftmax({ inputDim: 5, outputDim: 2, seed: 3 }));
    edit(m);
    const r = refusal(() => specFromMeta("k", m));
    expect(r.code).toBe("invalid_model");
    expect(r.message).toMatch(message);
  });
});

describe("vadFlavourOf / vadSpec", () => {
  it.each([
    ["silero-vad-v4", "v4"],
    ["silero-vad-v5", "v5"],
    ["silero-vad-v6", "v5"],
  ] as const)("%s is recognised as %s", (key, flavour) => {
    expect(vadFlavourOf(meta(key))).toBe(flavour);
  });

  it("the spec is the built-in's (batching included) under the upload's key", () => {
    expect(vadSpec("sha256:1", "v5")).toEqual({ ...WEIGHT_SPECS["silero-vad-v5"], key: "sha256:1" });
    expect(vadSpec("sha256:2", "v4")).toEqual({ ...WEIGHT_SPECS["silero-vad-v4"], key: "sha256:2" });
    // A copy: changing it leaves the catalog alone.
    vadSpec("sha256:3", "v5").batching!.maxBatch = 1;
    expect(WEIGHT_SPECS["silero-vad-v5"]!.batching!.maxBatch).toBe(32);
  });

  it.each([
    ["a tensor model", () => inspectOnnx(matmulAddSoftmax({ inputDim: 4, outputDim: 2, seed: 1 })), /expected inputs \(input, state, sr\).*found inputs \(X\) → outputs \(Y\)/],
    ["v5 without its state output", () => ({ ...meta("silero-vad-v5"), outputs: meta("silero-vad-v5").outputs.slice(0, 1) }), /found inputs \(input, state, sr\) → outputs \(output\)/],
    ["v5 names with a 64-wide state", () => {
      const m = meta("silero-vad-v5");
      m.inputs[1].dims = [2, null, 64];
      return m;
    }, /state axis 2 is 64, expected 128/],
    ["v4 names with an FP32 sample rate", () => {
      const m = meta("silero-vad-v4");
      m.inputs[1].datatype = "FP32";
      return m;
    }, /sr is FP32, expected INT64/],
  ])("%s → invalid_model naming what was expected", (_, make, message) => {
    const r = refusal(() => vadFlavourOf(make()));
    expect(r.code).toBe("invalid_model");
    expect(r.message).toMatch(message);
  });
});

describe("checkOcrBundle / ocrSpecs", () => {
  it("the built-in PP-OCRv4 files and ppocr_keys_v1 agree: 6,623 lines, 6,625 classes", () => {
    expect(checkOcrBundle(bundle())).toEqual({ dictSize: 6623 });
    expect(checkOcrBundle({ ...bundle(), cls: undefined })).toEqual({ dictSize: 6623 });
  });

  it("specs: the built-ins' batching and arena, the upload's keys and tensor names", () => {
    const b = bundle();
    const specs = ocrSpecs({ det: "sha256:d", rec: "sha256:r", cls: "sha256:c" }, b);
    expect(specs.det).toEqual({ ...WEIGHT_SPECS["ppocr-v4-det"], key: "sha256:d" });
    expect(specs.rec).toEqual({ ...WEIGHT_SPECS["ppocr-v4-rec"], key: "sha256:r" });
    expect(specs.cls).toEqual({ ...WEIGHT_SPECS["ppocr-mobile-v2-cls"], key: "sha256:c" });
    // A recogniser whose tensors are named otherwise keeps its names, in the batching too.
    b.rec.inputs[0].name = "image";
    b.rec.outputs[0].name = "probs";
    const renamed = ocrSpecs({ det: "d", rec: "r" }, b);
    expect(renamed.rec.inputs[0].name).toBe("image");
    expect(renamed.rec.batching).toMatchObject({ inputAxes: { image: 0 }, outputAxes: { probs: 0 } });
    expect(renamed.cls).toBeUndefined();
  });

  const withoutLine = dict.split("\n").filter((_, i) => i !== 100).join("\n");
  type Bundle = ReturnType<typeof bundle>;
  it.each([
    ["a dictionary with a line removed", (b: Bundle) => (b.dict = withoutLine), /recogniser outputs 6625 classes but the dictionary has 6622 lines: expected 6624/],
    ["an empty dictionary", (b: Bundle) => (b.dict = "\n"), /dictionary is empty/],
    ["a binary dictionary", (b: Bundle) => (b.dict = "a\u0000b\n"), /not UTF-8 text/],
    ["a detector with two inputs", (b: Bundle) => b.det.inputs.push({ ...b.det.inputs[0], name: "x2" }), /detector must have one input and one output; found inputs \(x, x2\)/],
    ["a detector with a 3-D input", (b: Bundle) => (b.det.inputs[0].dims = [1, 3, 640]), /detector's input must be FP32\[N, 3, H, W\].*3 axes, expected 4/],
    ["a detector with 2 output channels", (b: Bundle) => (b.det.outputs[0].dims[1] = 2), /detector's output.*axis 1 is 2, expected 1/],
    ["the recogniser given as detector", (b: Bundle) => (b.det = b.rec), /detector's output must be FP32 with 4 axes/],
    ["a recogniser of height 32", (b: Bundle) => (b.rec.inputs[0].dims[2] = 32), /recogniser's input must be FP32\[N, 3, 48, W\].*axis 2 is 32, expected 48/],
    ["an FP16 recogniser", (b: Bundle) => (b.rec.inputs[0].datatype = "FP16"), /recogniser's input.*is FP16, expected FP32/],
    ["a recogniser with a dynamic class axis", (b: Bundle) => (b.rec.outputs[0].dims[2] = "C"), /class axis .* must have a fixed size/],
    ["a classifier with 4 classes", (b: Bundle) => (b.cls.outputs[0].dims[1] = 4), /angle classifier's output.*axis 1 is 4, expected 2/],
    ["the detector given as classifier", (b: Bundle) => (b.cls = meta("ppocr-v4-det")), /angle classifier's output must be FP32 with 2 axes/],
  ])("%s → invalid_model naming the file and the mismatch", (_, edit, message) => {
    const b = bundle();
    edit(b);
    const r = refusal(() => checkOcrBundle(b));
    expect(r.code).toBe("invalid_model");
    expect(r.message).toMatch(message);
  });
});
