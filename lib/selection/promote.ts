import "server-only";
/**
 * Promote a variant to its task's default through the regression gate (gate.ts). The candidate and the current
 * default are compared on this host's figures when both are fresh (≤ 7 days) and were scored on the same eval
 * subset; otherwise both are benchmarked first, together, in quick mode (≈ 5–15 s). Every attempt is audit-logged
 * with its figures and reasons, refused ones too.
 */
import type { SessionUser } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { setTaskDefault } from "@/lib/db/model-defaults";
import { findModelRow } from "@/lib/db/models";
import { catalogEntry, type Task } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { evaluateGate, gateTolerancesFromEnv, type GateFigures, type GateTolerances } from "./gate";
import { startBenchmark } from "./jobs";
import { defaultModel } from "./resolve";
import { invalidateTable, loadTable } from "./service";
import { p95At, type ModelFigures } from "./table";

const FRESH_MS = 7 * 24 * 3600 * 1000;

function fresh(f: ModelFigures | undefined): f is ModelFigures {
  return Boolean(f && f.accuracy !== null && p95At(f, 1) !== null && f.measuredAt && Date.now() - Date.parse(f.measuredAt) <= FRESH_MS);
}

/** Both measured recently, and their accuracies come from the same eval subset. */
function comparable(a: ModelFigures | undefined, b: ModelFigures | undefined): boolean {
  if (!fresh(a) || !fresh(b)) return false;
  return a.accuracyConditions?.evalSet === b.accuracyConditions?.evalSet && a.accuracyConditions?.subset === b.accuracyConditions?.subset;
}

/** A promotion that passed the gate (a refused one throws `promotion_refused`). */
export interface Promotion {
  model: string;
  task: Task;
  /** The default before: the same model when it already was the default. */
  previousDefault: string;
  reasons: string[];
  /** Whether fresh figures had to be measured first. */
  benchmarked: boolean;
  tolerances: GateTolerances;
}

export async function promoteModel(actor: SessionUser, id: string): Promise<Promotion> {
  const entry = catalogEntry(id);
  if (!entry) throw new ServiceError("model_not_found", `No model "${id}".`, { param: "id" });
  const row = await findModelRow(id);
  if (row && !row.enabled) throw new ServiceError("conflict", `Model ${id} is disabled; enable it before making it the default.`, { param: "id" });
  const current = await defaultModel(entry.task);
  const tolerances = gateTolerancesFromEnv();
  let table = await loadTable();
  let benchmarked = false;
  if (current.id !== id && !comparable(table.get(id), table.get(current.id))) {
    const { done } = await startBenchmark({ mode: "quick", models: [id, current.id], userId: actor.id });
    const outcome = await done;
    if (outcome.status === "cancelled") throw new ServiceError("conflict", "The benchmark the promotion needed was cancelled; nothing changed.");
    benchmarked = true;
    invalidateTable();
    table = await loadTable();
  }
  const figures = (m: string): GateFigures => {
    const f = table.get(m);
    return { model: m, accuracy: f?.accuracy ?? null, p95Ms: f ? p95At(f, 1) : null };
  };
  const gate = evaluateGate(figures(id), figures(current.id), tolerances);
  await writeAudit({
    actorId: actor.id,
    actorEmail: actor.email,
    action: "model.promote",
    targetType: "model",
    targetId: id,
    details: { outcome: gate.ok ? "promoted" : "refused", task: entry.task, previous: current.id, reasons: gate.reasons, benchmarked, tolerances: { ...tolerances }, candidate: { ...figures(id) }, current: { ...figures(current.id) } },
  });
  if (!gate.ok) throw new ServiceError("promotion_refused", `Promotion of ${id} refused: ${gate.reasons.join("; ")}.`, { param: "id" });
  if (current.id !== id) await setTaskDefault(entry.task, id);
  return { model: id, task: entry.task, previousDefault: current.id, reasons: gate.reasons, benchmarked, tolerances };
}
