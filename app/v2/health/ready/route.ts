import { route } from "@/lib/api/route";
import { ready } from "@/lib/api/kserve/handlers";

// GET /v2/health/ready – KServe v2 readiness: the database answers and some enabled model can load
export const GET = route({ auth: "public", duringBoot: true }, ({ requestId }) => ready(requestId));
