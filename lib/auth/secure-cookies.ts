/**
 * next-auth marks its cookies `Secure` only when NEXTAUTH_URL starts with https. Behind a TLS-terminating proxy
 * that the operator configured with an http NEXTAUTH_URL, the browser still speaks https: this adds `Secure` to
 * every cookie of a response to a request that arrived over https (lib/config/client-address.ts decides, trusting
 * X-Forwarded-Proto only from PARETO_TRUSTED_PROXIES). Cookie names do not change, so sessions keep working.
 */
export function withSecureCookies(res: Response): Response {
  const cookies = res.headers.getSetCookie();
  if (!cookies.length || cookies.every((c) => /;\s*secure\s*(;|$)/i.test(c))) return res;
  const headers = new Headers(res.headers);
  headers.delete("set-cookie");
  for (const c of cookies) headers.append("set-cookie", /;\s*secure\s*(;|$)/i.test(c) ? c : `${c}; Secure`);
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}
