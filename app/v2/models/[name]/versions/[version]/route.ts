import { modelMetadata } from "@/lib/api/kserve/handlers";
import { kserveRoute } from "@/lib/api/kserve/protocol";
import { route } from "@/lib/api/route";

// GET /v2/models/{name}/versions/{version} – KServe v2 model metadata: tensor names, datatypes and shapes (key with `read`)
export const GET = route(kserveRoute("/v2/models/{name}/versions/{version}", "read"), modelMetadata);
