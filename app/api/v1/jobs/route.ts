import { listJobsRequest, submitJobRequest } from "@/lib/api/jobs";
import { route } from "@/lib/api/route";

// GET /api/v1/jobs – the caller's jobs, newest first (filters: status, task; cursor pagination)
export const GET = route({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/jobs" } }, listJobsRequest);

// POST /api/v1/jobs – a PDF, TIFF or image to read (ocr) or a recording to scan for speech (vad), as a job; 202
export const POST = route({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/jobs" } }, submitJobRequest);
