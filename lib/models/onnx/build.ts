/**
 * A small ONNX ModelProto writer: graph inputs/outputs, initializers (stored as raw little-endian bytes, as PyTorch
 * exports do), nodes with scalar/list attributes and opset imports. Tests build their models with it, and the
 * trainer exports what it trains with it, so the files Pareto writes and reads come from one schema (proto.ts).
 */
import { ELEM_TYPE_OF, ModelProtoWrite, type OnnxDatatype } from "./proto";

export interface ValueDecl {
  name: string;
  datatype: OnnxDatatype;
  /** A number for a fixed axis, a string names a dynamic one (e.g. "N" for the batch). */
  dims: (number | string)[];
}

export interface InitializerDecl {
  name: string;
  dims: number[];
  data: Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;
  /** Defaults from `data`'s array type (a Uint8Array is UINT8). */
  datatype?: OnnxDatatype;
}

/** One attribute value, tagged by its ONNX type (a JS number cannot tell an int from a float). */
export type AttributeValue = { i: number } | { f: number } | { s: string } | { ints: number[] } | { floats: number[] } | { strings: string[] };

export interface NodeDecl {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  /** "" (the default) is the standard ONNX domain. */
  domain?: string;
  attributes?: Record<string, AttributeValue>;
}

export interface ModelDecl {
  inputs: ValueDecl[];
  outputs: ValueDecl[];
  nodes: NodeDecl[];
  initializers?: InitializerDecl[];
  /** Default: the standard domain at opset 17 (ONNX Runtime 1.30 runs up to 23). */
  opsets?: { domain: string; version: number }[];
  /** Default 8 (ONNX 1.10+). */
  irVersion?: number;
  producer?: string;
  producerVersion?: string;
  graphName?: string;
  docString?: string;
  /** ModelProto.metadata_props: what a reader needs to use the model beyond its tensors (e.g. `pareto.text`). */
  metadata?: Record<string, string>;
}

// AttributeProto.AttributeType numbers (onnx.proto).
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

function datatypeOf(init: InitializerDecl): OnnxDatatype {
  if (init.datatype) return init.datatype;
  if (init.data instanceof Float32Array) return "FP32";
  if (init.data instanceof Float64Array) return "FP64";
  if (init.data instanceof Int32Array) return "INT32";
  if (init.data instanceof BigInt64Array) return "INT64";
  return "UINT8";
}

function valueInfo(v: ValueDecl) {
  const dim = v.dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return { name: v.name, type: { tensorType: { elemType: ELEM_TYPE_OF[v.datatype], shape: { dim } } } };
}

function attribute(name: string, v: AttributeValue) {
  if ("i" in v) return { name, type: ATTR.INT, i: v.i };
  if ("f" in v) return { name, type: ATTR.FLOAT, f: v.f };
  if ("s" in v) return { name, type: ATTR.STRING, s: new TextEncoder().encode(v.s) };
  if ("ints" in v) return { name, type: ATTR.INTS, ints: v.ints };
  if ("floats" in v) return { name, type: ATTR.FLOATS, floats: v.floats };
  return { name, type: ATTR.STRINGS, strings: v.strings.map((s) => new TextEncoder().encode(s)) };
}

function initializer(t: InitializerDecl) {
  const expected = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== expected) throw new Error(`initializer ${t.name}: ${t.data.length} values for dims [${t.dims.join(", ")}]`);
  // ONNX raw_data is little-endian; typed arrays are in host order, little-endian on every platform Pareto runs on.
  const rawData = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  return { name: t.name, dims: t.dims, dataType: ELEM_TYPE_OF[datatypeOf(t)], rawData };
}

/** Serialises a model; ONNX Runtime (and inspectOnnx) read the bytes back. */
export function buildModel(decl: ModelDecl): Uint8Array {
  const model = ModelProtoWrite.fromObject({
    irVersion: decl.irVersion ?? 8,
    producerName: decl.producer ?? "pareto",
    producerVersion: decl.producerVersion ?? "",
    docString: decl.docString ?? "",
    opsetImport: decl.opsets ?? [{ domain: "", version: 17 }],
    metadataProps: Object.entries(decl.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: decl.graphName ?? "main",
      input: decl.inputs.map(valueInfo),
      output: decl.outputs.map(valueInfo),
      initializer: (decl.initializers ?? []).map(initializer),
      node: decl.nodes.map((n, i) => ({
        name: n.name ?? `${n.opType}_${i}`,
        opType: n.opType,
        domain: n.domain ?? "",
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attributes ?? {}).map(([k, v]) => attribute(k, v)),
      })),
    },
  });
  return ModelProtoWrite.encode(model).finish();
}
