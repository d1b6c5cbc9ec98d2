import { modelReady } from "@/lib/api/kserve/handlers";
import { kserveRoute } from "@/lib/api/kserve/protocol";
import { route } from "@/lib/api/route";

// GET /v2/models/{name}/versions/{version}/ready – KServe v2 model readiness (key with `read`)
export const GET = route(kserveRoute("/v2/models/{name}/versions/{version}/ready", "read"), modelReady);
