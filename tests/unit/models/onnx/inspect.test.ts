import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/models/errors";
import { buildModel } from "@/lib/models/onnx/build";
import { inspectOnnx, readOnnxMeta } from "@/lib/models/onnx/inspect";
import { ModelProtoWrite } from "@/lib/models/onnx/proto";
import { weightPath, type WeightKey } from "@/lib/models/weights";
import { matmulAddSoftmax } from "@/tests/support/onnx-builder";

const root = path.resolve(__dirname, "../../../..");
const meta = (key: WeightKey) => readOnnxMeta(weightPath(key, root));
const names = (vs: { name: string }[]) => vs.map((v) => v.name);

describe("inspectOnnx on the shipped models", () => {
  it("PP-OCRv4 detector: opset, operators, one FP32 input [N,3,H,W] with dynamic batch and sides", () => {
    const m = meta("ppocr-v4-det");
    expect(m).toMatchObject({ irVersion: 8, defaultOpset: 11, externalData: false });
    expect(m.ops).toContain("Conv");
    expect(m.inputs).toEqual([{ name: "x", datatype: "FP32", dims: ["p2o.DynamicDimension.0", 3, "p2o.DynamicDimension.1", "p2o.DynamicDimension.2"], hasShape: true }]);
    expect(m.outputs.map((o) => [o.name, o.datatype, o.dims[1]])).toEqual([["sigmoid_0.tmp_0", "FP32", 1]]);
    expect(m.dynamicAxes.filter((a) => a.tensor === "x").map((a) => a.axis)).toEqual([0, 2, 3]);
  });

  it("PP-OCRv4 recogniser: [N,3,48,W] → [N,T,6625]", () => {
    const m = meta("ppocr-v4-rec");
    expect(m.inputs[0].dims.slice(1, 3)).toEqual([3, 48]);
    expect(m.outputs[0].dims[2]).toBe(6625);
  });

  it("PP-OCR angle classifier: [N,3,H,W] → [N,2] (the export leaves the sides dynamic; the pipeline feeds 48 × 192)", () => {
    const m = meta("ppocr-mobile-v2-cls");
    expect(m.inputs[0].dims.map((d) => typeof d)).toEqual(["string", "number", "string", "string"]);
    expect(m.inputs[0].dims[1]).toBe(3);
    expect(m.outputs[0].dims[1]).toBe(2);
  });

  it.each([
    ["silero-vad-v4", ["input", "sr", "h", "c"], ["output", "hn", "cn"]],
    ["silero-vad-v5", ["input", "state", "sr"], ["output", "stateN"]],
    ["silero-vad-v6", ["input", "state", "sr"], ["output", "stateN"]],
  ] as const)("%s: Silero's signature; sr is an INT64 scalar", (key, inputs, outputs) => {
    const m = meta(key);
    expect(names(m.inputs)).toEqual(inputs);
    expect(names(m.outputs)).toEqual(outputs);
    expect(m.inputs.find((i) => i.name === "sr")).toMatchObject({ datatype: "INT64", dims: [] });
    expect(m.ops.some((op) => op.includes(":"))).toBe(false);
  });

  it("finds the operators inside Silero v5's If branches (subgraphs); unknown axes are null", () => {
    const m = meta("silero-vad-v5");
    expect(m.defaultOpset).toBe(16);
    expect(m.ops).toEqual(expect.arrayContaining(["If", "LSTM", "Conv"]));
    expect(m.inputs.find((i) => i.name === "state")?.dims).toEqual([2, null, 128]);
  });

  it("the 10 MB recogniser's weights are skipped, not decoded: the whole description is a few ms warm (no timing asserted)", () => {
    const bytes = fs.readFileSync(weightPath("ppocr-v4-rec", root));
    expect(inspectOnnx(bytes).ops.length).toBeGreaterThan(10);
  });
});

