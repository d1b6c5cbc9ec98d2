import "server-only";
import { maxUploadBytes, readCapped } from "./body";
import { ApiError } from "./errors";
import { readMultipart, type ParsedInput } from "./multipart";
import { RAW_MEDIA_TYPES } from "./schemas/inference";

export type { ParsedInput };

/**
 * Reads an inference request in any of its three forms: the file as the raw body (`Content-Type: audio/wav`,
 * `image/png`…, options in the query string), multipart/form-data with a file field (parsed as it arrives), or JSON
 * with the file as base64. Every form has the same byte cap (413, PARETO_MAX_UPLOAD_MB) and body deadline (408,
 * PARETO_BODY_TIMEOUT_MS). Options may also be given in the query string with multipart or JSON; an option given
 * twice, in either place or both, is refused.
 */
export async function readInput(req: Request, field: "image" | "audio"): Promise<ParsedInput> {
  const header = req.headers.get("content-type") ?? "";
  const type = essence(header);
  const max = maxUploadBytes();
  if (isRaw(field, type)) return { bytes: await readCapped(req, max), fields: withQuery(req, null) };
  if (type === "multipart/form-data") {
    const parsed = await readMultipart(req, header, field, max);
    return { bytes: parsed.bytes, fields: withQuery(req, parsed.fields) };
  }
  if (type === "application/json") {
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
    return { bytes: fromBase64(encoded, field), fields: withQuery(req, fields) };
  }
  const other = field === "audio" ? "image" : "audio";
  const got = type ? `got ${type}` : "the request has no Content-Type";
  if (isRaw(other, type)) throw new ApiError("unsupported_media_type", `This endpoint reads ${field === "audio" ? "audio" : "images"}, not ${type}. Send ${accepted(field)}.`);
  throw new ApiError("unsupported_media_type", `Send ${accepted(field)}; ${got}.`);
}

/** The media type without its parameters, lower-cased: `Audio/WAV; charset=binary` is `audio/wav`. */
function essence(contentType: string): string {
  return contentType.split(";", 1)[0].trim().toLowerCase();
}

function isRaw(field: "image" | "audio", type: string): boolean {
  return (RAW_MEDIA_TYPES[field] as readonly string[]).includes(type);
}

function accepted(field: "image" | "audio"): string {
  const raw = field === "audio" ? "audio/wav (or audio/wave, audio/x-wav)" : "image/png, image/jpeg or image/webp";
  return `the ${field} as the request body with Content-Type ${raw} and the options in the query string, multipart/form-data with an "${field}" file, or application/json with "${field}" in base64`;
}

/**
 * The body's fields with the query string's options added. Built without a prototype, so a parameter named
 * "__proto__" or "constructor" is a name like any other (and refused by the schema as unknown).
 */
function withQuery(req: Request, body: Record<string, unknown> | null): Record<string, unknown> {
  const query = new URL(req.url).searchParams;
  if (body && query.size === 0) return body;
  const fields = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of Object.entries(body ?? {})) fields[k] = v;
  for (const [k, v] of query) {
    if (Object.hasOwn(fields, k)) throw new ApiError("validation_error", body && Object.hasOwn(body, k) ? `Option "${k}" was sent both in the body and in the query string.` : `Query parameter "${k}" was sent twice.`, { param: k });
    fields[k] = v;
  }
  return fields;
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
