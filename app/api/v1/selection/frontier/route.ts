import { ApiError } from "@/lib/api/errors";
import { route } from "@/lib/api/route";
import { frontierOutput, taskQuery } from "@/lib/api/schemas/selection";
import { parseWith } from "@/lib/api/validation";
import { frontierView } from "@/lib/selection/service";

// GET /api/v1/selection/frontier?task=ocr|vad|text[&family=] – this host's measured variants, Pareto flags and conditions
export const GET = route({ auth: "public" }, async ({ req }) => {
  const { task, family } = parseWith(taskQuery, Object.fromEntries(new URL(req.url).searchParams));
  if (family !== undefined && task !== "text") throw new ApiError("validation_error", "family applies only to task=text.", { param: "family" });
  return { body: frontierOutput.parse(await frontierView(task, task === "text" ? (family ?? "langid") : undefined)) };
});
