import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { getModel } from "@/lib/api/presenters/models";

// GET /api/v1/models/{id} – one model with its input/output schema and latest benchmarks
export const GET = route<{ id: string }>({ auth: "public" }, async ({ params }) => {
  const model = await getModel(params.id);
  if (!model) throw new ApiError("model_not_found", `No model "${params.id}".`, { param: "id" });
  return { body: model };
});
