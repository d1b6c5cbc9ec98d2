import { route } from "@/lib/api/route";
import { previewRequest } from "@/lib/api/training-runs";

// POST /api/v1/training-runs/preview – a dataset's label counts and bad rows, and whether it can be trained on; nothing stored
export const POST = route({ auth: "admin" }, previewRequest);
