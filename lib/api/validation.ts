import { z } from "zod";
import { ApiError } from "./errors";
import { readCapped } from "./body";

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
  // An unknown key is named where it sits (`colour`, `filters.x`), like any other field the caller got wrong.
  const path = issue.code === "unrecognized_keys" && issue.keys.length ? [...issue.path, issue.keys[0]] : issue.path;
  const param = path.length ? path.join(".") : undefined;
  throw new ApiError("validation_error", issue.message, { param });
}

async function readText(req: Request, maxBytes: number): Promise<string> {
  // The same capped, deadline-bound reader as uploads: Content-Length can lie or be absent, and a client may trickle.
  return new TextDecoder("utf-8", { fatal: false }).decode(await readCapped(req, maxBytes));
}
