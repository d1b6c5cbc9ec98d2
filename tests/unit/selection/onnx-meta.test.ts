import path from "node:path";
import { describe, expect, it } from "vitest";
import { weightPath } from "@/lib/models/weights";
import { parseOnnx, readOnnxMeta } from "@/lib/selection/onnx-meta";

const root = path.resolve(__dirname, "../../..");

describe("ONNX header reader", () => {
  it("reads opset, operators and dynamic axes of the shipped PP-OCRv4 detector", () => {
    const m = readOnnxMeta(weightPath("ppocr-v4-det", root));
    expect(m.defaultOpset).toBe(11);
    expect(m.irVersion).toBeGreaterThan(3);
    expect(m.ops).toContain("Conv");
    expect(m.inputs).toHaveLength(1);
    expect(m.inputs[0].name).toBe("x");
    expect(m.inputs[0].dims[1]).toBe(3);
    // batch, height and width are dynamic; channels are not
    expect(m.dynamicAxes.filter((a) => a.tensor === "x").map((a) => a.axis)).toEqual([0, 2, 3]);
  });

  it("finds the operators inside Silero v5's If branches (subgraphs)", () => {
    const m = readOnnxMeta(weightPath("silero-vad-v5", root));
    expect(m.defaultOpset).toBe(16);
    expect(m.ops).toEqual(expect.arrayContaining(["If", "LSTM", "Conv"]));
    expect(m.ops.some((op) => op.includes(":"))).toBe(false);
    expect(m.inputs.map((i) => i.name)).toEqual(["input", "state", "sr"]);
  });

  it("parses a hand-built model: opset imports, custom-domain ops, symbolic dims", () => {
    // ModelProto { ir_version: 7, opset_import { domain: "", version: 13 }, graph { node { op_type: "Foo", domain: "com.x" },
    //   input { name: "a", type { tensor_type { shape { dim { dim_param: "N" } dim { dim_value: 4 } } } } } } }
    const str = (field: number, s: string) => [field * 8 + 2, s.length, ...Buffer.from(s)];
    const msg = (field: number, body: number[]) => [field * 8 + 2, body.length, ...body];
    const dims = [...msg(1, str(2, "N")), ...msg(1, [1 * 8 + 0, 4])];
    const input = [...str(1, "a"), ...msg(2, msg(1, msg(2, dims)))];
    const graph = [...msg(1, [...str(4, "Foo"), ...str(7, "com.x")]), ...msg(11, input)];
    const bytes = Uint8Array.from([1 * 8 + 0, 7, ...msg(8, [...str(1, ""), 2 * 8 + 0, 13]), ...msg(7, graph)]);
    const m = parseOnnx(bytes);
    expect(m).toMatchObject({ irVersion: 7, defaultOpset: 13, ops: ["com.x:Foo"], inputs: [{ name: "a", dims: ["N", 4] }] });
    expect(m.dynamicAxes).toEqual([{ tensor: "a", axis: 0, name: "N" }]);
  });
});
