import "server-only";
import type { Promotion } from "@/lib/selection/promote";
import { promotionOutput } from "../schemas/selection";

/** A promotion through the regression gate as the API shows it. */
export function presentPromotion(p: Promotion) {
  return promotionOutput.parse({
    object: "promotion",
    model: p.model,
    task: p.task,
    promoted: true,
    previous_default: p.previousDefault,
    reasons: p.reasons,
    benchmarked: p.benchmarked,
    tolerances: p.tolerances,
  });
}
