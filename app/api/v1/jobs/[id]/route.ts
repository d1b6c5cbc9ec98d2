import { cancelJobRequest, getJobRequest } from "@/lib/api/jobs";
import { route } from "@/lib/api/route";

// GET /api/v1/jobs/{id} – status, progress and, once it has ended, the result or the error
export const GET = route<{ id: string }>({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/jobs/{id}" } }, getJobRequest);

// DELETE /api/v1/jobs/{id} – cancel: running work stops at the next page or chunk and is billed for what ran
export const DELETE = route<{ id: string }>({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/jobs/{id}" } }, cancelJobRequest);
