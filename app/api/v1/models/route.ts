import { handler } from "@/lib/api/handler";
import { listModels } from "@/lib/api/presenters/models";

// GET /api/v1/models – every model this host serves, with its live status
export const GET = handler({ auth: "public" }, async () => ({ body: { object: "list", data: await listModels() } }));
