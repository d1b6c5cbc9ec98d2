import { handler } from "@/lib/api/handler";
import { live } from "@/lib/api/kserve/handlers";

// GET /v2/health/live – KServe v2 liveness: the process answers
export const GET = handler({ auth: "public" }, async () => live());
