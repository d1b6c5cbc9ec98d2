import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { isDomainError } from "@/lib/models/errors";
import { buildModel } from "@/lib/models/onnx/build";
import { float32 } from "@/lib/models/tensor";
import { weightPath, type WeightKey } from "@/lib/models/weights";
import { probeOnnx } from "@/lib/runtime/probe";
import { SessionContext } from "@/lib/runtime/session-context";
import { matmulAddSoftmax, matmulAddSoftmaxReference, unsupportedOpModel } from "@/tests/support/onnx-builder";

const root = path.resolve(__dirname, "../../..");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-probe-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Uint8Array): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, bytes);
  return f;
}

async function refusal(p: Promise<unknown>): Promise<{ code: unknown; message: string }> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!e) throw new Error("expected the probe to refuse the file");
  return { code: isDomainError(e) ? e.code : e, message: (e as Error).message };
}

describe("a model written by lib/models/onnx/build.ts", () => {
  it("runs in ONNX Runtime and answers what JS computes: Softmax(X·W + B)", async () => {
    const opts = { inputDim: 6, outputDim: 4, seed: 42 };
    const f = file("dense.onnx", matmulAddSoftmax(opts));
    const ctx = new SessionContext({ resolvePath: () => f, intraOpThreads: 1 });
    try {
      const n = 3;
      const x = Float32Array.from({ length: n * opts.inputDim }, (_, i) => Math.sin(i) * 2);
      const out = await ctx.run("dense", { X: float32(x, [n, opts.inputDim]) });
      expect(out.Y.dims).toEqual([n, opts.outputDim]);
      const expected = matmulAddSoftmaxReference(opts, x, n);
      [...(out.Y.data as Float32Array)].forEach((v, i) => expect(v).toBeCloseTo(expected[i], 5));
    } finally {
      await ctx.close();
    }
  });
});

describe("probeOnnx", () => {
  it.each([
    "silero-vad-v4",
    "silero-vad-v5",
    "silero-vad-v6",
    "ppocr-v4-det",
    "ppocr-v4-rec",
    "ppocr-mobile-v2-cls",
  ] as const)("accepts the shipped %s and reports its tensor names", async (key: WeightKey) => {
    const r = await probeOnnx(weightPath(key, root), { root });
    expect(r.inputNames.length).toBeGreaterThan(0);
    expect(r.outputNames.length).toBeGreaterThan(0);
  });

  it("accepts a built model: names as written", async () => {
    expect(await probeOnnx(file("ok.onnx", matmulAddSoftmax({ inputDim: 3, outputDim: 2, seed: 1 })), { root })).toEqual({ inputNames: ["X"], outputNames: ["Y"] });
  });

  const relu = (opts: { domain: string; version: number }[], datatype: "FP32" | "BF16" = "FP32", opType = "Relu") =>
    buildModel({ opsets: opts, inputs: [{ name: "a", datatype, dims: [2] }], outputs: [{ name: "y", datatype, dims: [2] }], nodes: [{ opType, inputs: ["a"], outputs: ["y"] }] });
  const model = matmulAddSoftmax({ inputDim: 8, outputDim: 8, seed: 3 });

  it.each([
    ["an operator ONNX Runtime lacks", unsupportedOpModel(""), "unsupported_operator", /^Operator NotARealOp is not supported by ONNX Runtime \d+\.\d+/],
    ["a custom-domain operator (no custom-op library is ever loaded)", unsupportedOpModel("com.example"), "unsupported_operator", /^Operator FooBar \(domain com\.example\) is not supported by ONNX Runtime \d+\.\d+/],
    ["a standard operator without a kernel for its type (Sqrt on BF16)", relu([{ domain: "", version: 17 }], "BF16", "Sqrt"), "unsupported_operator", /^Operator Sqrt is not supported by ONNX Runtime [\d.]+ at opset 13 with the model's element types/],
    ["an opset newer than ONNX Runtime", relu([{ domain: "", version: 99 }]), "unsupported_operator", /opset 99 is newer than ONNX Runtime/],
    ["random bytes", Uint8Array.from({ length: 1000 }, (_, i) => (i * 7919) & 255), "invalid_model", /could not load the model: .*Protobuf parsing failed/],
    ["a truncated model", model.subarray(0, model.length >> 1), "invalid_model", /could not load the model/],
    ["an empty file", new Uint8Array(0), "invalid_model", /could not load the model/],
  ])("refuses %s", async (_, bytes, code, message) => {
    const f = file(`bad-${Math.random().toString(36).slice(2)}.onnx`, bytes);
    const r = await refusal(probeOnnx(f, { root }));
    expect(r.code).toBe(code);
    expect(r.message).toMatch(message);
    expect(r.message).not.toContain(dir); // the server's paths stay private
  });

  it("a load past its time limit is killed and refused", async () => {
    const r = await refusal(probeOnnx(weightPath("ppocr-v4-rec", root), { root, timeoutMs: 1 }));
    expect(r).toMatchObject({ code: "invalid_model", message: expect.stringMatching(/timed out while loading/) });
  });

  it("the child runs under the memory cap: too little address space kills it, not the server", async () => {
    const r = await refusal(probeOnnx(weightPath("silero-vad-v5", root), { root, memoryMb: 256 }));
    expect(r).toMatchObject({ code: "invalid_model", message: expect.stringMatching(/crashed while loading/) });
  });
});
