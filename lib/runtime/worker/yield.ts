/**
 * Background work gives way to interactive work between model runs. The main thread keeps, in shared memory, how
 * many interactive requests its workers are running; a background worker checks it before each model run and, while
 * it is at `yieldAt` or above (default 1: while any interactive request runs), waits for it to drop — at most
 * `maxWaitMs` per run, so a job still moves, slowly, under a flood of interactive traffic. A run already started is
 * not interrupted (ONNX Runtime cannot be): the thread's niceness (19) covers that part.
 *
 * Shared memory rather than messages: the check costs one atomic load per run (a VAD chunk makes 1,875 runs), and a
 * message would arrive only once the worker's event loop turns, i.e. after the run it should have held back.
 */

export interface YieldGate {
  /** One Int32: interactive requests in flight in the interactive workers (written by the main thread only). */
  buffer: SharedArrayBuffer;
  yieldAt: number;
  maxWaitMs: number;
}

type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs: number) => { async: boolean; value: Promise<string> | string };
// ES2024 (Node ≥ 16); the project's TypeScript lib is ES2023.
const waitAsync = (Atomics as unknown as { waitAsync?: WaitAsync }).waitAsync;

/** Main-thread side: publishes the interactive in-flight count and wakes waiting background workers. */
export class YieldSignal {
  readonly gate: YieldGate;
  private readonly cell: Int32Array;
  constructor(yieldAt: number, maxWaitMs: number) {
    this.gate = { buffer: new SharedArrayBuffer(4), yieldAt, maxWaitMs };
    this.cell = new Int32Array(this.gate.buffer);
  }
  set(running: number): void {
    Atomics.store(this.cell, 0, running);
    Atomics.notify(this.cell, 0);
  }
  get running(): number {
    return Atomics.load(this.cell, 0);
  }
}

/** Worker side: resolves once interactive work leaves room (or the wait reaches `maxWaitMs`); returns the ms waited. */
export async function giveWay(gate: YieldGate, cell: Int32Array): Promise<number> {
  let seen = Atomics.load(cell, 0);
  if (seen < gate.yieldAt) return 0;
  const t0 = performance.now();
  for (;;) {
    const left = gate.maxWaitMs - (performance.now() - t0);
    if (left <= 0) break;
    if (waitAsync) await waitAsync(cell, 0, seen, left).value;
    else await new Promise((r) => setTimeout(r, Math.min(left, 5)));
    seen = Atomics.load(cell, 0);
    if (seen < gate.yieldAt) break;
  }
  return performance.now() - t0;
}
