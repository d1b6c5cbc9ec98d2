import { modelReady } from "@/lib/api/kserve/handlers";
import { kserveRoute } from "@/lib/api/kserve/protocol";
import { metered } from "@/lib/api/metered";

// GET /v2/models/{name}/ready – KServe v2 model readiness (key with `read`)
export const GET = metered(kserveRoute("/v2/models/{name}/ready", "read"), modelReady);
