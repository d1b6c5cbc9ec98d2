import "server-only";
import { env } from "@/lib/config/env";
import { ApiError } from "./errors";

/**
 * Reading a request body under a hard byte cap (Content-Length may lie or be absent: an oversize upload is refused
 * with 413 as soon as it passes the cap, before it is buffered whole) and a deadline (PARETO_BODY_TIMEOUT_MS: a
 * trickled upload gets 408). Every body reader — whole bodies, raw uploads, streamed multipart — goes through here.
 */

export function maxUploadBytes(): number {
  return Math.floor(env.maxUploadMb() * 1024 * 1024);
}

/**
 * Answered after reading part of the body and giving up on the rest: the rest is still on the connection, so the
 * client must not reuse it for another request (keep-alive clients would otherwise see their next request reset).
 */
export const CLOSE = { connection: "close" };

export function tooLarge(max: number, close: boolean): ApiError {
  const size = max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MiB` : `${Math.round(max / 1024)} KiB`;
  return new ApiError("payload_too_large", `The request body is larger than ${size}.`, close ? { headers: CLOSE } : {});
}

/**
 * The body's declared length, or null when absent (chunked). Beyond the cap it is refused before reading: Node
 * discards the unread body, and the connection stays usable.
 */
export function declaredLength(req: Request, max: number): number | null {
  const header = req.headers.get("content-length");
  const declared = header === null ? NaN : Number(header);
  if (!Number.isSafeInteger(declared) || declared < 0) return null;
  if (declared > max) throw tooLarge(max, false);
  return declared;
}

/**
 * Hands the body to `onChunk` as it arrives and returns its length. `onChunk` may return a promise (a parser
 * applying back-pressure); the deadline covers waiting for it too. On any failure the rest of the body is
 * cancelled and the error rethrown.
 */
export async function streamBody(req: Request, max: number, onChunk: (chunk: Uint8Array) => void | Promise<void>, timeoutMs = env.bodyTimeoutMs()): Promise<number> {
  if (!req.body) return 0;
  const reader = req.body.getReader();
  let size = 0;
  // A client trickling its body (slowloris) must not hold a request and its buffers open indefinitely: 408.
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    if (timeoutMs > 0) timer = setTimeout(() => reject(new ApiError("request_timeout", `The request body did not arrive within ${timeoutMs / 1000} s.`, { headers: CLOSE })), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired]);
      if (done) return size;
      if (size + value.byteLength > max) throw tooLarge(max, true);
      size += value.byteLength;
      const pending = onChunk(value);
      if (pending) await Promise.race([pending, expired]);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Collects bytes into one buffer: pre-sized when the final length is known (each byte copied once, as it arrives,
 * with no pass at the end to concatenate a large body on the event loop), else kept as the chunks that arrived and
 * joined once at the end. A buffer of 4 KiB or more is its ArrayBuffer's only view (never a slice of Node's shared
 * pool), so the runtime can hand it to a worker without another copy.
 */
export class ByteSink {
  private whole: Buffer | null;
  private chunks: Uint8Array[] = [];
  size = 0;

  constructor(expected: number | null) {
    this.whole = expected !== null && expected > 0 ? Buffer.allocUnsafeSlow(expected) : null;
  }

  push(chunk: Uint8Array): void {
    if (this.whole && this.size + chunk.byteLength <= this.whole.length) this.whole.set(chunk, this.size);
    else {
      // More than expected (a lying or miscounted length): the part already in place is kept as a chunk.
      if (this.whole) this.chunks.push(this.whole.subarray(0, this.size));
      this.whole = null;
      this.chunks.push(chunk);
    }
    this.size += chunk.byteLength;
  }

  bytes(): Buffer {
    if (this.whole) return this.size === this.whole.length ? this.whole : this.whole.subarray(0, this.size);
    if (this.size === 0) return Buffer.alloc(0);
    return Buffer.concat(this.chunks, this.size);
  }
}

/** Reads a whole body (within the cap and deadline) into one buffer. */
export async function readCapped(req: Request, max: number, timeoutMs = env.bodyTimeoutMs()): Promise<Buffer> {
  const sink = new ByteSink(declaredLength(req, max));
  await streamBody(req, max, (chunk) => sink.push(chunk), timeoutMs);
  return sink.bytes();
}