describe("inspectOnnx on built models", () => {
  it("reads the writer's model back: dynamic batch named N, initializers excluded from the inputs", () => {
    const m = inspectOnnx(matmulAddSoftmax({ inputDim: 4, outputDim: 3, seed: 1 }));
    expect(m).toMatchObject({ producer: "pareto", defaultOpset: 17, ops: ["Add", "MatMul", "Softmax"], externalData: false });
    expect(m.inputs).toEqual([{ name: "X", datatype: "FP32", dims: ["N", 4], hasShape: true }]);
    expect(m.outputs).toEqual([{ name: "Y", datatype: "FP32", dims: ["N", 3], hasShape: true }]);
    expect(m.dynamicAxes).toEqual([
      { tensor: "X", axis: 0, name: "N" },
      { tensor: "Y", axis: 0, name: "N" },
    ]);
  });

  it("returns the model's metadata_props (none → an empty record)", () => {
    expect(inspectOnnx(matmulAddSoftmax({ inputDim: 2, outputDim: 2, seed: 1 })).metadata).toEqual({});
    const bytes = buildModel({
      inputs: [{ name: "X", datatype: "FP32", dims: ["N", 2] }],
      outputs: [{ name: "Y", datatype: "FP32", dims: ["N", 2] }],
      nodes: [{ opType: "Relu", inputs: ["X"], outputs: ["Y"] }],
      metadata: { "pareto.text": '{"labels":["a","b"]}', author: "维护者" },
    });
    expect(inspectOnnx(bytes).metadata).toEqual({ "pareto.text": '{"labels":["a","b"]}', author: "维护者" });
  });

  it("IR < 4 style: an initializer also listed as a graph input is not an input", () => {
    const bytes = buildModel({
      inputs: [
        { name: "X", datatype: "FP32", dims: [2] },
        { name: "W", datatype: "FP32", dims: [2] },
      ],
      outputs: [{ name: "Y", datatype: "FP32", dims: [2] }],
      initializers: [{ name: "W", dims: [2], data: Float32Array.of(1, 2) }],
      nodes: [{ opType: "Mul", inputs: ["X", "W"], outputs: ["Y"] }],
    });
    expect(names(inspectOnnx(bytes).inputs)).toEqual(["X"]);
  });

  it("custom-domain operators are prefixed; KServe datatype names; external data is noticed", () => {
    const base = buildModel({
      opsets: [
        { domain: "", version: 17 },
        { domain: "com.example", version: 1 },
      ],
      inputs: [
        { name: "ids", datatype: "INT64", dims: ["B", 8] },
        { name: "mask", datatype: "BOOL", dims: ["B", 8] },
        { name: "half", datatype: "FP16", dims: [1] },
        { name: "text", datatype: "BYTES", dims: [1] },
      ],
      outputs: [{ name: "out", datatype: "UINT8", dims: ["B"] }],
      initializers: [{ name: "table", dims: [2], data: Float32Array.of(0, 1) }],
      nodes: [{ opType: "FooBar", domain: "com.example", inputs: ["ids", "mask", "half", "text", "table"], outputs: ["out"] }],
    });
    const m = inspectOnnx(base);
    expect(m.ops).toEqual(["com.example:FooBar"]);
    expect(m.inputs.map((i) => i.datatype)).toEqual(["INT64", "BOOL", "FP16", "BYTES"]);
    expect(m.outputs[0].datatype).toBe("UINT8");
    expect(m.externalData).toBe(false);

    // The same model with its initializer moved to a side file.
    const decoded = ModelProtoWrite.toObject(ModelProtoWrite.decode(base)) as { graph: { initializer: Record<string, unknown>[] } };
    decoded.graph.initializer[0] = { name: "table", dims: [2], dataType: 1, dataLocation: 1, externalData: [{ key: "location", value: "weights.bin" }] };
    const external = ModelProtoWrite.encode(ModelProtoWrite.fromObject(decoded)).finish();
    expect(inspectOnnx(external).externalData).toBe(true);
  });
});

describe("inspectOnnx refuses what is not a whole ONNX model", () => {
  const model = matmulAddSoftmax({ inputDim: 16, outputDim: 4, seed: 2 });
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  let seed = 7;
  const random = Uint8Array.from({ length: 4096 }, () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff);
  const noGraph = ModelProtoWrite.encode(ModelProtoWrite.fromObject({ irVersion: 8, opsetImport: [{ domain: "", version: 17 }] })).finish();
  const noOpset = ModelProtoWrite.encode(ModelProtoWrite.fromObject({ irVersion: 8, graph: { output: [{ name: "y" }] } })).finish();
  const text = new TextEncoder().encode("this is a text file, not a model\n");
  const json = new TextEncoder().encode('{"ir_version": 8, "graph": {}}');

  it.each([
    ["an empty file", new Uint8Array(0), /empty/],
    ["random bytes", random, /not an ONNX model/],
    ["a PNG", png, /not an ONNX model/],
    ["a text file", text, /not an ONNX model|truncated|IR version/],
    ["JSON", json, /not an ONNX model|truncated|IR version/],
    ["a truncated model (half)", model.subarray(0, model.length >> 1), /truncated|not an ONNX model/],
    ["a truncated model (last byte cut)", model.subarray(0, model.length - 1), /truncated|not an ONNX model|operator set/],
    ["a protobuf without a graph", noGraph, /no graph/],
    ["a graph without an operator set", noOpset, /operator set/],
  ])("%s → invalid_model", (_, bytes, message) => {
    let error: unknown;
    try {
      inspectOnnx(bytes);
    } catch (e) {
      error = e;
    }
    expect(isDomainError(error) && error.code).toBe("invalid_model");
    expect((error as Error).message).toMatch(message);
  });
});
