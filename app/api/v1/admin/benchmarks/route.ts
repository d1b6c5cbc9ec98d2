import { route } from "@/lib/api/route";
import { presentRun } from "@/lib/api/presenters/benchmark-runs";
import { benchmarkStart } from "@/lib/api/schemas/selection";
import { parseJson } from "@/lib/api/validation";
import { writeAudit } from "@/lib/db/audit";
import { startBenchmark } from "@/lib/selection/jobs";

// POST /api/v1/admin/benchmarks – start a benchmark run {mode, models?} in the background (202; poll its id)
export const POST = route({ auth: "admin" }, async ({ req, user }) => {
  const input = await parseJson(req, benchmarkStart);
  const run = presentRun((await startBenchmark({ mode: input.mode, models: input.models, userId: user.id })).run);
  await writeAudit({ actorId: user.id, actorEmail: user.email, action: "benchmark.start", targetType: "benchmark_run", targetId: run.id, details: { mode: run.mode, models: run.models.map((m) => m.id) } });
  return { status: 202, body: run };
});
