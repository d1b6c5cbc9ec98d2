import "server-only";
import { env } from "@/lib/config/env";
import { ApiError } from "./errors";

/**
 * Reads an inference request: multipart/form-data with a file field, or JSON with the file as base64. The body
 * is read with a hard byte cap (Content-Length may lie or be absent), so an oversize upload is refused with 413
 * before it is buffered whole, and within a deadline (PARETO_BODY_TIMEOUT_MS), so a trickled upload gets 408.
 */
export interface ParsedInput {
  bytes: Buffer;
  /** The other fields, as sent (strings from multipart; JSON values from JSON). */
  fields: Record<string, unknown>;
}

export function maxUploadBytes(): number {
  return Math.floor(env.maxUploadMb() * 1024 * 1024);
}

/**
 * Answered after reading part of the body and giving up on the rest: the rest is still on the connection, so the
 * client must not reuse it for another request (keep-alive clients would otherwise see their next request reset).
 */
const CLOSE = { connection: "close" };

export async function readCapped(req: Request, max: number, timeoutMs = env.bodyTimeoutMs()): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "");
  // Refused before reading: Node discards the unread body, and the connection stays usable.
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max, false);
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  // With a declared length (within the cap) the body is copied into one buffer as it arrives: no second pass to
  // concatenate a large body on the event loop at the end.
  let whole: Buffer | null = Number.isFinite(declared) && declared > 64 * 1024 ? Buffer.allocUnsafe(declared) : null;
  // A client trickling its body (slowloris) must not hold a request and its buffers open indefinitely: 408.
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    if (timeoutMs > 0) timer = setTimeout(() => reject(new ApiError("request_timeout", `The request body did not arrive within ${timeoutMs / 1000} s.`, { headers: CLOSE })), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), expired]);
      if (done) break;
      if (size + value.byteLength > max) throw tooLarge(max, true);
      if (whole && size + value.byteLength <= whole.length) whole.set(value, size);
      else {
        if (whole) chunks.push(whole.subarray(0, size));
        whole = null;
        chunks.push(value);
      }
      size += value.byteLength;
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    throw e;
  } finally {
    clearTimeout(timer);
  }
  if (whole) return size === whole.length ? whole : whole.subarray(0, size);
  return Buffer.concat(chunks);
}

function tooLarge(max: number, close: boolean): ApiError {
  const size = max >= 1024 * 1024 ? `${Math.round(max / 1024 / 1024)} MiB` : `${Math.round(max / 1024)} KiB`;
  return new ApiError("payload_too_large", `The request body is larger than ${size}.`, close ? { headers: CLOSE } : {});
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function fromBase64(value: unknown, field: string): Buffer {
  if (typeof value !== "string") throw new ApiError("validation_error", `${field} must be a base64 string.`, { param: field });
  // Accept data URLs and line-wrapped base64 (what browsers and `base64` produce).
  const s = value.replace(/^data:[\w.+-]+\/[\w.+-]+;base64,/, "").replace(/\s+/g, "");
  const normalized = s.replace(/-/g, "+").replace(/_/g, "/");
  if (!BASE64.test(normalized) || normalized.length % 4 === 1) {
    throw new ApiError("invalid_base64", `${field} is not valid base64.`, { param: field });
  }
  return Buffer.from(normalized, "base64");
}

export async function readInput(req: Request, field: "image" | "audio"): Promise<ParsedInput> {
  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  const max = maxUploadBytes();
  if (type.startsWith("multipart/form-data")) {
    const raw = await readCapped(req, max);
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(raw), { headers: { "content-type": req.headers.get("content-type")! } }).formData();
    } catch {
      throw new ApiError("invalid_body", "The multipart body could not be parsed.");
    }
    const file = form.get(field);
    if (file === null) throw new ApiError("validation_error", `Attach the ${field} as the multipart field "${field}".`, { param: field });
    const bytes = typeof file === "string" ? Buffer.from(file, "utf8") : Buffer.from(await file.arrayBuffer());
    // No prototype: a field named "constructor" is not "already there", and one named "__proto__" is a field.
    const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const [k, v] of form.entries()) {
      if (k === field) continue;
      if (typeof v !== "string") throw new ApiError("validation_error", `Only "${field}" may be a file.`, { param: k });
      if (Object.hasOwn(fields, k)) throw new ApiError("validation_error", `Field "${k}" was sent twice.`, { param: k });
      fields[k] = v;
    }
    return { bytes, fields };
  }
  if (type.startsWith("application/json")) {
    // base64 is 4/3 of the bytes it carries.
    const raw = await readCapped(req, Math.ceil((max * 4) / 3) + 64 * 1024);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new ApiError("invalid_json", "The request body is not valid JSON.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) throw new ApiError("invalid_body", "The JSON body must be an object.");
    const { [field]: encoded, ...fields } = body as Record<string, unknown>;
    if (encoded === undefined) throw new ApiError("validation_error", `"${field}" is required (base64).`, { param: field });
    return { bytes: fromBase64(encoded, field), fields };
  }
  throw new ApiError("unsupported_media_type", `Send multipart/form-data with a "${field}" file, or application/json with "${field}" as base64.`);
}
