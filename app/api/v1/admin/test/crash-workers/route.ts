import { ApiError } from "@/lib/api/errors";
import { handler, newRequestId, toErrorResponse } from "@/lib/api/handler";
import { getRuntime } from "@/lib/runtime";

type Route = (req: Request, route: { params: Promise<Record<string, never>> }) => Promise<Response>;

/** Test hooks exist only with PARETO_TEST_HOOKS=1; otherwise the route answers 404 before any auth check. */
function onlyWithTestHooks(fn: Route): Route {
  return async (req, route) => {
    if (process.env.PARETO_TEST_HOOKS !== "1") {
      const requestId = newRequestId();
      const res = toErrorResponse(new ApiError("not_found", "No such route."), requestId);
      res.headers.set("x-request-id", requestId);
      return res;
    }
    return fn(req, route);
  };
}

// POST /api/v1/admin/test/crash-workers – test hook (PARETO_TEST_HOOKS=1 only): kill every inference worker mid-flight
export const POST = onlyWithTestHooks(
  handler({ auth: "admin" }, async () => {
    const rt = getRuntime();
    for (let i = 0; i < rt.config.workers; i++) rt.crashWorker(i);
    return { body: { object: "test_hook", crashed_workers: rt.config.workers } };
  }),
);
