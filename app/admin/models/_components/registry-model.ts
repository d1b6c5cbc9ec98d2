/** The admin API's `registry_model` (GET/PATCH /api/v1/admin/models/{id}) as the admin pages read it. */
export type { RegistryModel } from "@/lib/api/schemas/registry";
