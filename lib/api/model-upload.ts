import "server-only";
import type { Readable } from "node:stream";
import { env } from "@/lib/config/env";
import { CLOSE, streamBody } from "./body";
import { feed, firstFailure, invalidMultipart as invalid, openBusboy } from "./busboy-feed";
import { ApiError, isApiError } from "./errors";
import { toApiError } from "./map-error";

/** What each file part becomes once stored: the handler's answer (its hash and size, say). */
export interface UploadedPart<T> {
  field: string;
  filename: string;
  stored: T;
}

export interface UploadForm<T> {
  fields: Record<string, string>;
  files: UploadedPart<T>[];
}

const MAX_FIELD_BYTES = 16 * 1024;
const MAX_PARTS = 24;
/** Model files are large: their body may take longer than an inference request's to arrive. */
const MIN_UPLOAD_TIMEOUT_MS = 15 * 60_000;

/**
 * A model upload (multipart/form-data) read as it arrives: each file part named in `fileFields` is handed to
 * `store` as a stream the moment it starts (the registry writes it to disk, hashing as it goes) — so a 500 MB file
 * is never held in memory — and text parts become fields. Any other file, a field or file sent twice, more than
 * `MAX_PARTS` parts, or a broken body ends the read; files stored before the failure are handed to `discard`.
 */
export async function readUploadForm<T>(
  req: Request,
  opts: { fileFields: readonly string[]; maxBodyBytes: number; store: (field: string, stream: Readable) => Promise<T>; discard: (stored: T) => Promise<void> },
): Promise<UploadForm<T>> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data/i.test(contentType)) {
    throw new ApiError("unsupported_media_type", "Send the model as multipart/form-data (fields and files).", { param: "content-type" });
  }
  const bb = openBusboy(contentType, { limits: { parts: MAX_PARTS, fieldSize: MAX_FIELD_BYTES } });
  const failure = firstFailure();
  const { failed, fail } = failure;

  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const pending: Promise<UploadedPart<T> | null>[] = [];
  const seen = new Set<string>();

  bb.on("file", (name: string, stream: Readable, filename: string) => {
    if (failure.error !== null) return void stream.resume();
    if (!opts.fileFields.includes(name)) {
      fail(new ApiError("validation_error", `"${name}" is not a file this upload takes (files: ${opts.fileFields.join(", ")}).`, { param: name }));
      return void stream.resume();
    }
    if (seen.has(name)) {
      fail(new ApiError("validation_error", `"${name}" was sent twice.`, { param: name }));
      return void stream.resume();
    }
    seen.add(name);
    const stored = opts.store(name, stream).then(
      (s) => ({ field: name, filename: filename || name, stored: s }),
      (e: unknown) => {
        stream.resume();
        const mapped = toApiError(e, name);
        fail(isApiError(mapped) && !mapped.param ? new ApiError(mapped.code, mapped.message, { param: name, headers: mapped.headers }) : mapped);
        return null;
      },
    );
    pending.push(stored);
  });
  bb.on("field", (name: string, value: string, nameTruncated: boolean, valueTruncated: boolean) => {
    if (valueTruncated) return fail(new ApiError("validation_error", `Field "${name}" is longer than ${MAX_FIELD_BYTES} bytes.`, { param: name }));
    if (Object.hasOwn(fields, name) || seen.has(name)) return fail(new ApiError("validation_error", `Field "${name}" was sent twice.`, { param: name }));
    fields[name] = value;
  });
  bb.on("partsLimit", () => fail(invalid(`more than ${MAX_PARTS} parts`)));
  bb.on("error", () => fail(invalid("it is truncated or malformed")));
  const finished = new Promise<void>((resolve) => bb.on("finish", () => resolve()));

  const cleanUp = async () => {
    for (const p of await Promise.all(pending)) if (p) await opts.discard(p.stored).catch(() => undefined);
  };
  let bodyRead = false;
  try {
    await streamBody(req, opts.maxBodyBytes, (v) => Promise.race([feed(bb, Buffer.from(v.buffer, v.byteOffset, v.byteLength)), failed]), Math.max(env.bodyTimeoutMs(), MIN_UPLOAD_TIMEOUT_MS));
    bodyRead = true;
    bb.end();
    await Promise.race([finished, failed]);
    const parts = await Promise.race([Promise.all(pending), failed]);
    if (failure.error !== null) throw failure.error;
    return { fields, files: parts.filter((p): p is UploadedPart<T> => p !== null) };
  } catch (e) {
    bb.destroy();
    await cleanUp();
    // Given up before the end of the body: the rest is still on the connection.
    throw !bodyRead && isApiError(e) && !e.headers?.connection ? new ApiError(e.code, e.message, { param: e.param, headers: { ...e.headers, ...CLOSE } }) : e;
  }
}
