/**
 * Dynamic batching inside a worker (Triton's `dynamic_batching`, in miniature): calls on the same weight whose
 * non-batch dimensions match are merged along each input's batch axis, run once, and the outputs are split back.
 * Calls arriving in the same event-loop turn are merged at no added latency; `maxDelayMs` lets the first call of
 * a batch wait a little for company.
 */
import type { Feeds, InferenceContext, Outputs, Tensor, TensorArray } from "@/lib/models/tensor";
import type { BatchingSpec } from "@/lib/models/catalog";

export interface RunOutcome {
  outputs: Outputs;
  /** This call's share of the run's time (the run's time × its rows / the batch's rows). */
  ms: number;
  /** Rows in the run this call was part of. */
  batchSize: number;
}

interface Pending {
  feeds: Feeds;
  rows: number;
  resolve: (o: RunOutcome) => void;
  reject: (e: unknown) => void;
}

interface Group {
  key: string;
  weightKey: string;
  spec: BatchingSpec;
  calls: Pending[];
  rows: number;
  timer?: NodeJS.Timeout | NodeJS.Immediate;
}

type ArrayCtor = { new (n: number): TensorArray };

function ctorOf(a: TensorArray): ArrayCtor {
  return a.constructor as ArrayCtor;
}

function size(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** Concatenates tensors along `axis` (all other dims equal). */
export function concat(parts: Tensor[], axis: number): Tensor {
  const dims = [...parts[0].dims];
  const outer = size(dims.slice(0, axis));
  const inner = size(dims.slice(axis + 1));
  const total = parts.reduce((s, p) => s + p.dims[axis], 0);
  dims[axis] = total;
  const data = new (ctorOf(parts[0].data))(outer * total * inner);
  for (let o = 0; o < outer; o++) {
    let offset = o * total * inner;
    for (const p of parts) {
      const chunk = p.dims[axis] * inner;
      // Typed-array set on contiguous runs: one memcpy per (outer index, part).
      (data as Float32Array).set((p.data as Float32Array).subarray(o * chunk, (o + 1) * chunk), offset);
      offset += chunk;
    }
  }
  return { type: parts[0].type, data, dims };
}

/** Splits a tensor along `axis` into pieces of the given row counts. */
export function split(t: Tensor, axis: number, rows: number[]): Tensor[] {
  const outer = size(t.dims.slice(0, axis));
  const inner = size(t.dims.slice(axis + 1));
  const total = t.dims[axis];
  let start = 0;
  return rows.map((r) => {
    const dims = [...t.dims];
    dims[axis] = r;
    const data = new (ctorOf(t.data))(outer * r * inner);
    for (let o = 0; o < outer; o++) {
      const from = (o * total + start) * inner;
      (data as Float32Array).set((t.data as Float32Array).subarray(from, from + r * inner), o * r * inner);
    }
    start += r;
    return { type: t.type, data, dims };
  });
}

/** A key that is equal only for calls that can share a run: same weight, same non-batch dims and shared values. */
function signature(weightKey: string, feeds: Feeds, spec: BatchingSpec): string | null {
  const parts = [weightKey];
  for (const name of Object.keys(feeds).sort()) {
    const t = feeds[name];
    const axis = spec.inputAxes[name];
    if (axis === undefined) return null; // an input the spec doesn't know: never batch it
    if (axis === null) {
      // Unbatched inputs (e.g. the sample rate) must carry the same value in every merged call.
      if (size(t.dims) > 16) return null;
      parts.push(`${name}=${Array.from(t.data as ArrayLike<number | bigint>, String).join(",")}`);
    } else {
      parts.push(`${name}:${t.dims.map((d, i) => (i === axis ? "*" : d)).join("x")}`);
    }
  }
  return parts.join("|");
}

export class Batcher {
  private readonly groups = new Map<string, Group>();
  /**
   * One ONNX run at a time per worker: the pool already gives each worker its share of the cores, and runs that
   * overlapped would make every per-request compute figure count the others' time too.
   */
  private tail: Promise<unknown> = Promise.resolve();

  /**
   * @param companions how many other requests in this worker could still join a batch. When none can, a call
   * runs at once instead of waiting for company that will not come (a lone request pays no batching delay).
   */
  constructor(
    private readonly inner: InferenceContext,
    private readonly specFor: (weightKey: string) => BatchingSpec | undefined,
    private readonly enabled = true,
    private readonly companions: () => number = () => Infinity,
  ) {}

  async submit(weightKey: string, feeds: Feeds): Promise<RunOutcome> {
    const spec = this.enabled ? this.specFor(weightKey) : undefined;
    const sig = spec ? signature(weightKey, feeds, spec) : null;
    if (!spec || !sig || (this.companions() === 0 && !this.groups.has(sig))) return this.runAlone(weightKey, feeds);
    const firstBatched = Object.keys(feeds).find((n) => spec.inputAxes[n] !== null);
    const rows = firstBatched ? feeds[firstBatched].dims[spec.inputAxes[firstBatched] as number] : 1;
    return new Promise<RunOutcome>((resolve, reject) => {
      let g = this.groups.get(sig);
      if (!g) {
        g = { key: sig, weightKey, spec, calls: [], rows: 0 };
        this.groups.set(sig, g);
        const group = g;
        g.timer = spec.maxDelayMs > 0 ? setTimeout(() => this.flush(group), spec.maxDelayMs) : setImmediate(() => this.flush(group));
      }
      g.calls.push({ feeds, rows, resolve, reject });
      g.rows += rows;
      if (g.rows >= spec.maxBatch) this.flush(g);
    });
  }

  /** Runs on the worker's single lane; resolves with the outputs and the run's own duration. */
  private exclusive(weightKey: string, feeds: Feeds): Promise<{ outputs: Outputs; ms: number }> {
    const job = this.tail.then(async () => {
      const t0 = performance.now();
      const outputs = await this.inner.run(weightKey, feeds);
      return { outputs, ms: performance.now() - t0 };
    });
    this.tail = job.catch(() => undefined);
    return job;
  }

  private async runAlone(weightKey: string, feeds: Feeds): Promise<RunOutcome> {
    const { outputs, ms } = await this.exclusive(weightKey, feeds);
    return { outputs, ms, batchSize: 1 };
  }

  private flush(g: Group): void {
    if (this.groups.get(g.key) !== g) return; // already flushed
    this.groups.delete(g.key);
    if (g.timer) {
      clearTimeout(g.timer as NodeJS.Timeout);
      clearImmediate(g.timer as NodeJS.Immediate);
    }
    void this.execute(g);
  }

  private async execute(g: Group): Promise<void> {
    const { calls, spec } = g;
    if (calls.length === 1) {
      const c = calls[0];
      this.runAlone(g.weightKey, c.feeds).then((o) => c.resolve({ ...o, batchSize: c.rows }), c.reject);
      return;
    }
    try {
      const merged: Feeds = {};
      for (const name of Object.keys(calls[0].feeds)) {
        const axis = spec.inputAxes[name];
        merged[name] = axis === null || axis === undefined ? calls[0].feeds[name] : concat(calls.map((c) => c.feeds[name]), axis);
      }
      const { outputs: out, ms } = await this.exclusive(g.weightKey, merged);
      const rows = calls.map((c) => c.rows);
      const pieces: Record<string, Tensor[]> = {};
      for (const [name, t] of Object.entries(out)) {
        const axis = spec.outputAxes[name];
        pieces[name] = axis === undefined ? calls.map(() => t) : split(t, axis, rows);
      }
      calls.forEach((c, i) => {
        const outputs: Outputs = {};
        for (const name of Object.keys(pieces)) outputs[name] = pieces[name][i];
        c.resolve({ outputs, ms: (ms * c.rows) / g.rows, batchSize: g.rows });
      });
    } catch (e) {
      for (const c of calls) c.reject(e);
    }
  }
}
