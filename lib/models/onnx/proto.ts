/**
 * ONNX's protobuf messages through protobufjs, from the descriptor generated out of the vendored onnx.proto
 * (descriptor.ts). A JSON descriptor rather than the .proto text: nothing is looked up on disk or parsed at run time,
 * so the same module works under Next, in the bundled worker and in tsx scripts, and only protobufjs's light build
 * (no .proto parser) is needed.
 *
 * Two roots from one schema. `writeRoot` is the whole schema (builders encode with it). `readRoot` is the same schema
 * with TensorProto cut down to its name, type, shape and data location: tensor payloads (raw_data, float_data, …)
 * become unknown fields, which the decoder skips by length without copying or converting them — so reading a model
 * costs its graph structure, not its hundreds of MB of weights.
 */
import protobuf from "protobufjs/light";
import { ONNX_DESCRIPTOR } from "./descriptor";

/** TensorProto fields a reader needs: dims (1), data_type (2), name (8), external_data (13), data_location (14). */
const TENSOR_FIELDS_READ = new Set(["dims", "dataType", "name", "externalData", "dataLocation"]);

function readingDescriptor(): protobuf.INamespace {
  const copy = structuredClone(ONNX_DESCRIPTOR);
  const tensor = copy.nested?.onnx && "nested" in copy.nested.onnx ? copy.nested.onnx.nested?.TensorProto : undefined;
  if (!tensor || !("fields" in tensor)) throw new Error("onnx descriptor has no onnx.TensorProto");
  for (const name of Object.keys(tensor.fields)) if (!TENSOR_FIELDS_READ.has(name)) delete tensor.fields[name];
  return copy;
}

export const writeRoot = protobuf.Root.fromJSON(ONNX_DESCRIPTOR);
export const readRoot = protobuf.Root.fromJSON(readingDescriptor());

/** ModelProto for encoding (every field) and for decoding (tensor payloads skipped). */
export const ModelProtoWrite = writeRoot.lookupType("onnx.ModelProto");
export const ModelProtoRead = readRoot.lookupType("onnx.ModelProto");

/** protobufjs gives int64 fields as numbers or as `Long` objects (when the long package is present). */
export type Int64 = number | { toNumber(): number };

export function int64(v: Int64 | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}

/** TensorProto.DataType numbers (onnx.proto, plus those later IR versions added). */
export const ELEM_TYPE = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  UINT16: 4,
  INT16: 5,
  INT32: 6,
  INT64: 7,
  STRING: 8,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  UINT32: 12,
  UINT64: 13,
  COMPLEX64: 14,
  COMPLEX128: 15,
  BFLOAT16: 16,
} as const;
