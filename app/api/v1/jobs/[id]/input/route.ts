import { jobInputRequest } from "@/lib/api/jobs";
import { route } from "@/lib/api/route";

// GET /api/v1/jobs/{id}/input – the uploaded file, as sent (kept for PARETO_JOB_RETENTION_DAYS)
export const GET = route<{ id: string }>({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/jobs/{id}/input" } }, jobInputRequest);
