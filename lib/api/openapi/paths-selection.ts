import { benchmarkRunOutput, benchmarkStart, frontierOutput, promotionOutput, taskQuery } from "../schemas/selection";
import { inputOf, outputOf, ref } from "./components";
import { jsonBody, operation, pathParam, queryParams } from "./operation";
import type { JsonSchema, PathItem } from "./types";

export const SELECTION_SCHEMAS: Record<string, JsonSchema> = {
  Frontier: outputOf(frontierOutput),
  BenchmarkStart: inputOf(benchmarkStart),
  BenchmarkRun: outputOf(benchmarkRunOutput),
  Promotion: outputOf(promotionOutput),
};

const tag = "Model selection";
const runId = pathParam("id", "Benchmark run id.");

export const SELECTION_PATHS: Record<string, PathItem> = {
  "/api/v1/selection/frontier": {
    get: operation("get", {
      id: "getFrontier",
      tag,
      summary: "This host's measured variants of a task, with Pareto flags and measuring conditions",
      auth: "public",
      parameters: queryParams(taskQuery),
      ok: { status: 200, description: "The frontier.", schema: ref("Frontier") },
      errors: [422],
    }),
  },
  "/api/v1/admin/benchmarks": {
    post: operation("post", {
      id: "adminStartBenchmark",
      tag,
      summary: "Start a benchmark run in the background (poll its id)",
      auth: "admin",
      body: jsonBody(ref("BenchmarkStart")),
      ok: { status: 202, description: "Started.", schema: ref("BenchmarkRun") },
      errors: [400, 404, 409, 413, 415, 422],
    }),
  },
  "/api/v1/admin/benchmarks/{id}": {
    get: operation("get", { id: "adminGetBenchmark", tag, summary: "A run's status and progress per model and step", auth: "admin", parameters: [runId], ok: { status: 200, description: "The run.", schema: ref("BenchmarkRun") }, errors: [404] }),
  },
  "/api/v1/admin/benchmarks/{id}/cancel": {
    post: operation("post", {
      id: "adminCancelBenchmark",
      tag,
      summary: "Stop a run (at once in this process, else at its next step)",
      auth: "admin",
      parameters: [runId],
      ok: { status: 200, description: "The run.", schema: ref("BenchmarkRun") },
      errors: [404, 409],
    }),
  },
  "/api/v1/admin/models/{id}/promote": {
    post: operation("post", {
      id: "adminPromoteModel",
      tag,
      summary: "Make a variant its task's default through the regression gate",
      description: "Measures the variant and the current default first when their figures are stale. 409 `promotion_refused` when the gate says no.",
      auth: "admin",
      parameters: [pathParam("id", "Model id.")],
      ok: { status: 200, description: "Promoted.", schema: ref("Promotion") },
      errors: [404, 409, 503],
    }),
  },
};
