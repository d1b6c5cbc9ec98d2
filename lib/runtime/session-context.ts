/**
 * In-process ONNX Runtime sessions behind the `InferenceContext` contract. Worker threads use this (plus
 * batching); tests and benchmarks use it directly. This directory is the only place onnxruntime-node is imported.
 */
import * as ort from "onnxruntime-node";
import type { Feeds, InferenceContext, Outputs, Tensor, TensorArray, TensorType } from "@/lib/models/tensor";

export interface SessionOptions {
  intraOpThreads?: number;
  resolvePath: (weightKey: string) => string;
}

function toOrt(t: Tensor): ort.Tensor {
  return new ort.Tensor(t.type, t.data as ort.Tensor.DataType, t.dims);
}

function fromOrt(t: ort.Tensor): Tensor {
  return { type: t.type as TensorType, data: t.data as TensorArray, dims: [...t.dims] };
}

export class SessionContext implements InferenceContext {
  private readonly sessions = new Map<string, Promise<ort.InferenceSession>>();

  constructor(private readonly options: SessionOptions) {}

  /** Loads (once) the session for a weight key; concurrent callers share the same load. */
  load(weightKey: string): Promise<ort.InferenceSession> {
    let s = this.sessions.get(weightKey);
    if (!s) {
      s = ort.InferenceSession.create(this.options.resolvePath(weightKey), {
        intraOpNumThreads: this.options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
        // No CPU arena: the arena keeps the largest run's activations forever (a 40 MP image at det_limit_side 4096
        // left 2.5 GB resident in one worker), so memory admitted per request (admission.ts) would not come back.
        // Without it the large buffers are freed after each run; the measured peak was also 30% lower.
        enableCpuMemArena: false,
        // Idle pool threads must not spin: workers share the cores, and spinning made multi-threaded OCR
        // 1.5–3.9× slower in bench/ on 2 cores.
        extra: { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } },
      });
      // A failed load must not be cached forever: the next caller retries.
      s.catch(() => this.sessions.delete(weightKey));
      this.sessions.set(weightKey, s);
    }
    return s;
  }

  async run(weightKey: string, feeds: Feeds): Promise<Outputs> {
    const session = await this.load(weightKey);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
    const result = await session.run(ortFeeds);
    const out: Outputs = {};
    for (const [name, t] of Object.entries(result)) out[name] = fromOrt(t);
    return out;
  }

  async unload(weightKey: string): Promise<void> {
    const s = this.sessions.get(weightKey);
    this.sessions.delete(weightKey);
    if (s) await (await s).release();
  }

  loaded(): string[] {
    return [...this.sessions.keys()];
  }

  async close(): Promise<void> {
    await Promise.all(this.loaded().map((k) => this.unload(k)));
  }
}
