import { route } from "@/lib/api/route";
import { serverMetadata } from "@/lib/api/kserve/handlers";

// GET /v2 – KServe v2 server metadata
export const GET = route({ auth: "public" }, async () => serverMetadata());
