/**
 * Where to send someone after signing in: a path on this site, never anywhere else (open redirect). Pure, so the
 * sign-in form (browser) and next-auth's `redirect` callback (server) apply the same rule.
 *
 * Prefix checks on the raw text are not enough: browsers strip tabs and newlines from URLs and read `\` as `/`,
 * so `/\t/evil.com`, `/\/evil.com` and `/%09/evil.com` (decoded once by the query string) all become
 * `//evil.com`. The candidate is therefore parsed with the WHATWG URL parser — the browser's own rules — against
 * our origin, refused unless it stays on that origin, and reduced to path + query + hash with the leading slashes
 * collapsed to one, so the result cannot be read as a network-path reference (`//host`) by whoever follows it.
 */

/** A stand-in origin for parsing when the real one is not known (server render); no real site uses `.invalid`. */
const PLACEHOLDER = "http://pareto.invalid";

/** The same-origin path the candidate points to, or `fallback`. `origin` is this site's origin when known. */
export function safeCallbackPath(candidate: unknown, origin: string = PLACEHOLDER, fallback = "/"): string {
  if (typeof candidate !== "string" || candidate === "" || candidate.length > 2048) return fallback;
  const url = sameOrigin(candidate, origin);
  if (!url) return fallback;
  // Encoded variants too (`/%2F%2Fevil.com`, `/%5Cevil.com`): whoever decodes the path once more must still
  // land here.
  const decoded = decodeOnce(candidate);
  if (decoded !== candidate && !sameOrigin(decoded, origin)) return fallback;
  return `/${url.pathname.replace(/^\/+/, "")}${url.search}${url.hash}`;
}

function sameOrigin(candidate: string, origin: string): URL | null {
  try {
    const base = new URL(origin);
    const url = new URL(candidate, base);
    return url.origin === base.origin && !url.username && !url.password ? url : null;
  } catch {
    return null;
  }
}

function decodeOnce(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** For next-auth's `redirect` callback: an absolute URL on `baseUrl`, or `baseUrl` itself. */
export function safeRedirect(url: string, baseUrl: string): string {
  const origin = new URL(baseUrl).origin;
  return `${origin}${safeCallbackPath(url, origin)}`;
}
