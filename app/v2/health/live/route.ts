import { route } from "@/lib/api/route";
import { live } from "@/lib/api/kserve/handlers";

// GET /v2/health/live – KServe v2 liveness: the process answers
export const GET = route({ auth: "public", duringBoot: true }, async () => live());
