import { route } from "@/lib/api/route";
import { presentRun } from "@/lib/api/presenters/benchmark-runs";
import { getRun } from "@/lib/selection/jobs";

// GET /api/v1/admin/benchmarks/{id} – a run's status and progress per model and step
export const GET = route<{ id: string }>({ auth: "admin" }, async ({ params }) => ({ body: presentRun(await getRun(params.id)) }));
