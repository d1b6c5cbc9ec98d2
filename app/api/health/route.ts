import { route } from "@/lib/api/route";

// GET /api/health – liveness: the process is up and answering
export const GET = route({ auth: "public", duringBoot: true }, async () => ({ body: { status: "ok" } }));
