import "server-only";
import { requestClientAddress } from "@/lib/config/request-client";

/**
 * The client's address for per-address limits: the socket peer stamped before Next runs (lib/boot/peer-stamp.ts),
 * or — when that peer is one of PARETO_TRUSTED_PROXIES — the nearest untrusted X-Forwarded-For hop. Requests whose
 * peer is unknown (the stamp not installed) share one bucket.
 */
export function clientAddress(req: Request): string {
  return requestClientAddress(req.headers) ?? "unknown";
}
