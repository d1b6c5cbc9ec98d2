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
import type { TensorDatatype } from "../catalog";
import { ONNX_DESCRIPTOR } from "./descriptor";

/** TensorProto fields a reader needs: dims (1), data_type (2), name (8), external_data (13), data_location (14). */
const TENSOR_FIELDS_READ = new Set(["dims", "dataType", "name", "externalData", "dataLocation"]);

function readingDescriptor(): protobuf.INamespace {
  const copy = structuredClone(ONNX_DESCRIPTOR);
  const onnx = copy.nested?.onnx as protobuf.INamespace | undefined;
  const tensor = onnx?.nested?.TensorProto as protobuf.IType | undefined;
  if (!tensor?.fields) throw new Error("onnx descriptor has no onnx.TensorProto");
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

/** KServe v2 datatype names of the ONNX element types Pareto can describe (strings are KServe's BYTES). */
export type OnnxDatatype = TensorDatatype;

export const ELEM_TYPE_OF: Readonly<Record<OnnxDatatype, number>> = {
  FP32: ELEM_TYPE.FLOAT,
  FP64: ELEM_TYPE.DOUBLE,
  FP16: ELEM_TYPE.FLOAT16,
  BF16: ELEM_TYPE.BFLOAT16,
  INT8: ELEM_TYPE.INT8,
  INT16: ELEM_TYPE.INT16,
  INT32: ELEM_TYPE.INT32,
  INT64: ELEM_TYPE.INT64,
  UINT8: ELEM_TYPE.UINT8,
  UINT16: ELEM_TYPE.UINT16,
  UINT32: ELEM_TYPE.UINT32,
  UINT64: ELEM_TYPE.UINT64,
  BOOL: ELEM_TYPE.BOOL,
  BYTES: ELEM_TYPE.STRING,
};

/** The KServe name of an ONNX element type; undefined for those KServe has none for (complex, float8, int4, …). */
export const DATATYPE_OF: Readonly<Record<number, OnnxDatatype | undefined>> = Object.fromEntries(
  Object.entries(ELEM_TYPE_OF).map(([name, elem]) => [elem, name as OnnxDatatype]),
);
