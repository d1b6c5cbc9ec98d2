import { handler } from "@/lib/api/handler";
import { serverMetadata } from "@/lib/api/kserve/handlers";

// GET /v2 – KServe v2 server metadata
export const GET = handler({ auth: "public" }, async () => serverMetadata());
