/**
 * `model: "auto"`: picks a variant from this host's benchmark table, the caller's constraints and the live queue.
 * Pure — the inference route feeds it the table and the runtime's queue depths.
 *
 * 1. Expected latency = measured p95 at concurrency 1 + the wait for the current backlog:
 *      wait_ms = Σ over all models (queued + in flight) × that model's mean service time / workers
 *    (the workers are shared by every model, so the backlog delays every candidate alike).
 * 2. A candidate is feasible when expected p95 ≤ max_latency_ms, accuracy ≥ min_accuracy and peak memory ≤
 *    max_memory_mb (each only when given). Unmeasured, disabled or not-permitted variants are never chosen.
 * 3. Only the Pareto frontier of the feasible set (accuracy up, expected p95 down) is eligible; then by objective:
 *    - fastest:       lowest expected p95 (ties: higher accuracy, lower memory, id);
 *    - most_accurate: highest accuracy (ties: lower expected p95, lower memory, id);
 *    - balanced (default): highest  accuracy − 0.05 × log2(p95 / fastest eligible p95), i.e. each doubling of latency
 *      must buy at least 5 accuracy points (0.05) — the knee of the frontier, and independent of unrelated variants.
 * 4. No feasible variant → not ok, with the nearest alternatives (smallest summed relative violation) and what
 *    each violates. No figures at all → the task default, saying so.
 */
import { CATALOGS } from "@/lib/i18n/config";
import { list, renderMessage, type Message, type MessageArg } from "@/lib/i18n/message";
import type { Task } from "@/lib/models/catalog";
import { paretoFrontier } from "./frontier";

export const OBJECTIVES = ["fastest", "most_accurate", "balanced"] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Accuracy worth one doubling of latency in the balanced objective. */
export const BALANCED_ACCURACY_PER_DOUBLING = 0.05;

export interface Constraints {
  max_latency_ms?: number;
  min_accuracy?: number;
  max_memory_mb?: number;
  objective?: Objective;
}

export interface RouterModel {
  model: string;
  accuracy: number | null;
  /** Measured p95 at concurrency 1, ms. */
  p95Ms: number | null;
  /** Mean service time, ms (for the backlog estimate). */
  serviceMs: number | null;
  memoryMb: number | null;
  /** Why the caller may not use it now (disabled by an admin, outside the key's scopes, failed to load). */
  unavailable?: "disabled" | "not_allowed" | "unavailable";
}

export interface QueueState {
  workers: number;
  models: { model: string; queued: number; inFlight: number; serviceMs: number }[];
}

export interface RouteInput {
  task: Task;
  models: readonly RouterModel[];
  queue?: QueueState;
  constraints: Constraints;
  /** The task default, used when nothing is measured yet. */
  defaultModel: string;
}

export interface Candidate {
  model: string;
  eligible: boolean;
  violates: string[];
  /** Expected p95 (measured + queue wait), ms. */
  p95_ms: number | null;
  accuracy: number | null;
  memory_mb: number | null;
}

/**
 * `reason` is the English text (the API's `selection.reason` and error message); `reasonMessage` is the same
 * reason as catalog keys and parameters (selection.reason.*), stored with the decision and rendered in the
 * reader's language by lib/i18n/message.ts. The English text is rendered from it, so the two never differ.
 */
export type RouteResult =
  | { ok: true; model: string; reason: string; reasonMessage: Message; candidates: Candidate[]; measured: boolean; waitMs: number }
  | { ok: false; reason: string; reasonMessage: Message; candidates: Candidate[]; nearest: Candidate[]; waitMs: number };

const r1 = (v: number) => Math.round(v * 10) / 10;
const r4 = (v: number) => Math.round(v * 10000) / 10000;

export function queueWaitMs(q: QueueState | undefined): number {
  if (!q || q.workers <= 0) return 0;
  return q.models.reduce((s, m) => s + (m.queued + m.inFlight) * Math.max(0, m.serviceMs), 0) / q.workers;
}

