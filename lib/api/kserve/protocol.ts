import "server-only";
import type { WeightSpec } from "@/lib/models/catalog";
import type { Permission } from "@/lib/keys/scopes";
import { ApiError } from "../errors";
import type { ErrorReply } from "../error-response";
import { readCapped } from "../body";
import type { KeyOptions } from "../route";
import { kserveDecodedRequest, kserveError, type KserveInferRequest } from "../schemas/kserve";
import { decodeKserveJson } from "./json-pool";
import { maxElements, maxKserveBodyBytes } from "./limits";

/** Errors in the protocol's own shape, `{"error": "<message>"}`, with the status and headers of our error table. */
export function renderKserveError(r: ErrorReply): Response {
  return Response.json(kserveError.parse({ error: r.message }), { status: r.status, headers: r.headers });
}

/** Options every key-authenticated KServe route shares (the usage events say where they came from). */
export function kserveRoute(route: string, permission: Permission): KeyOptions {
  return { auth: "key", permission, metered: { route, source: "kserve" }, renderError: renderKserveError };
}

/**
 * Reads and parses an inference body for one weight. The body is refused by Content-Length, or by a streaming cap
 * as it arrives, beyond the weight's largest valid call (limits.ts); what is accepted is parsed off the event loop
 * when large (json-pool.ts). Malformed JSON and schema violations are 400s naming the field.
 */
export async function readKserveJson(req: Request, spec: WeightSpec): Promise<KserveInferRequest> {
  if (!(req.headers.get("content-type") ?? "").toLowerCase().startsWith("application/json")) {
    throw new ApiError("unsupported_media_type", "Send the inference request as application/json.");
  }
  const raw = await readCapped(req, maxKserveBodyBytes(spec));
  const decoded = await decodeKserveJson(raw, maxElements(spec));
  if (!decoded.ok) throw new ApiError(decoded.code, decoded.message, { param: decoded.param });
  const r = kserveDecodedRequest.safeParse(decoded.body);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  throw new ApiError("bad_request", path ? `${path}: ${issue.message}` : issue.message, { param: path || undefined });
}
