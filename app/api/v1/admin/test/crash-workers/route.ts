import { env } from "@/lib/config/env";
import { route } from "@/lib/api/route";
import { getRuntime } from "@/lib/runtime";

// POST /api/v1/admin/test/crash-workers – test hook (PARETO_TEST_HOOKS=1 only, else 404 before any auth check): kill every inference worker mid-flight
export const POST = route({ auth: "admin", onlyIf: () => env.testHooks() }, async () => {
  const rt = getRuntime();
  for (let i = 0; i < rt.config.workers; i++) rt.crashWorker(i);
  return { body: { object: "test_hook", crashed_workers: rt.config.workers } };
});
