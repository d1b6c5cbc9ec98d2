import { jobDeliveriesRequest } from "@/lib/api/jobs";
import { route } from "@/lib/api/route";

// GET /api/v1/jobs/{id}/deliveries – the job's webhook deliveries: every attempt, its status or error and duration
export const GET = route<{ id: string }>({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/jobs/{id}/deliveries" } }, jobDeliveriesRequest);
