import "server-only";
import type { Permission } from "@/lib/keys/scopes";
import { ApiError } from "../errors";
import type { ErrorReply } from "../error-response";
import { maxUploadBytes, readCapped } from "../input";
import type { KeyOptions } from "../route";
import { kserveError } from "../schemas/kserve";
import type { z } from "zod";

/** Errors in the protocol's own shape, `{"error": "<message>"}`, with the status and headers of our error table. */
export function renderKserveError(r: ErrorReply): Response {
  return Response.json(kserveError.parse({ error: r.message }), { status: r.status, headers: r.headers });
}

/** Options every key-authenticated KServe route shares (the usage events say where they came from). */
export function kserveRoute(route: string, permission: Permission): KeyOptions {
  return { auth: "key", permission, metered: { route, source: "kserve" }, renderError: renderKserveError };
}

/** Tensors as JSON run to tens of MB (a 960² OCR detection input), hence twice the upload cap. */
export function maxKserveBodyBytes(): number {
  return 2 * maxUploadBytes();
}

/** Reads and parses a JSON body; malformed JSON and schema violations are 400s naming the field. */
export async function readKserveJson<T extends z.ZodType>(req: Request, schema: T): Promise<z.output<T>> {
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new ApiError("unsupported_media_type", "Send the inference request as application/json.");
  }
  const raw = await readCapped(req, maxKserveBodyBytes());
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    throw new ApiError("invalid_json", "The request body is not valid JSON (NaN and Infinity are not JSON numbers).");
  }
  const r = schema.safeParse(body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  throw new ApiError("bad_request", path ? `${path}: ${issue.message}` : issue.message, { param: path || undefined });
}
