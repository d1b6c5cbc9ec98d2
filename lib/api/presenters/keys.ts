import type { KeyRow } from "@/lib/db/keys";
import { parseScopes } from "@/lib/keys/scopes";
import { keyStatus } from "@/lib/keys/status";
import { keyOutput } from "../schemas/keys";

/** A key row as the API shows it, through the output schema (never the hash). */
export function presentKey(k: KeyRow) {
  return keyOutput.parse({
    id: k.id,
    name: k.name,
    prefix: k.prefix,
    scopes: parseScopes(k.scopes),
    status: keyStatus(k),
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
    expires_at: k.expiresAt,
    revoked_at: k.revokedAt,
    requests_per_minute: k.requestsPerMinute,
    concurrent_requests: k.concurrentRequests,
    monthly_requests: k.monthlyRequests,
    monthly_compute_ms: k.monthlyComputeMs,
    rotated_from: k.rotatedFromId,
  });
}
