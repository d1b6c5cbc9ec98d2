import { infer } from "@/lib/api/kserve/handlers";
import { kserveRoute } from "@/lib/api/kserve/protocol";
import { route } from "@/lib/api/route";

// POST /v2/models/{name}/versions/{version}/infer – KServe v2 inference on JSON tensors (key with `inference`, or the playground's session; metered like /api/v1)
export const POST = route({ ...kserveRoute("/v2/models/{name}/versions/{version}/infer", "inference"), allowSession: true }, infer);
