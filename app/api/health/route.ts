import { handler } from "@/lib/api/handler";

// GET /api/health – liveness: the process is up and answering
export const GET = handler({ auth: "public" }, async () => ({ body: { status: "ok" } }));
