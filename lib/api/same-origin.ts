import { ApiError } from "./errors";

/**
 * Cookie-authenticated mutations must come from our own pages: the browser sends Origin on cross-site POSTs, and
 * it has to name this host. (API-key requests carry no ambient credentials and need no such check.)
 */
export function checkSameOrigin(req: Request): void {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return;
  const origin = req.headers.get("origin") ?? req.headers.get("referer");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  let ok = false;
  try {
    ok = Boolean(origin && host && new URL(origin).host === host);
  } catch {
    ok = false;
  }
  if (!ok) throw new ApiError("csrf_failed", "Cross-site request refused: the Origin header must match this site.");
}