const R = "selection.reason";
const msg = (key: string, params?: Record<string, MessageArg>): Message => (params ? { key: `${R}.${key}`, params } : { key: `${R}.${key}` });
/** An optional clause: the fragment when it applies, else nothing. */
const clause = (when: boolean, key: string, params?: Record<string, MessageArg>): MessageArg => (when ? msg(key, params) : "");

function describeConstraints(c: Constraints): Message | MessageArg {
  const parts: Message[] = [];
  if (c.max_latency_ms !== undefined) parts.push(msg("constraint.maxLatency", { ms: c.max_latency_ms }));
  if (c.min_accuracy !== undefined) parts.push(msg("constraint.minAccuracy", { value: c.min_accuracy }));
  if (c.max_memory_mb !== undefined) parts.push(msg("constraint.maxMemory", { mb: c.max_memory_mb }));
  return parts.length ? list(parts, `${R}.sep.comma`) : msg("constraint.none");
}

function violationMessage(c: Candidate, k: Constraints): Message {
  const v = c.violates.map((x) => {
    if (x === "max_latency_ms") return msg("violation.latency", { p95: String(c.p95_ms), max: String(k.max_latency_ms) });
    if (x === "min_accuracy") return msg("violation.accuracy", { accuracy: String(c.accuracy), min: String(k.min_accuracy) });
    if (x === "max_memory_mb") return c.memory_mb === null ? msg("violation.memoryUnmeasured") : msg("violation.memory", { memory: c.memory_mb, max: String(k.max_memory_mb) });
    return msg("violation.other", { code: x });
  });
  return msg("candidate", { model: c.model, violations: list(v, `${R}.sep.semicolon`) });
}

/** The English text of a reason (the API's `selection.reason`). */
function english(m: Message): string {
  const text = renderMessage(CATALOGS.en, m);
  // Only reachable if a selection.reason key were removed from the catalog; the unit tests render every branch.
  if (text === null) throw new Error(`router reason ${m.key} does not render`);
  return text;
}

/** How far a candidate is from feasible: the sum of its relative violations. */
function shortfall(c: Candidate, k: Constraints): number {
  let s = 0;
  if (k.max_latency_ms !== undefined && c.p95_ms !== null) s += Math.max(0, (c.p95_ms - k.max_latency_ms) / k.max_latency_ms);
  if (k.min_accuracy !== undefined && c.accuracy !== null) s += Math.max(0, (k.min_accuracy - c.accuracy) / Math.max(k.min_accuracy, 1e-9));
  if (k.max_memory_mb !== undefined) s += c.memory_mb === null ? 1 : Math.max(0, (c.memory_mb - k.max_memory_mb) / k.max_memory_mb);
  return s;
}

