import { kserveModels } from "../kserve/models";
import { maxUploadBytes } from "../body";
import { kserveInferRequest, kserveInferResponse, kserveLive, kserveModelMetadata, kserveModelReady, kserveReady, kserveServerMetadata } from "../schemas/kserve";
import { MAX_ELEMENTS } from "../kserve/tensors";
import { inputOf, outputOf, ref } from "./components";
import { jsonBody, operation, pathParam } from "./operation";
import type { JsonSchema, Operation, PathItem } from "./types";

export const KSERVE_SCHEMAS: Record<string, JsonSchema> = {
  KServeServerMetadata: outputOf(kserveServerMetadata),
  KServeLive: outputOf(kserveLive),
  KServeReady: outputOf(kserveReady),
  KServeModelMetadata: outputOf(kserveModelMetadata),
  KServeModelReady: outputOf(kserveModelReady),
  KServeInferRequest: inputOf(kserveInferRequest),
  KServeInferResponse: outputOf(kserveInferResponse),
};

export const KSERVE_TAG_DESCRIPTION =
  "The KServe v2 Open Inference Protocol over HTTP/JSON: one ONNX graph per model name, raw tensors in and out, errors as `{\"error\": \"…\"}`. " +
  "A catalog model may run several ONNX files (OCR: detection, angle classifier, recognition), so every file is exposed as `<model id>.<weight>` " +
  "(e.g. `ppocr-v4-det960.ppocr-v4-det`); a model with exactly one ONNX file (Silero VAD) is also exposed as `<model id>` (e.g. `silero-vad-v5`). " +
  "Inference uses the same API keys, scopes, rate limits, monthly quota and usage records (source `kserve`) as /api/v1.";

function nameParam() {
  // Uploaded models add names at run time: the built-ins are examples, not an enum.
  return pathParam("name", "A KServe model name: `<model id>` (single-file models) or `<model id>.<weight>` (a built-in's weight key, an uploaded OCR model's det, cls or rec).", {
    type: "string",
    examples: kserveModels().map((m) => m.name),
  });
}

const versionParam = () => pathParam("version", "A version of the model (GET /v2/models/{name} lists them); without it, uploaded models answer with the version their traffic split picks.");

/** The same operation on `/versions/{version}`: one version pinned. */
function pinned(op: Operation, id: string): Operation {
  return { ...op, operationId: id, summary: `${op.summary} (one version)`, parameters: [...(op.parameters ?? []), versionParam()] };
}

const tag = "KServe v2";

export function kservePaths(): Record<string, PathItem> {
  const paths = unversioned();
  return {
    ...paths,
    "/v2/models/{name}/versions/{version}": { get: pinned(paths["/v2/models/{name}"].get!, "kserveModelVersionMetadata") },
    "/v2/models/{name}/versions/{version}/ready": { get: pinned(paths["/v2/models/{name}/ready"].get!, "kserveModelVersionReady") },
    "/v2/models/{name}/versions/{version}/infer": { post: pinned(paths["/v2/models/{name}/infer"].post!, "kserveInferVersion") },
  };
}

function unversioned(): Record<string, PathItem> {
  return {
    "/v2": {
      get: operation("get", { id: "kserveServerMetadata", tag, summary: "Server metadata", auth: "public", protocol: "kserve", ok: { status: 200, description: "Name, version and protocol extensions (none).", schema: ref("KServeServerMetadata") } }),
    },
    "/v2/health/live": {
      get: operation("get", { id: "kserveLive", tag, summary: "Liveness", auth: "public", protocol: "kserve", ok: { status: 200, description: "The process answers.", schema: ref("KServeLive") } }),
    },
    "/v2/health/ready": {
      get: operation("get", {
        id: "kserveReady",
        tag,
        summary: "Readiness: the database (and Redis, when configured) answers and at least one model can load",
        description: "The checks of /api/ready: 503 until boot has loaded each task's default model; then a model that has not been loaded yet counts as servable, one whose weight files are missing or broken (FAILED) does not.",
        auth: "public",
        protocol: "kserve",
        ok: { status: 200, description: "Ready.", schema: ref("KServeReady") },
        errors: [503],
      }),
    },
    "/v2/models/{name}": {
      get: operation("get", {
        id: "kserveModelMetadata",
        tag,
        summary: "Model metadata: input and output tensors",
        auth: "key",
        permission: "read",
        protocol: "kserve",
        parameters: [nameParam()],
        ok: { status: 200, description: "Tensor names, datatypes and shapes (-1: dynamic).", schema: ref("KServeModelMetadata") },
        errors: [404],
        metered: "rate",
      }),
    },
    "/v2/models/{name}/ready": {
      get: operation("get", {
        id: "kserveModelReady",
        tag,
        summary: "Model readiness",
        description: "200 when the model can serve now; 403 when an administrator disabled it; 503 when its files cannot be loaded.",
        auth: "key",
        permission: "read",
        protocol: "kserve",
        parameters: [nameParam()],
        ok: { status: 200, description: "Ready.", schema: ref("KServeModelReady") },
        errors: [404, 503],
        metered: "rate",
      }),
    },
    "/v2/models/{name}/infer": {
      post: operation("post", {
        id: "kserveInfer",
        tag,
        summary: "Run one ONNX graph on JSON tensors",
        description:
          `Every input of the graph exactly once, with its datatype (FP32 or INT64), a shape whose fixed axes match the metadata, and \`data\` as a flat row-major array whose length is the shape's product. ` +
          `At most ${MAX_ELEMENTS.toLocaleString("en-US")} elements per request (Silero: at most 64 streams of 4,096 samples) and ${2 * Math.round(maxUploadBytes() / 1024 / 1024)} MiB of JSON; a body larger than the model's largest valid call (32 bytes per element) is refused with 413 before it is read. Inputs that share a batch axis must agree on its size. ` +
          "Example for `silero-vad-v5`: `input` FP32 [1, 576] (64 samples of context + a 512-sample frame at 16 kHz), `state` FP32 [2, 1, 128] (zeros to start), `sr` INT64 [] = 16000 → `output` [1, 1] speech probability and `stateN` [2, 1, 128] for the next frame. " +
          "A signed-in browser (the playground) may call it with its session instead of a key.",
        auth: "keyOrSession",
        permission: "inference",
        protocol: "kserve",
        parameters: [nameParam()],
        body: jsonBody(ref("KServeInferRequest")),
        ok: { status: 200, description: "The output tensors.", schema: ref("KServeInferResponse") },
        errors: [400, 402, 404, 408, 413, 415, 503, 504],
        metered: "compute",
      }),
    },
  };
}
