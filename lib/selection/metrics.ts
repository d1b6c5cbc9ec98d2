/**
 * Evaluation metrics for the OCR and VAD eval sets. Pure functions, no I/O (used by the benchmark runner, the
 * bench suites and unit tests; scripts/eval/metrics.ts re-exports this module).
 */

// ---------------------------------------------------------------------------------------------
// OCR: character error rate
// ---------------------------------------------------------------------------------------------

/** Levenshtein distance (insertions, deletions, substitutions all cost 1) over Unicode code points. */
export function levenshtein(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  if (x.length === 0) return y.length;
  if (y.length === 0) return x.length;
  let prev = new Array<number>(y.length + 1);
  let cur = new Array<number>(y.length + 1);
  for (let j = 0; j <= y.length; j++) prev[j] = j;
  for (let i = 1; i <= x.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= y.length; j++) {
      const sub = prev[j - 1] + (x[i - 1] === y[j - 1] ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[y.length];
}

function codePoints(s: string): number {
  return Array.from(s).length;
}

/**
 * Character error rate: edit distance / number of code points in `ref`.
 * Can exceed 1 (many insertions). An empty `ref` gives 0 for an empty `hyp`, otherwise 1.
 */
export function cer(ref: string, hyp: string): number {
  const n = codePoints(ref);
  if (n === 0) return codePoints(hyp) === 0 ? 0 : 1;
  return levenshtein(ref, hyp) / n;
}

export function stripWhitespace(s: string): string {
  return s.replace(/\s+/gu, "");
}

/** CER after removing all whitespace from both strings (spacing is ambiguous in Chinese/mixed text). */
export function cerNoSpaces(ref: string, hyp: string): number {
  return cer(stripWhitespace(ref), stripWhitespace(hyp));
}

/**
 * Optional normaliser for callers who want to forgive width variants: NFKC (full-width ASCII and
 * punctuation such as `，：（）` become `,:()`), collapse whitespace runs, trim. Not applied by `cer`.
 */
export function normalizeOcrText(s: string): string {
  return s.normalize("NFKC").replace(/\s+/gu, " ").trim();
}

export interface CerPair {
  ref: string;
  hyp: string;
}

export interface SetCerOptions {
  /** strip all whitespace before comparing (default false) */
  noSpaces?: boolean;
}

/**
 * Corpus-level CER: total edits / total reference code points (not the mean of per-item CERs).
 * Accepts `{ ref, hyp }` objects or `[ref, hyp]` tuples. Returns 0 for an empty set or empty refs
 * with empty hyps.
 */
export function ocrSetCer(pairs: ReadonlyArray<CerPair | readonly [string, string]>, opts: SetCerOptions = {}): number {
  let edits = 0;
  let chars = 0;
  for (const p of pairs) {
    let [ref, hyp] = Array.isArray(p) ? p : [(p as CerPair).ref, (p as CerPair).hyp];
    if (opts.noSpaces) {
      ref = stripWhitespace(ref);
      hyp = stripWhitespace(hyp);
    }
    edits += levenshtein(ref, hyp);
    chars += codePoints(ref);
  }
  if (chars === 0) return edits === 0 ? 0 : 1;
  return edits / chars;
}

// ---------------------------------------------------------------------------------------------
// VAD: frame-level metrics
// ---------------------------------------------------------------------------------------------

export interface FrameMetrics {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** frame counts, so results can be pooled across clips with `poolFrameMetrics` */
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

function frameMask(intervals: ReadonlyArray<readonly [number, number]>, n: number, frameS: number): Uint8Array {
  const mask = new Uint8Array(n);
  for (const [start, end] of intervals) {
    if (!(end > start)) continue;
    // frame i covers [i*frameS, (i+1)*frameS); it is speech if its centre lies in [start, end)
    const first = Math.max(0, Math.ceil(start / frameS - 0.5 - 1e-9));
    const last = Math.min(n - 1, Math.ceil(end / frameS - 0.5 - 1e-9) - 1);
    for (let i = first; i <= last; i++) mask[i] = 1;
  }
  return mask;
}

function fromCounts(tp: number, fp: number, fn: number, tn: number): FrameMetrics {
  // Conventions for empty denominators: nothing predicted -> precision 1 (no false alarms);
  // nothing to find -> recall 1. f1 is 0 when precision + recall is 0.
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const total = tp + fp + fn + tn;
  const accuracy = total === 0 ? 1 : (tp + tn) / total;
  return { precision, recall, f1, accuracy, tp, fp, fn, tn };
}

/**
 * Frame-level VAD metrics. The clip [0, durationS) is cut into frames of `frameS` seconds; a frame is
 * speech (in truth or prediction) when its centre falls inside an interval. Speech is the positive class.
 */
export function frameMetrics(
  truth: ReadonlyArray<readonly [number, number]>,
  predicted: ReadonlyArray<{ start: number; end: number }>,
  durationS: number,
  frameS = 0.01,
): FrameMetrics {
  if (!(frameS > 0)) throw new Error("frameS must be > 0");
  const n = Math.max(0, Math.ceil(durationS / frameS - 1e-9));
  const t = frameMask(truth, n, frameS);
  const p = frameMask(
    predicted.map((s) => [s.start, s.end] as const),
    n,
    frameS,
  );
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (let i = 0; i < n; i++) {
    if (t[i]) {
      if (p[i]) tp++;
      else fn++;
    } else if (p[i]) fp++;
    else tn++;
  }
  return fromCounts(tp, fp, fn, tn);
}

/** Pool per-clip frame metrics into set-level metrics (sums the frame counts). */
export function poolFrameMetrics(items: ReadonlyArray<Pick<FrameMetrics, "tp" | "fp" | "fn" | "tn">>): FrameMetrics {
  let tp = 0, fp = 0, fn = 0, tn = 0;
  for (const m of items) {
    tp += m.tp;
    fp += m.fp;
    fn += m.fn;
    tn += m.tn;
  }
  return fromCounts(tp, fp, fn, tn);
}
