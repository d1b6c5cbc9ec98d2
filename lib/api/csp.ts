import DIRECTIVES from "./csp-directives.json";

/**
 * Content-Security-Policy of the HTML pages: scripts run only with this response's nonce (Next puts it on its own
 * inline and bundle scripts, reading it from the request's policy header) or are loaded by one that did
 * ('strict-dynamic'). No 'unsafe-inline' for scripts, so injected markup cannot run code. Styles keep
 * 'unsafe-inline': React writes `style="…"` attributes (progress bars, charts), which a nonce cannot cover.
 * proxy.ts sets it per request; next.config.js sends the same policy minus the nonce on every other response.
 */
export function pageContentSecurityPolicy(nonce: string, dev = false): string {
  // The directives are shared with next.config.js (lib/api/csp-directives.json); pages add the nonce to script-src.
  return DIRECTIVES.map((d) => (d.startsWith("script-src ") ? `${d} 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}` : d)).join("; ");
}

/** A fresh 128-bit nonce, base64 (Web Crypto: proxy.ts may run outside Node's API surface). */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}
