import "server-only";
import Busboy, { type BusboyConfig, type BusboyInstance } from "@fastify/busboy";
import { ApiError } from "./errors";

/** The one answer to a multipart body that cannot be parsed. */
export const invalidMultipart = (why: string) => new ApiError("invalid_body", `The multipart body could not be parsed: ${why}.`);

/** A busboy parser for this Content-Type, or the 400 for one without a boundary. */
export function openBusboy(contentType: string, config: Omit<BusboyConfig, "headers">): BusboyInstance {
  try {
    return new Busboy({ ...config, headers: { "content-type": contentType } });
  } catch {
    throw invalidMultipart("the Content-Type has no boundary");
  }
}

/**
 * The first failure of a parse that many callbacks may fail (parts, limits, the parser, storage): `failed` rejects
 * with it, to race against the body's reading; later failures are ignored. `error` is null until one happens.
 */
export function firstFailure(): { readonly failed: Promise<never>; readonly error: unknown; fail: (e: unknown) => void } {
  let error: unknown = null;
  let reject: (e: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, r) => (reject = r));
  failed.catch(() => undefined);
  return {
    failed,
    get error() {
      return error;
    },
    fail(e: unknown) {
      if (error !== null) return;
      error = e;
      reject(e);
    },
  };
}

/** Writes one chunk of the body to the parser; resolves once it has taken it (the backpressure of the read). */
export function feed(bb: BusboyInstance, chunk: Buffer): Promise<void> {
  return new Promise<void>((resolve, reject) => bb.write(chunk, (e) => (e ? reject(invalidMultipart("it is truncated or malformed")) : resolve())));
}
