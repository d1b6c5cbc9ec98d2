/**
 * `resample` (resample.ts) fed slice by slice, for recordings too long to hold whole. Every output sample is
 * computed only once all the input its filter spans has arrived (or the input has ended), with the same filter
 * bank, the same position arithmetic, the same branch (interior or edge) and the same order of additions as the
 * whole-signal function, so the result is bit-identical to `resample(wholeSignal, from, to)` whatever the slicing.
 * Memory is the filter's span plus one slice: input before the next output's first tap is dropped.
 */
import { filterBank, filterSample, resampledLength, type FilterBank } from "@/lib/models/vad/resample";

export class StreamingResampler {
  private readonly bank: FilterBank | null;
  /** Input not yet consumed; buf[0] is input sample `bufStart`. */
  private buf = new Float32Array(0);
  private bufStart = 0;
  private bufLen = 0;
  /** Input samples received so far. */
  private received = 0;
  /** Next output sample to compute. */
  private k = 0;
  private ended = false;

  constructor(
    private readonly fromRate: number,
    private readonly toRate: number,
  ) {
    this.bank = fromRate === toRate ? null : filterBank(fromRate, toRate);
  }

  /** Output samples produced so far. */
  get produced(): number {
    return this.k;
  }

  /**
   * Starts the output at sample `k0` instead of 0, for a resumed job: returns the first input sample the caller
   * must feed (earlier input influences no output from k0 on). Call before any push. Output k0 onwards is still
   * bit-identical to the whole-signal function's: every index stays absolute.
   */
  skipTo(k0: number): number {
    if (this.received > 0 || this.k > 0 || this.ended) throw new Error("StreamingResampler: skipTo after input");
    const first = this.bank ? Math.max(0, this.firstTap(k0)) : k0;
    this.k = k0;
    this.bufStart = first;
    this.received = first;
    return first;
  }

  /** Adds input; returns the output samples that became computable (possibly none). */
  push(input: Float32Array): Float32Array {
    if (this.ended) throw new Error("StreamingResampler: push after end");
    if (!this.bank) {
      this.received += input.length;
      this.k += input.length;
      return input.slice();
    }
    this.append(input);
    this.received += input.length;
    return this.drain(false);
  }

  /** Ends the input; returns the remaining output (the edge samples whose filter overhangs the end). */
  end(): Float32Array {
    if (this.ended) return new Float32Array(0);
    this.ended = true;
    if (!this.bank) return new Float32Array(0);
    return this.drain(true);
  }

  private append(input: Float32Array): void {
    if (this.bufLen + input.length > this.buf.length) {
      const next = new Float32Array(Math.max(this.bufLen + input.length, this.buf.length * 2, 4096));
      next.set(this.buf.subarray(0, this.bufLen));
      this.buf = next;
    }
    this.buf.set(input, this.bufLen);
    this.bufLen += input.length;
  }

  /** Input index of the first tap of output k, as resample() computes it. */
  private firstTap(k: number): number {
    const { up, down, phases, half } = this.bank!;
    const pos = k * down;
    let base = Math.floor(pos / up);
    const rem = pos - base * up;
    const phase = phases === up ? rem : Math.round((rem * phases) / up);
    if (phase === phases) base++;
    return base - half + 1;
  }

  private drain(final: boolean): Float32Array {
    const { up, down, phases, taps, half, coeffs } = this.bank!;
    const exact = phases === up;
    const n = this.received;
    // Before the end, output k is computable once its last tap (first + taps - 1) has arrived; such a k is always
    // below the final length (its position is more than `half` samples before the end). At the end, all the rest.
    const total = resampledLength(n, this.fromRate, this.toRate);
    const limit = final ? total : Infinity;
    const out = new Float32Array(Math.max(0, total - this.k) + 1);
    const buf = this.buf;
    const off = this.bufStart;
    let k = this.k;
    let o = 0;
    for (; k < limit; k++) {
      // Same position arithmetic as resample(): integer maths, exact for hours.
      const pos = k * down;
      let base = Math.floor(pos / up);
      const rem = pos - base * up;
      let phase = exact ? rem : Math.round((rem * phases) / up);
      if (phase === phases) {
        phase = 0;
        base++;
      }
      const first = base - half + 1;
      if (!final && first + taps > n) break;
      out[o++] = filterSample(coeffs, phase * taps, taps, buf, off, first, n);
    }
    this.k = k;
    // Drop input no later output needs: the first tap never moves backwards as k grows.
    const drop = Math.min(Math.max(0, this.firstTap(k) - off), this.bufLen);
    if (drop > 0) {
      this.buf.copyWithin(0, drop, this.bufLen);
      this.bufLen -= drop;
      this.bufStart += drop;
    }
    return out.slice(0, o);
  }
}
