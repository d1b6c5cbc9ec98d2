import { route } from "@/lib/api/route";
import { deleteModelRequest } from "@/lib/api/model-admin";

// DELETE /api/v1/admin/models/{id}/versions/{version} – remove a version without traffic
export const DELETE = route<{ id: string; version: string }>({ auth: "admin" }, deleteModelRequest);
