import { route } from "@/lib/api/route";
import { deleteModelRequest, getModelRequest, patchModelRequest } from "@/lib/api/model-admin";

// GET /api/v1/admin/models/{id} – a registry model with its versions, files, signatures and traffic; admins only
export const GET = route<{ id: string }>({ auth: "admin" }, getModelRequest);

// PATCH /api/v1/admin/models/{id} – traffic split between versions (canary, promotion, rollback), enabled, sticky
export const PATCH = route<{ id: string }>({ auth: "admin" }, patchModelRequest);

// DELETE /api/v1/admin/models/{id} – remove an uploaded model (refused while it is a task default)
export const DELETE = route<{ id: string }>({ auth: "admin" }, deleteModelRequest);
