/**
 * The tensor contract between model pipelines (`lib/models/<family>/`) and the runtime (`lib/runtime/`).
 * Pipelines never import onnxruntime-node: they describe tensors with plain typed arrays and ask an
 * `InferenceContext` to run a named weight file. The runtime implements the context inside a worker thread,
 * which is where batching, timing and session caching live.
 */
import { DomainError, type InputErrorCode } from "./errors";

export type TensorType = "float32" | "int64" | "int32" | "uint8" | "bool";

export type TensorArray = Float32Array | BigInt64Array | Int32Array | Uint8Array;

export interface Tensor {
  type: TensorType;
  data: TensorArray;
  dims: readonly number[];
}

export type Feeds = Record<string, Tensor>;
export type Outputs = Record<string, Tensor>;

export interface InferenceContext {
  /**
   * Runs the ONNX graph registered under `weightKey` (see `lib/models/catalog.ts`).
   * Feeds may carry a batch of any size along the weight's batch axes; the runtime may merge concurrent calls
   * into one larger batch and split the results back, so callers must not rely on batch composition.
   */
  run(weightKey: string, feeds: Feeds): Promise<Outputs>;
}

export function float32(data: Float32Array, dims: readonly number[]): Tensor {
  return { type: "float32", data, dims };
}

export function int64(values: readonly (number | bigint)[], dims: readonly number[]): Tensor {
  return { type: "int64", data: BigInt64Array.from(values, (v) => BigInt(v)), dims };
}

/** Typed errors a pipeline throws for bad input; the API maps `code` to a 4xx (see lib/models/errors.ts). */
export type { InputErrorCode } from "./errors";

export class InputError extends DomainError {
  declare readonly code: InputErrorCode;
  constructor(code: InputErrorCode, message: string, param?: string) {
    super("input", code, message, { param });
    this.name = "InputError";
  }
}
