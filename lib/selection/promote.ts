import "server-only";
/**
 * Promote a model — a built-in variant or an uploaded model — to its task's default through the regression gate
 * (gate.ts). An uploaded model is judged by its version with the most traffic (what its requests mostly get), and so
 * is an uploaded current default. The candidate and the current
 * default are compared on this host's figures when both are fresh (≤ 7 days) and were scored on the same eval
 * subset; otherwise both are benchmarked first, together, in quick mode (≈ 5–15 s). Every attempt is audit-logged
 * with its figures and reasons, refused ones too.
 */
import type { SessionUser } from "@/lib/auth/session";
import { writeAudit } from "@/lib/db/audit";
import { setTaskDefault } from "@/lib/db/model-defaults";
import type { ModelRow, ModelVersionRow } from "@/lib/db/models";
import { taskDefault, type CatalogEntry, type Task } from "@/lib/models/catalog";
import { ServiceError } from "@/lib/models/errors";
import { builtInEntry, SERVABLE_STATUSES, uploadedEntry } from "@/lib/registry/entries";
import { registryRows } from "@/lib/registry/servables";
import { evaluateGate, gateTolerancesFromEnv, type GateFigures, type GateTolerances } from "./gate";
import { startBenchmark } from "./jobs";
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

type Row = ModelRow & { versions: ModelVersionRow[] };

/** The servable that stands for a model at the gate: a built-in itself, an upload's version with the most traffic. */
function representative(row: Row): CatalogEntry | undefined {
  if (row.builtIn) return builtInEntry(row.id);
  const live = row.versions.filter((v) => SERVABLE_STATUSES.includes(v.status));
  // Oldest first in the rows: on a tie the newer version stands (reduce keeps the later one on >=).
  const top = live.reduce<ModelVersionRow | undefined>((best, v) => (!best || v.trafficPercent >= best.trafficPercent ? v : best), undefined);
  return top && uploadedEntry(row, top);
}

export async function promoteModel(actor: SessionUser, id: string): Promise<Promotion> {
  const rows = await registryRows();
  const row = rows.find((r) => r.id === id);
  if (!row) throw new ServiceError("model_not_found", `No model "${id}".`, { param: "id" });
  if (row.task === "tensor") throw new ServiceError("validation_error", `${id} is a tensor model: tensor models have no task default.`, { param: "id" });
  if (!row.enabled) throw new ServiceError("conflict", `Model ${id} is disabled; enable it before making it the default.`, { param: "id" });
  const entry = representative(row);
  if (!entry) throw new ServiceError("conflict", `Model ${id} has no version that can serve yet.`, { param: "id" });
  const task = entry.task;
  const currentRow = rows.find((r) => r.task === task && r.isDefault && r.enabled);
  const current = (currentRow && representative(currentRow)) ?? taskDefault(task);
  // The text task's default answers `langid-default`: only a model with the same labels can take its place.
  if (task === "text" && current.text && entry.text && current.text.labels.join("\n") !== [...entry.text.labels].join("\n")) {
    const sameSet = current.text.labels.length === entry.text.labels.length && current.text.labels.every((l) => entry.text!.labels.includes(l));
    if (!sameSet) throw new ServiceError("promotion_refused", `${id} has other labels than the default text model ${current.modelId}: only a model of the same labels can become the default.`, { param: "id" });
  }
  const tolerances = gateTolerancesFromEnv();
  let table = await loadTable();
  let benchmarked = false;
  if (current.id !== entry.id && !comparable(table.get(entry.id), table.get(current.id))) {
    const { done } = await startBenchmark({ mode: "quick", models: [entry.id, current.id], userId: actor.id });
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
  const gate = evaluateGate(figures(entry.id), figures(current.id), tolerances);
  await writeAudit({
    actorId: actor.id,
    actorEmail: actor.email,
    action: "model.promote",
    targetType: "model",
    targetId: id,
    details: { outcome: gate.ok ? "promoted" : "refused", task, previous: current.id, reasons: gate.reasons, benchmarked, tolerances: { ...tolerances }, candidate: { ...figures(entry.id) }, current: { ...figures(current.id) } },
  });
  if (!gate.ok) throw new ServiceError("promotion_refused", `Promotion of ${id} refused: ${gate.reasons.join("; ")}.`, { param: "id" });
  if (current.modelId !== id) await setTaskDefault(task, id);
  return { model: id, task, previousDefault: current.modelId, reasons: gate.reasons, benchmarked, tolerances };
}
