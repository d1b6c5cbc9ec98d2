import { describe, expect, it } from "vitest";
import { tensorInferPath, tensorSnippet } from "@/lib/api/snippets";
import { checkDraft, type Draft } from "@/app/admin/models/_components/upload-rules";
import { argmax, concreteShape, dynamicAxes, exampleInputs, flatten, isOneRow, parseInput, randomValues } from "@/app/playground/_components/tensor-input";

const MB = 1024 * 1024;
const onnx = (size = 1000) => ({ name: "m.onnx", size });

describe("bring a model: checks before sending", () => {
  const base: Draft = { id: "my-model", version: "", task: "tensor", evalMetric: "accuracy", files: { file: onnx() } };
  it.each<[string, Partial<Draft>, boolean, string[]]>([
    ["a complete tensor upload", {}, true, []],
    ["an id too short", { id: "ab" }, true, ["id"]],
    ["an id with capitals", { id: "My-Model" }, true, ["id"]],
    ["an id with an underscore", { id: "my_model" }, true, ["id"]],
    ["an id starting with a hyphen", { id: "-model" }, true, ["id"]],
    ["a version starting with a dot", { version: ".1" }, true, ["version"]],
    ["an id of 65 characters", { id: "a".repeat(65) }, true, ["id"]],
    ["a version with a slash", { version: "1/2" }, true, ["version"]],
    ["a version of 33 characters", { version: "v".repeat(33) }, true, ["version"]],
    ["no model file", { files: {} }, true, ["file"]],
    ["a file over the limit", { files: { file: onnx(3 * MB) } }, true, ["file"]],
    ["an eval file without a metric", { files: { file: onnx(), eval: { name: "e.jsonl", size: 10 } }, evalMetric: "" }, true, ["eval_metric"]],
    ["OCR without recogniser and dictionary", { task: "ocr", files: { det: onnx() } }, true, ["rec", "dict"]],
    ["OCR without the optional classifier", { task: "ocr", files: { det: onnx(), rec: onnx(), dict: { name: "d.txt", size: 10 } } }, true, []],
    ["a new version without a name", { version: "" }, false, ["version"]],
    ["a new version (no id needed)", { id: undefined, version: "2" }, false, []],
  ])("%s", (_, change, newModel, fields) => {
    expect(Object.keys(checkDraft({ ...base, ...change }, 2, { newModel })).sort()).toEqual(fields.sort());
  });

  it("names the file, its size and the limit when it is too large", () => {
    expect(checkDraft({ ...base, files: { file: { name: "big.onnx", size: 3 * MB } } }, 2, { newModel: true }).file).toEqual({ key: "errTooLarge", vars: { name: "big.onnx", size: "3.0 MiB", max: 2 } });
  });
});

describe("tensor playground: requests from a signature", () => {
  const inputs = [
    { name: "x", datatype: "FP32", shape: [-1, 3] },
    { name: "ids", datatype: "INT64", shape: ["batch", 2] },
  ];

  it("sets dynamic axes (-1 or named) to 1 and names them in hints", () => {
    expect(concreteShape([-1, "seq", 4])).toEqual([1, 1, 4]);
    expect(dynamicAxes([-1, "seq", 4])).toEqual(["axis 0", "seq"]);
    expect(dynamicAxes([2, 3])).toEqual([]);
  });

  it("fills random values that fit each input's shape and datatype", () => {
    const [x, ids] = exampleInputs(inputs);
    expect(x).toMatchObject({ name: "x", shape: [1, 3], datatype: "FP32" });
    expect(x.data).toHaveLength(3);
    expect(x.data.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(ids.shape).toEqual([1, 2]);
    expect(ids.data.every((v) => Number.isInteger(v) && v >= 0 && v < 10)).toBe(true);
    expect(exampleInputs(inputs, "zeros")[0].data).toEqual([0, 0, 0]);
    expect(randomValues("BOOL", 50, () => 0.99).every((v) => v === 1)).toBe(true);
  });

  it.each<[string, string, string, ReturnType<typeof parseInput>]>([
    ["flat values", "[1, 2, 3]", "1, 3", { ok: true, shape: [1, 3], data: [1, 2, 3] }],
    ["nested values", "[[1, 2], [3, 4]]", "[2, 2]", { ok: true, shape: [2, 2], data: [1, 2, 3, 4] }],
    ["a scalar", "7", "", { ok: true, shape: [], data: [7] }],
    ["bad JSON", "[1, 2", "1, 2", { ok: false, problem: "badJson" }],
    ["a string inside", '[1, "2"]', "1, 2", { ok: false, problem: "badInput" }],
    ["too few values", "[1, 2]", "1, 3", { ok: false, problem: "wrongCount", got: 2, need: 3 }],
    ["a negative axis", "[1]", "-1", { ok: false, problem: "badShape" }],
    ["a fractional axis", "[1]", "1.5", { ok: false, problem: "badShape" }],
  ])("reads %s", (_, values, shape, want) => {
    expect(parseInput(values, shape)).toEqual(want);
  });

  it("flattens row-major and refuses non-finite numbers", () => {
    expect(flatten([[1, [2]], [3]])).toEqual([1, 2, 3]);
    expect(flatten([1, null])).toBeNull();
  });

  it("argmax takes the first of equal maxima; only one-row outputs get one", () => {
    expect(argmax([0.1, 0.7, 0.7, 0.2])).toEqual({ index: 1, value: 0.7 });
    expect(argmax([])).toBeNull();
    expect(isOneRow([1, 10])).toBe(true);
    expect(isOneRow([10])).toBe(true);
    expect(isOneRow([2, 10])).toBe(false);
  });
});

describe("tensor request snippets", () => {
  const body = { inputs: [{ name: "x", shape: [1, 2], datatype: "FP32", data: [0.5, 1] }] };
  const req = { baseUrl: "http://localhost:3000/", model: "my-model", body };

  it("address the split or a pinned version", () => {
    expect(tensorInferPath("my-model")).toBe("/v2/models/my-model/infer");
    expect(tensorInferPath("my-model", "2.1")).toBe("/v2/models/my-model/versions/2.1/infer");
  });

  it("curl sends the exact body as JSON; the raw form reads it from request.json", () => {
    const s = tensorSnippet("curl", req);
    expect(s).toContain("curl 'http://localhost:3000/v2/models/my-model/infer'");
    expect(s).toContain("-H 'Content-Type: application/json'");
    expect(s).toContain(`-d '${JSON.stringify(body)}'`);
    expect(tensorSnippet("curlRaw", { ...req, version: "2" })).toContain("--data-binary @request.json");
    expect(tensorSnippet("curlRaw", { ...req, version: "2" })).toContain("/v2/models/my-model/versions/2/infer");
  });

  it("JavaScript and Python post the same body", () => {
    expect(tensorSnippet("js", req)).toContain(`body: JSON.stringify(${JSON.stringify(body)})`);
    expect(tensorSnippet("python", req)).toContain(`json=${JSON.stringify(body)},`);
  });
});
