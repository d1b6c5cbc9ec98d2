import { route } from "@/lib/api/route";
import { frontierOutput, taskQuery } from "@/lib/api/schemas/selection";
import { parseWith } from "@/lib/api/validation";
import { frontierView } from "@/lib/selection/service";

// GET /api/v1/selection/frontier?task=ocr|vad – this host's measured variants, Pareto flags and conditions
export const GET = route({ auth: "public" }, async ({ req }) => {
  const { task } = parseWith(taskQuery, Object.fromEntries(new URL(req.url).searchParams));
  return { body: frontierOutput.parse(await frontierView(task)) };
});
