/**
 * Band-limited resampling to the models' 16 kHz: a Kaiser-windowed sinc evaluated as a polyphase filter bank.
 *
 * Why not something cheaper: decimating 48 kHz by picking every third sample (what silero-vad's Python helper
 * does) folds 8-24 kHz energy - fricatives, fan noise, clicks - into the band the model listens to, and linear
 * interpolation does the same for any downsampling ratio. A windowed sinc with its cutoff at the lower Nyquist
 * rate is the textbook fix, and with ~8 zero crossings it costs well under the model's own time per frame.
 */

/** Zero crossings of the sinc on each side: ±8 gives ~70 dB stopband with the Kaiser beta below. */
const ZERO_CROSSINGS = 8;
const KAISER_BETA = 7.0;
/** Cutoff as a fraction of the lower Nyquist frequency; the rest is the filter's transition band. */
const ROLLOFF = 0.92;
/**
 * Exact polyphase tables need one phase per distinct output position (16000 / gcd(16000, rate)); that is at most
 * 640 for every common rate (11025, 22050, 44100, ...). Odd rates (e.g. 44056 Hz) would need up to 16000 phases,
 * so they share a table of this many phases and take the nearest: a timing error under 1/2048 of an input
 * sample, far below anything a VAD can notice.
 */
const MAX_PHASES = 1024;

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Zeroth-order modified Bessel function of the first kind, for the Kaiser window (series converges fast). */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

export interface FilterBank {
  /** output samples per `step` input samples */
  up: number;
  down: number;
  phases: number;
  taps: number;
  /** taps before the output position (the filter spans input i - half + 1 ..= i + half) */
  half: number;
  coeffs: Float32Array;
}

/** Small LRU: a few rates cover almost all traffic, and odd rates chosen by clients must not grow memory. */
const banks = new Map<string, FilterBank>();
const MAX_CACHED_BANKS = 12;

/** Builds (or reuses) the polyphase filter for one rate pair (also used by resample-stream.ts). */
export function filterBank(fromRate: number, toRate: number): FilterBank {
  const key = `${fromRate}:${toRate}`;
  const cached = banks.get(key);
  if (cached) {
    banks.delete(key); // re-insert: Map order is the LRU order
    banks.set(key, cached);
    return cached;
  }

  const g = gcd(fromRate, toRate);
  const up = toRate / g;
  const down = fromRate / g;
  const phases = Math.min(up, MAX_PHASES);
  // Cutoff relative to the input rate's Nyquist: when downsampling, the output Nyquist is the binding one.
  const cutoff = Math.min(1, toRate / fromRate) * ROLLOFF;
  const halfWidth = ZERO_CROSSINGS / cutoff; // in input samples
  const half = Math.ceil(halfWidth);
  // Rounded up to a multiple of 4 for the unrolled inner loop; the extra taps fall outside the window (zero).
  const taps = Math.ceil((2 * half) / 4) * 4;
  const coeffs = new Float32Array(phases * taps);
  const i0Beta = besselI0(KAISER_BETA);

  for (let p = 0; p < phases; p++) {
    const frac = p / phases; // output position lies `frac` input samples after tap (half - 1)
    let sum = 0;
    for (let j = 0; j < taps; j++) {
      const t = frac + half - 1 - j; // distance from the output position to input tap j, in input samples
      const r = t / halfWidth;
      let h = 0;
      if (Math.abs(r) < 1) {
        const x = Math.PI * cutoff * t;
        const sinc = x === 0 ? 1 : Math.sin(x) / x;
        h = cutoff * sinc * (besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / i0Beta);
      }
      coeffs[p * taps + j] = h;
      sum += h;
    }
    // Unit DC gain per phase, so silence stays silent and a constant offset does not ripple at the phase rate.
    for (let j = 0; j < taps; j++) coeffs[p * taps + j] /= sum;
  }
  const bank = { up, down, phases, taps, half, coeffs };
  banks.set(key, bank);
  if (banks.size > MAX_CACHED_BANKS) banks.delete(banks.keys().next().value as string);
  return bank;
}

/** Number of output samples covering the same duration as `n` input samples. */
export function resampledLength(n: number, fromRate: number, toRate: number): number {
  return Math.ceil((n * toRate) / fromRate);
}

/**
 * Resamples `input` from `fromRate` to `toRate`. Returns the input itself when the rates match (callers must treat
 * the result as read-only). Samples beyond either end are taken as zero.
 */
export function resample(input: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return input;
  const { up, down, phases, taps, half, coeffs } = filterBank(fromRate, toRate);
  const n = input.length;
  const outLen = resampledLength(n, fromRate, toRate);
  const out = new Float32Array(outLen);
  const exact = phases === up;

  for (let k = 0; k < outLen; k++) {
    // Output k sits at input position k * down / up = base + rem / up; integer maths keeps it exact for hours.
    const pos = k * down;
    let base = Math.floor(pos / up);
    const rem = pos - base * up;
    let phase = exact ? rem : Math.round((rem * phases) / up);
    if (phase === phases) {
      // Rounded up to the next input sample's phase 0.
      phase = 0;
      base++;
    }
    out[k] = filterSample(coeffs, phase * taps, taps, input, 0, base - half + 1, n);
  }
  return out;
}

/**
 * One output sample: the `taps` coefficients from `c` against the input from index `first`, where `src[i - off]`
 * holds input sample i and the input has `n` samples (beyond either end: silence). Shared by resample() and the
 * streaming resampler (resample-stream.ts), so both sum in the same order and give the same bits.
 */
export function filterSample(coeffs: Float32Array, c: number, taps: number, src: Float32Array, off: number, first: number, n: number): number {
  let acc = 0;
  if (first >= 0 && first + taps <= n) {
    // Four accumulators break the add dependency chain (taps is a multiple of 4).
    let acc1 = 0;
    let acc2 = 0;
    let acc3 = 0;
    for (let j = 0, ci = c, xi = first - off; j < taps; j += 4, ci += 4, xi += 4) {
      acc += coeffs[ci] * src[xi];
      acc1 += coeffs[ci + 1] * src[xi + 1];
      acc2 += coeffs[ci + 2] * src[xi + 2];
      acc3 += coeffs[ci + 3] * src[xi + 3];
    }
    acc += acc1 + acc2 + acc3;
  } else {
    // Edges only: the filter overhangs the signal, and missing samples count as silence.
    const lo = Math.max(0, -first);
    const hi = Math.min(taps, n - first);
    for (let j = lo; j < hi; j++) acc += coeffs[c + j] * src[first + j - off];
  }
  return acc;
}
