/**
 * What an ONNX file declares about itself: IR version, producer, opset imports, the operator types of the graph and
 * its subgraphs, the inputs'/outputs' element types and shapes (symbolic or unknown axes are dynamic), and whether
 * any tensor lives in an external file. Read with protobufjs through the reading schema of proto.ts, which skips
 * tensor payloads by length: the 10 MB PP-OCR recogniser takes ~1 ms warm (~50 ms on first use, while protobufjs
 * generates its decoders), and a 500 MB upload costs its graph, not its weights. No ONNX Runtime session is made
 * here (lib/runtime/probe.ts does that, in a child).
 */
import fs from "node:fs";
import { ServiceError } from "@/lib/models/errors";
import { DATATYPE_OF, int64, ModelProtoRead, type Int64, type OnnxDatatype } from "./proto";

export type { OnnxDatatype } from "./proto";

export interface OnnxValueInfo {
  name: string;
  /** KServe datatype of a tensor; null for a sequence/map/optional value or an element type KServe has no name for. */
  datatype: OnnxDatatype | null;
  /** A number for a fixed axis, a string for a named (dynamic) one, null for an unknown one. Empty for a scalar. */
  dims: (number | string | null)[];
  /** False when the file declares no shape at all (rank unknown; `dims` is then empty). */
  hasShape: boolean;
}

export interface OnnxMeta {
  irVersion: number;
  producer: string;
  producerVersion: string;
  opsets: { domain: string; version: number }[];
  /** Opset of the standard domain ("" / "ai.onnx"). */
  defaultOpset: number | null;
  /** Distinct operator types, subgraphs included; non-standard domains are prefixed ("com.microsoft:FusedConv"). */
  ops: string[];
  /** The graph's inputs less its initializers (IR < 4 lists weights among the inputs). */
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  /** Every axis of an input or output that is not a fixed size. */
  dynamicAxes: { tensor: string; axis: number; name: string | null }[];
  /** Some tensor's bytes live in another file: such a model cannot be uploaded as one file. */
  externalData: boolean;
  /** ModelProto.metadata_props as a record (a repeated key keeps its last value, as ONNX Runtime's does). */
  metadata: Record<string, string>;
}

// The decoded messages, as far as this reader looks (protobufjs camel-cases onnx.proto's field names).
interface TensorMsg {
  name: string;
  dataLocation: number;
  externalData: unknown[];
}
interface SparseTensorMsg {
  values: TensorMsg | null;
  indices: TensorMsg | null;
}
interface AttributeMsg {
  t: TensorMsg | null;
  g: GraphMsg | null;
  tensors: TensorMsg[];
  graphs: GraphMsg[];
  sparseTensor: SparseTensorMsg | null;
  sparseTensors: SparseTensorMsg[];
}
interface NodeMsg {
  opType: string;
  domain: string;
  attribute: AttributeMsg[];
}
interface DimMsg {
  dimValue?: Int64 | null;
  dimParam?: string | null;
}
interface TypeMsg {
  tensorType: { elemType: number; shape: { dim: DimMsg[] } | null } | null;
}
interface ValueInfoMsg {
  name: string;
  type: TypeMsg | null;
}
interface GraphMsg {
  node: NodeMsg[];
  initializer: TensorMsg[];
  sparseInitializer: SparseTensorMsg[];
  input: ValueInfoMsg[];
  output: ValueInfoMsg[];
}
interface ModelMsg {
  irVersion: Int64;
  producerName: string;
  producerVersion: string;
  opsetImport: { domain: string; version: Int64 }[];
  metadataProps: { key: string; value: string }[];
  graph: GraphMsg | null;
}

/** Highest IR version a file may claim (ONNX 1.18 writes 11): anything far beyond is not an ONNX file. */
const MAX_IR_VERSION = 64;

function invalid(message: string): ServiceError {
  return new ServiceError("invalid_model", message);
}

function isExternal(t: TensorMsg | null): boolean {
  return !!t && (t.dataLocation === 1 || t.externalData.length > 0);
}

