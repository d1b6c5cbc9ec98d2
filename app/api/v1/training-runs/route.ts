import { route } from "@/lib/api/route";
import { listRunsRequest, startRunRequest } from "@/lib/api/training-runs";

// GET /api/v1/training-runs – training runs, newest first, with progress, dataset report and candidates; admins only
export const GET = route({ auth: "admin" }, listRunsRequest);

// POST /api/v1/training-runs – train a text classifier on a dataset (multipart); 202 with the run; admins only
export const POST = route({ auth: "admin" }, startRunRequest);
