import "server-only";
import type { TensorSpec, WeightSpec } from "@/lib/models/catalog";
import type { Feeds, Outputs, Tensor, TensorType } from "@/lib/models/tensor";
import { ApiError } from "../errors";
import { MAX_ELEMENTS, type KserveInferRequest, type KserveInputTensor } from "../schemas/kserve";
import { axisMax } from "./limits";

export { MAX_ELEMENTS };

const DATATYPE: Record<TensorType, string> = { float32: "FP32", int64: "INT64", int32: "INT32", uint8: "UINT8", bool: "BOOL" };

function bad(message: string): ApiError {
  return new ApiError("bad_request", message, { param: "inputs" });
}

function describe(s: TensorSpec): string {
  return `${s.name} ${s.datatype}[${s.shape.map((d) => (d < 0 ? "-1" : d)).join(",")}]`;
}

/**
 * Checks one tensor against its spec: datatype, rank, fixed and bounded axes, element count. The values were
 * checked as they were decoded (json-decode.ts: finite, FP32 in range, INT64 safe integers).
 */
function toTensor(t: KserveInputTensor, spec: WeightSpec, s: TensorSpec, budget: { left: number }): Tensor {
  const where = `input "${t.name}"`;
  if (t.datatype !== s.datatype) throw bad(`${where} must be ${s.datatype}, got ${t.datatype}.`);
  if (t.shape.length !== s.shape.length) throw bad(`${where} must have rank ${s.shape.length} (${describe(s)}), got shape [${t.shape.join(",")}].`);
  let count = 1;
  for (let i = 0; i < s.shape.length; i++) {
    const want = s.shape[i];
    const got = t.shape[i];
    if (want >= 0 && got !== want) throw bad(`${where} axis ${i} must be ${want} (${describe(s)}), got ${got}.`);
    if (want < 0 && got < 1) throw bad(`${where} axis ${i} must be at least 1, got ${got}.`);
    const max = axisMax(spec, s.name, i);
    if (got > max) throw bad(`${where} is too large: axis ${i} is at most ${max}, got ${got}.`);
    count *= got;
    // Checked per axis so a huge shape is refused before the product loses precision.
    if (count > budget.left) throw bad(`${where} is too large: at most ${MAX_ELEMENTS} elements per request.`);
  }
  budget.left -= count;
  if (t.data.length !== count) throw bad(`${where} has shape [${t.shape.join(",")}] (${count} elements) but ${t.data.length} data values.`);
  if (s.datatype === "INT64") {
    for (const v of t.data) if (!Number.isSafeInteger(v)) throw bad(`${where} is INT64: ${v} is not a safe integer.`);
    return { type: "int64", data: BigInt64Array.from(t.data, (v) => BigInt(v)), dims: t.shape };
  }
  // FP32 data is decoded straight into a Float32Array; anything else would be a decoder bug, not the caller's.
  if (!(t.data instanceof Float32Array)) throw new Error(`${where}: FP32 data was not decoded as float32`);
  return { type: "float32", data: t.data, dims: t.shape };
}

/**
 * Request tensors → runtime feeds, strictly: every input named once, none unknown, none missing, and — where the
 * runtime batches this weight — every batched input agreeing on the batch size (otherwise a bad call could
 * spoil the run it is merged into).
 */
export function toFeeds(spec: WeightSpec, modelName: string, inputs: KserveInferRequest["inputs"]): Feeds {
  const feeds: Feeds = {};
  const budget = { left: MAX_ELEMENTS };
  const names = spec.inputs.map(describe).join(", ");
  for (const t of inputs) {
    const s = spec.inputs.find((x) => x.name === t.name);
    if (!s) throw bad(`${modelName} has no input "${t.name}"; its inputs are ${names}.`);
    if (feeds[t.name]) throw bad(`input "${t.name}" is given twice.`);
    feeds[t.name] = toTensor(t, spec, s, budget);
  }
  const missing = spec.inputs.filter((s) => !feeds[s.name]).map((s) => s.name);
  if (missing.length) throw bad(`missing input${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")}; ${modelName} takes ${names}.`);
  if (spec.batching) {
    const sizes = Object.entries(spec.batching.inputAxes)
      .filter((e): e is [string, number] => e[1] !== null && Boolean(feeds[e[0]]))
      .map(([name, axis]) => ({ name, axis, size: feeds[name].dims[axis] }));
    const odd = sizes.find((x) => x.size !== sizes[0].size);
    if (odd) throw bad(`batch sizes disagree: "${sizes[0].name}" axis ${sizes[0].axis} is ${sizes[0].size}, "${odd.name}" axis ${odd.axis} is ${odd.size}.`);
  }
  return feeds;
}

/** The outputs to return, in the order asked for (default: the weight's own order). */
export function pickOutputs(spec: WeightSpec, modelName: string, wanted: KserveInferRequest["outputs"]): string[] {
  if (!wanted?.length) return spec.outputs.map((o) => o.name);
  return wanted.map((w) => {
    if (!spec.outputs.some((o) => o.name === w.name)) {
      throw new ApiError("bad_request", `${modelName} has no output "${w.name}"; its outputs are ${spec.outputs.map((o) => o.name).join(", ")}.`, { param: "outputs" });
    }
    return w.name;
  });
}

export function fromOutputs(outputs: Outputs, names: string[]) {
  return names.map((name) => {
    const t = outputs[name];
    if (!t) throw new Error(`the model returned no output ${name}`);
    const data = t.data instanceof BigInt64Array ? Array.from(t.data, (v) => Number(v)) : Array.from(t.data);
    return { name, datatype: DATATYPE[t.type], shape: [...t.dims], data };
  });
}
