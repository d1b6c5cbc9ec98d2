/** The training-runs API's objects as the admin pages read them (`GET /api/v1/training-runs[/{id}]`, the preview). */
import type { z } from "zod";
import type { datasetPreviewOutput, OBJECTIVES, trainingRunOutput } from "@/lib/api/schemas/training-runs";

export type TrainingRun = z.output<typeof trainingRunOutput>;
export type DatasetPreview = z.output<typeof datasetPreviewOutput>;
/** What a run's dataset and a preview share: format, rows, rows per label, the rows left out. */
export type DatasetCounts = Pick<DatasetPreview, "format" | "rows" | "labels" | "bad_rows" | "bad_row_count">;
export type CurvePoint = TrainingRun["curve"][number];
export type RunCandidate = TrainingRun["candidates"][number];
export type RunStatus = TrainingRun["status"];
export type Objective = (typeof OBJECTIVES)[number];

export const isLive = (s: RunStatus | undefined) => s === "queued" || s === "running";
