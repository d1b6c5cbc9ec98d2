/**
 * Which input buffers may be moved to a worker (postMessage's transfer list) instead of copied. Moving detaches the
 * whole ArrayBuffer, so only an array that is the whole of a plain ArrayBuffer qualifies: never a slice of Node's
 * shared Buffer pool (small `Buffer.from`/`allocUnsafe` results share one 8 KiB ArrayBuffer with unrelated data),
 * never a view into a larger buffer someone else reads, never shared memory.
 */
export function ownsWholeBuffer(view: ArrayBufferView): boolean {
  return Object.prototype.toString.call(view.buffer) === "[object ArrayBuffer]" && view.byteOffset === 0 && view.byteLength === view.buffer.byteLength && view.byteLength > 0;
}

/** The distinct ArrayBuffers among `views` that may be moved (each listed once: a transfer list with repeats throws). */
export function transferable(views: readonly ArrayBufferView[]): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  for (const v of views) if (ownsWholeBuffer(v)) out.add(v.buffer as ArrayBuffer);
  return [...out];
}
