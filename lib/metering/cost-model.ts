import "server-only";
import { quantile } from "@/lib/stats";

/**
 * What a request will cost before it runs, from the size of its input, so the quota reservation is in proportion
 * to the work: a 33 s recording reserves ~130× what a 0.25 s one does. Per model (and way of running it) this
 * instance fits a cautious affine bound to its own recent requests — measured on this host, under its real load:
 *
 *   estimate(u) = MARGIN × (a + b·u),  a = the cheapest recent request,  b = the 90th percentile of what each cost
 *   per unit above a.
 *
 * Before TRUSTED_AFTER requests were seen, the larger of that and a cautious default per kind of unit; and while
 * none was seen, one request at a time (`probeTurn`): a cold instance that let a burst in on a guess would overspend
 * by the burst times the guess's error. Too high an estimate refuses a request that would have fitted; too low lets
 * spending pass the quota by the difference — the settle bills what was actually spent either way
 * (lib/metering/quota.ts), so the counter never hides it.
 */

/** What a request's size is counted in: image pixels, audio seconds, raw tensor elements (KServe), text characters. */
export type UnitKind = "pixels" | "audio_s" | "elements" | "chars";

export interface InputUnits {
  kind: UnitKind;
  units: number;
}

interface Prior {
  baseMs: number;
  perUnitMs: number;
  /** Units below this count as this many when a cost per unit is derived (a tiny input is all overhead). */
  minUnits: number;
}

/**
 * Defaults before any measurement, above what this project's models take on two cores shared with other work under
 * a burst: OCR ~0.5–1.5 s per megapixel, Silero VAD 20–230 ms per audio second (the high end measured under a
 * load average of 13 on two cores), ONNX runs ~0.5 µs per element.
 */
const PRIORS: Record<UnitKind, Prior> = {
  pixels: { baseMs: 300, perUnitMs: 3_000 / 1_000_000, minUnits: 10_000 },
  audio_s: { baseMs: 50, perUnitMs: 150, minUnits: 0.1 },
  elements: { baseMs: 20, perUnitMs: 0.002, minUnits: 1_000 },
  // Hashed n-gram features and one gather-sum per text: a few µs per character on these machines.
  chars: { baseMs: 10, perUnitMs: 0.01, minUnits: 100 },
};

const RECENT = 128;
const TRUSTED_AFTER = 8;
const MARGIN = 1.5;
const SLOPE_QUANTILE = 0.9;

interface Seen {
  units: number;
  computeMs: number;
}

const g = globalThis as unknown as { __paretoCostModel?: Map<string, Seen[]>; __paretoCostProbes?: Map<string, Promise<void>> };
const seen = (g.__paretoCostModel ??= new Map<string, Seen[]>());
const probes = (g.__paretoCostProbes ??= new Map<string, Promise<void>>());

/**
 * While this instance has seen no request of `key` for inputs of `kind`, lets one through at a time: resolves with
 * a `done` to call once it finished (observed or not) — or with null as soon as one was observed.
 */
export async function probeTurn(key: string, kind: UnitKind): Promise<(() => void) | null> {
  const k = `${key}|${kind}`;
  for (;;) {
    if (seen.get(k)?.length) return null;
    const running = probes.get(k);
    if (!running) {
      let finish!: () => void;
      probes.set(k, new Promise<void>((resolve) => (finish = resolve)));
      return () => {
        probes.delete(k);
        finish();
      };
    }
    await running;
  }
}

/** The cautious affine bound fitted to `obs` (non-empty), before the margin. */
function fitted(obs: readonly Seen[], units: number, prior: Prior): number {
  const base = Math.min(...obs.map((o) => o.computeMs));
  const slopes = obs.map((o) => Math.max(0, o.computeMs - base) / Math.max(o.units, prior.minUnits));
  return base + quantile(slopes, SLOPE_QUANTILE) * units;
}

/** Milliseconds of compute to reserve for a request of `input` on the model (and path) named `key`. */
export function estimateComputeMs(key: string, input: InputUnits): number {
  const prior = PRIORS[input.kind];
  const units = Math.max(0, input.units);
  const obs = seen.get(`${key}|${input.kind}`) ?? [];
  const measured = obs.length ? MARGIN * fitted(obs, units, prior) : 0;
  if (obs.length >= TRUSTED_AFTER) return Math.max(1, Math.ceil(measured));
  return Math.max(1, Math.ceil(Math.max(measured, prior.baseMs + prior.perUnitMs * units)));
}

/** Records what a finished request of `input` really cost (its whole run, not a part of one). */
export function observeCost(key: string, input: InputUnits, computeMs: number): void {
  if (!(computeMs >= 0) || !Number.isFinite(computeMs)) return;
  const k = `${key}|${input.kind}`;
  let obs = seen.get(k);
  if (!obs) seen.set(k, (obs = []));
  obs.push({ units: Math.max(0, input.units), computeMs });
  if (obs.length > RECENT) obs.shift();
}

/** Forgets every observation (tests). */
export function resetCostModel(): void {
  seen.clear();
  probes.clear();
}
