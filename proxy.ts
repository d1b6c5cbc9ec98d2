import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageContentSecurityPolicy } from "@/lib/api/csp";

/**
 * Pages only (see `config`): a fresh nonce per response, in the Content-Security-Policy of both the request (Next
 * reads the nonce from it while rendering and puts it on every script it emits) and the response (the browser
 * enforces it). Every page is rendered per request (the root layout reads the session), as nonces require.
 */
export function proxy(request: NextRequest) {
  const csp = pageContentSecurityPolicy(newNonce(), process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  // Not the API, KServe, metrics or static files: Next buffers the body of every request Proxy sees (10 MB cap),
  // which uploads must not go through, and JSON needs no nonce (next.config.js gives them the nonce-less policy).
  matcher: ["/((?!api/|v2/|metrics|_next/static|_next/image|favicon\\.ico|samples/).*)"],
};
