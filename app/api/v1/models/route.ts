import { route } from "@/lib/api/route";
import { listModels } from "@/lib/api/presenters/models";

// GET /api/v1/models – every model this host serves, with its live status
export const GET = route({ auth: "public" }, async () => ({ body: { object: "list", data: await listModels() } }));
