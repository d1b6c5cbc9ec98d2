/**
 * Small seeded PRNG (mulberry32) so the eval-set generators are byte-for-byte reproducible.
 * Never use Math.random() in scripts/eval.
 */
export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
  /** uniform float in [lo, hi) */
  range(lo: number, hi: number): number;
  /** uniform integer in [lo, hi] (inclusive) */
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  /** standard normal N(0, 1) (Box-Muller) */
  gauss(): number;
  bool(p?: number): boolean;
}

export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  let spare: number | null = null;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    range: (lo, hi) => lo + (hi - lo) * next(),
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    gauss: () => {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u <= Number.EPSILON) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    bool: (p = 0.5) => next() < p,
  };
  return rng;
}

/** Derive an independent seed from a base seed and a string id (FNV-1a). */
export function seedFor(base: number, id: string): number {
  let h = (0x811c9dc5 ^ base) >>> 0;
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}
