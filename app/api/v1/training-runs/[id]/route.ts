import { route } from "@/lib/api/route";
import { cancelRunRequest, getRunRequest } from "@/lib/api/training-runs";

// GET /api/v1/training-runs/{id} – one run: status, progress, loss curve, candidates and their traffic; admins only
export const GET = route<{ id: string }>({ auth: "admin" }, getRunRequest);

// DELETE /api/v1/training-runs/{id} – cancel a run (within a second); 409 once it has finished
export const DELETE = route<{ id: string }>({ auth: "admin" }, cancelRunRequest);
