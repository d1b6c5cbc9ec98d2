import "server-only";
/**
 * A finished run's candidates join the registry the way an upload does — stored by hash (putBlob), checked and
 * test-loaded, registered (registerModel / registerVersion), announced to every instance — each as a version of the
 * run's model with the hold-out rows as its labelled eval set, so the measurement scores every candidate on rows
 * none of them trained on. The best takes all the traffic; the others stay at 0 %, servable as `id@version` and
 * open to `model=auto` and to a traffic change (PATCH /api/v1/admin/models/{id}).
 */
import { maxModelBytes, putBlob } from "@/lib/registry/blob-store";
import { patchModel } from "@/lib/registry/manage";
import { registryRows } from "@/lib/registry/servables";
import { registerModel, registerVersion, type Actor, type StoredUpload } from "@/lib/registry/upload";
import { ServiceError } from "@/lib/models/errors";
import type { TrainResult } from "./train";
import type { RegisteredCandidate } from "./view";

/** Version names the registry takes. */
const VERSION = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;

export interface RegisterRequest {
  modelId: string;
  name: string | null;
  description: string | null;
  /** The run's number among the runs of this model: prefixes its version names ("3-linear-b18"). */
  runNumber: number;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

async function stored(field: string, filename: string, bytes: Uint8Array): Promise<StoredUpload> {
  const put = await putBlob(once(bytes), { maxBytes: maxModelBytes() });
  return { field, filename, sha256: put.sha256, bytes: put.bytes, existed: put.existed };
}

/** `<n>-<name>`, shortened to the registry's 32 characters (keeping it distinct by its index when it must be cut). */
function versionName(n: number, name: string, index: number): string {
  const full = `${n}-${name}`;
  if (full.length <= 32) return full;
  const tail = `-${index}`;
  return `${full.slice(0, 32 - tail.length).replace(/[._-]+$/, "")}${tail}`;
}

/** `<n>-<candidate>` for each candidate, the first n from `runNumber` up whose names are all free in the model. */
export function versionNames(candidates: readonly string[], runNumber: number, taken: ReadonlySet<string>): Map<string, string> {
  for (let n = runNumber; n < runNumber + 10_000; n++) {
    const names = new Map(candidates.map((c, i) => [c, versionName(n, c, i)]));
    const values = [...names.values()];
    if (values.every((v) => VERSION.test(v) && !taken.has(v)) && new Set(values).size === values.length) return names;
  }
  throw new ServiceError("conflict", "No free version names for this run's candidates.", { param: "id" });
}

/** Registers every candidate (the best first, with all the traffic). Returns them as the run records them. */
export async function registerCandidates(actor: Actor, req: RegisterRequest, result: TrainResult): Promise<{ candidates: RegisteredCandidate[]; best: string }> {
  const existing = (await registryRows()).find((r) => r.id === req.modelId);
  if (existing && (existing.builtIn || existing.task !== "text")) {
    throw new ServiceError("conflict", `Model ${req.modelId} exists and is a ${existing.builtIn ? "built-in" : existing.task} model.`, { param: "id" });
  }
  const best = result.candidates.find((c) => c.name === result.best) ?? result.candidates[0];
  if (!best) throw new ServiceError("validation_error", "The trainer returned no candidate.");
  const ordered = [best, ...result.candidates.filter((c) => c !== best)];
  const names = versionNames(
    ordered.map((c) => c.name),
    req.runNumber,
    new Set(existing?.versions.map((v) => v.version) ?? []),
  );
  const evalJsonl = new TextEncoder().encode(result.holdout.map((r) => JSON.stringify({ text: r.text, label: r.label })).join("\n") + "\n");
  const out: RegisteredCandidate[] = [];
  for (const c of ordered) {
    const version = names.get(c.name)!;
    const files = new Map<string, StoredUpload>([["file", await stored("file", `${req.modelId}-${version}.onnx`, c.onnx)]]);
    if (result.holdout.length) files.set("eval", await stored("eval", `${req.modelId}-holdout.jsonl`, evalJsonl));
    const fields = { version, evalMetric: "accuracy" };
    if (!existing && c === best) {
      await registerModel(actor, { id: req.modelId, task: "text", name: req.name ?? undefined, description: req.description ?? undefined, source: "Trained on this host", ...fields }, files);
    } else {
      await registerVersion(actor, { id: req.modelId, task: "text", builtIn: false }, fields, files);
    }
    out.push({ version, name: c.name, kind: c.kind, hyper: c.hyper, metrics: c.metrics });
  }
  // A model trained before: the new best takes its traffic now (a retrain is a deployment the admin asked for).
  if (existing) await patchModel(actor, req.modelId, { traffic: { [names.get(best.name)!]: 100 } });
  return { candidates: out, best: names.get(best.name)! };
}
