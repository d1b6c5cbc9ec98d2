import { modelMetadata } from "@/lib/api/kserve/handlers";
import { kserveRoute } from "@/lib/api/kserve/protocol";
import { metered } from "@/lib/api/metered";

// GET /v2/models/{name} – KServe v2 model metadata: tensor names, datatypes and shapes (key with `read`)
export const GET = metered(kserveRoute("/v2/models/{name}", "read"), modelMetadata);
