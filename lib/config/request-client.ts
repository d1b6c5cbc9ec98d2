import { clientAddress, requestPeer } from "./client-address";
import { env } from "./env";

export { requestIsHttps } from "./client-address";

type HeaderBag = Headers | Record<string, string | string[] | undefined> | undefined | null;

/**
 * The client address of a request as route handlers and next-auth see it: the stamped socket peer, or — when that
 * peer is in PARETO_TRUSTED_PROXIES — the nearest untrusted X-Forwarded-For hop. Null when the peer is unknown
 * (the stamp is not installed in this process), never a value the client chose.
 */
export function requestClientAddress(headers: HeaderBag): string | null {
  return clientAddress(headers, requestPeer(headers), env.trustedProxies());
}
