import { route } from "@/lib/api/route";
import { addVersionRequest } from "@/lib/api/model-admin";

// POST /api/v1/admin/models/{id}/versions – add a version (multipart; it takes no traffic until a PATCH gives it some)
export const POST = route<{ id: string }>({ auth: "admin" }, addVersionRequest);