function valueInfo(v: ValueInfoMsg): OnnxValueInfo {
  const tt = v.type?.tensorType;
  if (!tt) return { name: v.name, datatype: null, dims: [], hasShape: false };
  const dims = (tt.shape?.dim ?? []).map((d): number | string | null => {
    // A oneof whose members protobufjs sets as own properties; the prototype holds defaults (0) for an unset one,
    // and Silero's exports leave both unset for their unknown axes.
    if (Object.hasOwn(d, "dimParam") && d.dimParam) return d.dimParam;
    if (Object.hasOwn(d, "dimValue")) return int64(d.dimValue);
    return null;
  });
  return { name: v.name, datatype: DATATYPE_OF[tt.elemType] ?? null, dims, hasShape: !!tt.shape };
}

/** Operator types of a graph and of every subgraph in its nodes' attributes (If branches, Loop/Scan bodies). */
function walk(g: GraphMsg, ops: Set<string>, state: { external: boolean }): void {
  if (g.initializer.some(isExternal) || g.sparseInitializer.some((s) => isExternal(s.values) || isExternal(s.indices))) state.external = true;
  for (const n of g.node) {
    ops.add(n.domain && n.domain !== "ai.onnx" ? `${n.domain}:${n.opType}` : n.opType);
    for (const a of n.attribute) {
      if (isExternal(a.t) || a.tensors.some(isExternal)) state.external = true;
      if (a.sparseTensor && (isExternal(a.sparseTensor.values) || isExternal(a.sparseTensor.indices))) state.external = true;
      if (a.g) walk(a.g, ops, state);
      for (const sub of a.graphs) walk(sub, ops, state);
    }
  }
}

function decode(bytes: Uint8Array): ModelMsg {
  if (bytes.length === 0) throw invalid("The file is empty, not an ONNX model.");
  try {
    return ModelProtoRead.decode(bytes) as unknown as ModelMsg;
  } catch {
    // protobufjs's messages ("index out of range: 812 + 10 > 816", "invalid wire type 7 at offset 3") mean nothing to an operator.
    throw invalid("The file is not an ONNX model, or it is truncated or corrupt: it does not decode as an ONNX ModelProto.");
  }
}

/** Reads an ONNX model's description; throws ServiceError("invalid_model") for anything that is not a whole ONNX model. */
export function inspectOnnx(bytes: Uint8Array): OnnxMeta {
  const m = decode(bytes);
  const irVersion = int64(m.irVersion);
  // Random bytes sometimes decode as a protobuf; a model has an IR version, opset imports and a graph with outputs.
  if (irVersion < 1 || irVersion > MAX_IR_VERSION) throw invalid(`The file is not an ONNX model: its IR version (${irVersion}) is not one ONNX defines.`);
  if (!m.graph) throw invalid("The file is not an ONNX model, or it is truncated: it has no graph.");
  if (m.opsetImport.length === 0) throw invalid("The ONNX model is incomplete or truncated: it imports no operator set.");
  if (m.graph.output.length === 0) throw invalid("The ONNX model's graph has no outputs.");

  const ops = new Set<string>();
  const state = { external: false };
  walk(m.graph, ops, state);
  const initializers = new Set([...m.graph.initializer.map((t) => t.name), ...m.graph.sparseInitializer.map((s) => s.values?.name ?? "")]);
  const opsets = m.opsetImport.map((o) => ({ domain: o.domain, version: int64(o.version) }));
  const inputs = m.graph.input.filter((i) => !initializers.has(i.name)).map(valueInfo);
  const outputs = m.graph.output.map(valueInfo);
  const dynamicAxes: OnnxMeta["dynamicAxes"] = [];
  for (const t of [...inputs, ...outputs]) {
    t.dims.forEach((d, axis) => {
      if (typeof d !== "number" || d <= 0) dynamicAxes.push({ tensor: t.name, axis, name: typeof d === "string" ? d : null });
    });
  }
  return {
    irVersion,
    producer: m.producerName,
    producerVersion: m.producerVersion,
    opsets,
    defaultOpset: opsets.find((o) => o.domain === "" || o.domain === "ai.onnx")?.version ?? null,
    ops: [...ops].sort(),
    inputs,
    outputs,
    dynamicAxes,
    externalData: state.external,
    metadata: Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value])),
  };
}

const cache = new Map<string, { mtimeMs: number; meta: OnnxMeta }>();

/** Reads a file's description once per modification time (weights don't change while the server runs). */
export function readOnnxMeta(file: string): OnnxMeta {
  const st = fs.statSync(file);
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === st.mtimeMs) return hit.meta;
  const meta = inspectOnnx(fs.readFileSync(file));
  cache.set(file, { mtimeMs: st.mtimeMs, meta });
  return meta;
}
