import { route } from "@/lib/api/route";
import { uploadModelRequest } from "@/lib/api/model-admin";
import { presentAdminModel } from "@/lib/api/presenters/admin-models";
import { adminModels } from "@/lib/admin/models";

// GET /api/v1/admin/models – every servable with enabled flag, load state, queue depth, recent p95 and memory; admins only
export const GET = route({ auth: "admin" }, async () => ({ body: { object: "list", data: (await adminModels()).map(presentAdminModel) } }));

// POST /api/v1/admin/models – bring a model (multipart: fields and files, streamed to storage); admins only
export const POST = route({ auth: "admin" }, uploadModelRequest);
