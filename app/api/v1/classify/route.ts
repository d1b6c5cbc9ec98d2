import { classifyRequest } from "@/lib/api/classify";
import { route } from "@/lib/api/route";

// POST /api/v1/classify – label texts with a text classifier (the language identifier by default)
export const POST = route({ auth: "key", permission: "inference", allowSession: true, metered: { route: "/api/v1/classify" } }, classifyRequest);