export function route(input: RouteInput): RouteResult {
  const k = input.constraints;
  const objective = k.objective ?? "balanced";
  const waitMs = queueWaitMs(input.queue);
  const measured = (m: RouterModel) => m.accuracy !== null && m.p95Ms !== null;

  if (!input.models.some(measured)) {
    const candidates = input.models.map((m) => ({ model: m.model, eligible: m.model === input.defaultModel, violates: ["not_measured"], p95_ms: null, accuracy: null, memory_mb: null }));
    const constrained = k.max_latency_ms !== undefined || k.min_accuracy !== undefined || k.max_memory_mb !== undefined;
    const reasonMessage = msg("unmeasured", { task: input.task, model: input.defaultModel, unchecked: clause(constrained, "unchecked") });
    return { ok: true, model: input.defaultModel, reason: english(reasonMessage), reasonMessage, candidates, measured: false, waitMs };
  }

  const candidates: Candidate[] = input.models.map((m) => {
    const c: Candidate = {
      model: m.model,
      eligible: false,
      violates: [],
      p95_ms: m.p95Ms === null ? null : r1(m.p95Ms + waitMs),
      accuracy: m.accuracy === null ? null : r4(m.accuracy),
      memory_mb: m.memoryMb === null ? null : r1(m.memoryMb),
    };
    if (!measured(m)) c.violates.push("not_measured");
    else {
      if (k.max_latency_ms !== undefined && c.p95_ms! > k.max_latency_ms) c.violates.push("max_latency_ms");
      if (k.min_accuracy !== undefined && c.accuracy! < k.min_accuracy) c.violates.push("min_accuracy");
      if (k.max_memory_mb !== undefined && (c.memory_mb === null || c.memory_mb > k.max_memory_mb)) c.violates.push("max_memory_mb");
    }
    if (m.unavailable) c.violates.push(m.unavailable);
    return c;
  });

  const feasible = candidates.filter((c) => c.violates.length === 0);
  if (!feasible.length) {
    const nearest = candidates
      .filter((c) => c.accuracy !== null && c.p95_ms !== null && !c.violates.some((v) => v === "disabled" || v === "not_allowed" || v === "unavailable"))
      .sort((a, b) => shortfall(a, k) - shortfall(b, k) || a.model.localeCompare(b.model))
      .slice(0, 3);
    const reasonMessage = msg("noneSatisfies", {
      task: input.task,
      constraints: describeConstraints(k),
      wait: clause(waitMs > 0, "noneWait", { ms: r1(waitMs) }),
      nearest: clause(nearest.length > 0, "nearest", { candidates: list(nearest.map((c) => violationMessage(c, k)), `${R}.sep.comma`) }),
    });
    return { ok: false, reason: english(reasonMessage), reasonMessage, candidates, nearest, waitMs };
  }

  const flagged = paretoFrontier(feasible.map((c) => ({ ...c, cost: c.p95_ms!, accuracy: c.accuracy! })));
  for (const f of flagged) {
    const c = candidates.find((x) => x.model === f.model)!;
    if (f.onFrontier) c.eligible = true;
    else c.violates.push("dominated");
  }
  const eligible = candidates.filter((c) => c.eligible) as (Candidate & { p95_ms: number; accuracy: number })[];
  const mem = (c: Candidate) => c.memory_mb ?? Number.POSITIVE_INFINITY;
  const fastestP95 = Math.min(...eligible.map((c) => c.p95_ms));
  const score = (c: { p95_ms: number; accuracy: number }) => c.accuracy - BALANCED_ACCURACY_PER_DOUBLING * Math.log2(Math.max(c.p95_ms, 1e-6) / Math.max(fastestP95, 1e-6));
  const order: Record<Objective, (a: (typeof eligible)[number], b: (typeof eligible)[number]) => number> = {
    fastest: (a, b) => a.p95_ms - b.p95_ms || b.accuracy - a.accuracy || mem(a) - mem(b) || a.model.localeCompare(b.model),
    most_accurate: (a, b) => b.accuracy - a.accuracy || a.p95_ms - b.p95_ms || mem(a) - mem(b) || a.model.localeCompare(b.model),
    balanced: (a, b) => score(b) - score(a) || b.accuracy - a.accuracy || a.p95_ms - b.p95_ms || a.model.localeCompare(b.model),
  };
  const chosen = [...eligible].sort(order[objective])[0];
  const reasonMessage = msg("chosen", {
    objective: msg(`objective.${objective}`),
    model: chosen.model,
    accuracy: chosen.accuracy,
    p95: chosen.p95_ms,
    wait: clause(waitMs > 0, "chosenWait", { ms: r1(waitMs) }),
    score: clause(objective === "balanced", "score", { score: r4(score(chosen)) }),
    feasible: feasible.length,
    measured: candidates.filter((c) => !c.violates.includes("not_measured")).length,
    constraints: describeConstraints(k),
    eligible: eligible.length,
  });
  return { ok: true, model: chosen.model, reason: english(reasonMessage), reasonMessage, candidates, measured: true, waitMs };
}
