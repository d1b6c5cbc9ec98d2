/**
 * KServe v2 (Open Inference Protocol) request and response schemas. The handlers parse with these and the
 * OpenAPI document is generated from them. Only the JSON tensor form is accepted (no binary-data extension).
 */
import { z } from "zod";
import type { DecodedTensorData } from "../kserve/json-decode";

/** The datatypes our ONNX weights take and give (lib/models/catalog.ts `TensorSpec`). */
export const KSERVE_DATATYPES = ["FP32", "INT64"] as const;
export const MAX_RANK = 8;

const parameters = z.record(z.string(), z.unknown()).optional().describe("Accepted and ignored.");

const shape = z
  .array(z.number().int().min(0).max(2 ** 31 - 1))
  .max(MAX_RANK)
  .describe("Dimensions, row-major. `[]` is a scalar (one element).");

/** Elements per request, all inputs together: bounds the memory one call can make a worker allocate. */
export const MAX_ELEMENTS = 8 * 1024 * 1024;
const NUMBERS = "data must be a flat, row-major array of finite numbers";

/** The request as sent (documented in OpenAPI): `data` is a JSON array of numbers. */
const wireData = z
  .array(z.number({ error: NUMBERS }))
  .max(MAX_ELEMENTS)
  .describe("The tensor's elements, flattened row-major; its length is the product of `shape`. INT64 values must be safe integers.");

/**
 * The request as validated: json-decode.ts has already checked every element and packed each `data` into a typed
 * array (Float32Array for FP32), so zod only walks the small skeleton around the tensors.
 */
const decodedData = z.custom<DecodedTensorData>((v) => v instanceof Float32Array || v instanceof Float64Array, { error: NUMBERS });

function inferRequest<D extends z.ZodType>(data: D) {
  const tensor = z.strictObject({
    name: z.string().min(1).max(128),
    shape,
    datatype: z.enum(KSERVE_DATATYPES),
    parameters,
    data,
  });
  return z.strictObject({
    id: z.string().max(256).optional().describe("Echoed in the response; defaults to the request id."),
    parameters,
    inputs: z.array(tensor).min(1).max(16),
    outputs: z
      .array(z.strictObject({ name: z.string().min(1).max(128), parameters }))
      .max(16)
      .optional()
      .describe("Which outputs to return (default: all)."),
  });
}

export const kserveInferRequest = inferRequest(wireData);
export const kserveDecodedRequest = inferRequest(decodedData);

export type KserveInferRequest = z.output<typeof kserveDecodedRequest>;
export type KserveInputTensor = KserveInferRequest["inputs"][number];

export const kserveOutputTensor = z.object({
  name: z.string(),
  datatype: z.string(),
  shape: z.array(z.number().int()),
  data: z.array(z.number()),
});

export const kserveInferResponse = z.object({
  model_name: z.string(),
  model_version: z.string(),
  id: z.string(),
  outputs: z.array(kserveOutputTensor),
});

const metadataTensor = z.object({
  name: z.string(),
  datatype: z.enum(KSERVE_DATATYPES),
  shape: z.array(z.number().int()).describe("-1 marks a dynamic axis."),
});

export const kserveModelMetadata = z.object({
  name: z.string(),
  versions: z.array(z.string()),
  platform: z.literal("onnxruntime"),
  inputs: z.array(metadataTensor),
  outputs: z.array(metadataTensor),
});

export const kserveServerMetadata = z.object({ name: z.string(), version: z.string(), extensions: z.array(z.string()) });
export const kserveLive = z.object({ live: z.literal(true) });
export const kserveReady = z.object({ ready: z.literal(true) });
export const kserveModelReady = z.object({ name: z.string(), ready: z.literal(true) });
export const kserveError = z.object({ error: z.string() });
