/**
 * In-process ONNX Runtime sessions behind the `InferenceContext` contract. Worker threads use this (plus
 * batching); tests and benchmarks use it directly. This directory is the only place onnxruntime-node is imported.
 *
 * Memory: ONNX Runtime's CPU arena keeps every buffer it ever grew to (a 40 MP image at det_limit_side 4096 left
 * 2.5 GB resident in a worker), and the memory admitted per request (admission.ts) must come back after the run.
 * The fix ONNX Runtime offers, shrinking the arena after a run (run option `memory.enable_memory_arena_shrinkage`),
 * cannot be reached from Node: onnxruntime-node's run options take only `logSeverityLevel` and `tag`, and ignore
 * `extra` (checked on 1.30: a bogus value is accepted and the arena keeps its 2 GB). So a graph the arena helps
 * (the catalog's `arena` spec: text detection) gets two sessions: one with the arena for runs up to the spec's
 * input size, whose retained memory that size bounds, and one without it for larger runs, which frees its buffers.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import * as ort from "onnxruntime-node";
import { env } from "@/lib/config/env";
import { isWeightKey, weightSpec, type WeightSpec } from "@/lib/models/catalog";
import type { Feeds, InferenceContext, Outputs, Tensor, TensorArray, TensorType } from "@/lib/models/tensor";

export interface SessionOptions {
  intraOpThreads?: number;
  resolvePath: (weightKey: string) => string;
  /** Use the CPU arena where the catalog allows it; default PARETO_ORT_ARENA. False: no run ever uses it. */
  arena?: boolean;
  /** The spec of a weight the catalog does not know (an uploaded file's, sent with its entry). */
  specFor?: (weightKey: string) => WeightSpec | undefined;
  /** The SHA-256 a weight's bytes must have (uploaded files): checked on every session load, before ONNX Runtime reads them. */
  sha256For?: (weightKey: string) => string | undefined;
}

/** Thrown when a file's bytes are not the ones registered: a session is never made from them. */
export class IntegrityError extends Error {}

/** The file's bytes, checked against the hash they were registered with. */
function verifiedBytes(path: string, sha256: string): Uint8Array {
  const bytes = fs.readFileSync(path);
  const actual = createHash("sha256").update(bytes).digest("hex");
  if (actual !== sha256) throw new IntegrityError(`failed to load model file ${path}: its SHA-256 is ${actual}, registered as ${sha256}`);
  return bytes;
}

export type SessionKind = "arena" | "plain";

function toOrt(t: Tensor): ort.Tensor {
  return new ort.Tensor(t.type, t.data as ort.Tensor.DataType, t.dims);
}

function fromOrt(t: ort.Tensor): Tensor {
  return { type: t.type as TensorType, data: t.data as TensorArray, dims: [...t.dims] };
}

function inputBytes(feeds: Feeds): number {
  let n = 0;
  for (const t of Object.values(feeds)) n += t.data.byteLength;
  return n;
}

export class SessionContext implements InferenceContext {
  /** Per kind, per weight key: a session loads once, concurrent callers share the load. */
  private readonly sessions: Record<SessionKind, Map<string, Promise<ort.InferenceSession>>> = { arena: new Map(), plain: new Map() };
  private readonly arena: boolean;

  constructor(private readonly options: SessionOptions) {
    this.arena = options.arena ?? env.ortArena();
  }

  /** The largest input (bytes, all feeds) a run of this weight may bring to the arena session; 0: never. */
  private arenaLimit(weightKey: string): number {
    if (!this.arena) return 0;
    const spec = isWeightKey(weightKey) ? weightSpec(weightKey) : this.options.specFor?.(weightKey);
    return spec?.arena?.maxInputBytes ?? 0;
  }

  /** The kind of session the runtime loads ahead of requests: the one ordinary inputs run on. */
  private defaultKind(weightKey: string): SessionKind {
    return this.arenaLimit(weightKey) > 0 ? "arena" : "plain";
  }

  private session(kind: SessionKind, weightKey: string): Promise<ort.InferenceSession> {
    const map = this.sessions[kind];
    let s = map.get(weightKey);
    if (!s) {
      const path = this.options.resolvePath(weightKey);
      const sha256 = this.options.sha256For?.(weightKey);
      const options: ort.InferenceSession.SessionOptions = {
        intraOpNumThreads: this.options.intraOpThreads ?? 1,
        interOpNumThreads: 1,
        executionMode: "sequential",
        graphOptimizationLevel: "all",
        enableCpuMemArena: kind === "arena",
        // Inside the arena the memory pattern (one block per run, planned per input shape) makes the arena grow a
        // second copy of the peak next to the per-tensor chunks of the first run (det at 960: 290 vs 165 MB kept),
        // for no speed on detection. Without the arena it is what it always was: on.
        enableMemPattern: kind === "plain",
        // Idle pool threads must not spin: workers share the cores, and spinning made multi-threaded OCR
        // 1.5–3.9× slower in bench/ on 2 cores.
        extra: { session: { intra_op: { allow_spinning: "0" }, inter_op: { allow_spinning: "0" } } },
      };
      s = sha256 ? Promise.resolve().then(() => ort.InferenceSession.create(verifiedBytes(path, sha256), options)) : ort.InferenceSession.create(path, options);
      // A failed load must not be cached forever: the next caller retries.
      s.catch(() => map.delete(weightKey));
      map.set(weightKey, s);
    }
    return s;
  }

  /** Loads (once) the session ordinary inputs of this weight run on; a large input's session loads at its first run. */
  load(weightKey: string): Promise<ort.InferenceSession> {
    return this.session(this.defaultKind(weightKey), weightKey);
  }

  /** The session this run goes to: the arena one unless its inputs exceed what the arena may keep. */
  kindFor(weightKey: string, feeds: Feeds): SessionKind {
    const limit = this.arenaLimit(weightKey);
    return limit > 0 && inputBytes(feeds) <= limit ? "arena" : "plain";
  }

  async run(weightKey: string, feeds: Feeds): Promise<Outputs> {
    const session = await this.session(this.kindFor(weightKey, feeds), weightKey);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const [name, t] of Object.entries(feeds)) ortFeeds[name] = toOrt(t);
    const result = await session.run(ortFeeds);
    const out: Outputs = {};
    for (const [name, t] of Object.entries(result)) out[name] = fromOrt(t);
    return out;
  }

  async unload(weightKey: string): Promise<void> {
    const held = (["arena", "plain"] as const).map((kind) => {
      const s = this.sessions[kind].get(weightKey);
      this.sessions[kind].delete(weightKey);
      return s;
    });
    for (const s of held) if (s) await (await s).release();
  }

  /** Weight keys with at least one session. */
  loaded(): string[] {
    return [...new Set([...this.sessions.arena.keys(), ...this.sessions.plain.keys()])];
  }

  /** Which sessions of a weight exist (a plain one next to an arena one means a large input ran). */
  kinds(weightKey: string): SessionKind[] {
    return (["arena", "plain"] as const).filter((k) => this.sessions[k].has(weightKey));
  }

  async close(): Promise<void> {
    await Promise.all(this.loaded().map((k) => this.unload(k)));
  }
}
