import { z } from "zod";
import { ApiError } from "./errors";

/** Parses a JSON request body with a zod schema; malformed JSON → 400, schema violations → 422 naming the field. */
export async function parseJson<T extends z.ZodType>(req: Request, schema: T, maxBytes = 64 * 1024): Promise<z.output<T>> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    throw new ApiError("unsupported_media_type", "Send the body as application/json.");
  }
  const text = await readText(req, maxBytes);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON.");
  }
  return parseWith(schema, data);
}

export function parseWith<T extends z.ZodType>(schema: T, data: unknown): z.output<T> {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const param = issue.path.length ? issue.path.join(".") : undefined;
  throw new ApiError("validation_error", issue.message, { param });
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes.`);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // Count while reading: Content-Length can lie or be absent (chunked uploads).
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw new ApiError("payload_too_large", `The body is larger than ${maxBytes} bytes.`);
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8", { fatal: false }).decode(Buffer.concat(chunks));
}
