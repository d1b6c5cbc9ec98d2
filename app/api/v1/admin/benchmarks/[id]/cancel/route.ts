import { route } from "@/lib/api/route";
import { presentRun } from "@/lib/api/presenters/benchmark-runs";
import { writeAudit } from "@/lib/db/audit";
import { cancelBenchmark } from "@/lib/selection/jobs";

// POST /api/v1/admin/benchmarks/{id}/cancel – stop a run (at once in this process, else at its next step)
export const POST = route<{ id: string }>({ auth: "admin" }, async ({ params, user }) => {
  const run = presentRun(await cancelBenchmark(params.id));
  await writeAudit({ actorId: user.id, actorEmail: user.email, action: "benchmark.cancel", targetType: "benchmark_run", targetId: params.id });
  return { body: run };
});
