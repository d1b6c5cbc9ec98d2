/**
 * Issue 11, sign-in and headers over real HTTP:
 *  5. parallel guesses cannot race the throttle (pareto_password_checks_total counts every argon2 check);
 *  6. the throttle is per (email, client address); the address is the TCP peer unless the peer is in
 *     PARETO_TRUSTED_PROXIES — tested from two loopback addresses, 127.0.0.1 (trusted on the dedicated server)
 *     and 127.0.0.2 (not);
 * 10. next-auth's redirect callback keeps callbackUrl on this origin;
 * 14. nonce-based CSP on pages, HSTS and Secure cookies only over https as a trusted proxy reports it.
 */
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { request, signUp } from "../support/http";
import { newUser } from "../support/api";
import { startServer, type RunningServer } from "../support/server";

const base = inject("baseUrl");
const unique = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request from a chosen local address (the server sees it as the TCP peer). */
function call(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; from?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: init.method ?? "GET", headers: init.headers, localAddress: init.from ?? "127.0.0.1", agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(init.body);
  });
}

const cookiePairs = (r: Reply) => (r.headers["set-cookie"] ?? []).map((c) => c.split(";")[0]);

/** next-auth credentials sign-in (csrf, then the callback) from one address with extra headers. */
async function signInFrom(url: string, email: string, password: string, opts: { from?: string; headers?: Record<string, string>; callbackUrl?: string } = {}) {
  const h = opts.headers ?? {};
  const csrf = await call(`${url}/api/auth/csrf`, { from: opts.from, headers: h });
  const { csrfToken } = JSON.parse(csrf.body) as { csrfToken: string };
  const form: Record<string, string> = { csrfToken, email, password, json: "true" };
  if (opts.callbackUrl !== undefined) form.callbackUrl = opts.callbackUrl;
  const res = await call(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    from: opts.from,
    headers: { ...h, "content-type": "application/x-www-form-urlencoded", origin: url, cookie: cookiePairs(csrf).join("; ") },
    body: new URLSearchParams(form).toString(),
  });
  const target = (JSON.parse(res.body || "{}") as { url?: string }).url ?? "";
  const error = target ? new URL(target, url).searchParams.get("error") : "no url";
  const cookies = [...(csrf.headers["set-cookie"] ?? []), ...(res.headers["set-cookie"] ?? [])];
  const ok = cookies.some((c) => c.includes("session-token")) && !error;
  return { ok, error, url: target, cookies };
}

async function passwordChecks(url: string, token: string): Promise<number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  const family = parsePrometheusTextFormat(await res.text()).find((f) => f.name === "pareto_password_checks_total");
  expect(family, "pareto_password_checks_total is exported").toBeDefined();
  return Number((family!.metrics[0] as { value: string }).value);
}

describe("item 5: the sign-in throttle cannot be raced", () => {
  it("100 parallel wrong passwords for one account → at most 5 password checks, then even the right one is refused", async () => {
    const email = unique("race");
    expect((await signUp(base, email, "right-password")).status).toBe(201);
    const token = inject("metricsToken");
    const before = await passwordChecks(base, token);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => signInFrom(base, email, `wrong-password-${i}`)));
    const checks = (await passwordChecks(base, token)) - before;
    expect(results.every((r) => !r.ok)).toBe(true);
    expect(checks).toBeGreaterThan(0);
    expect(checks).toBeLessThanOrEqual(5);
    expect(results.filter((r) => r.error === "throttled").length).toBeGreaterThanOrEqual(95);
    expect((await signInFrom(base, email, "right-password")).error).toBe("throttled");
  });
});

describe("item 10: next-auth's redirect after sign-in stays on this origin", () => {
  const offsite = ["/\t/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/", "/%2F%2Fevil.example", "\t//evil.example"];
  it.each(offsite)("callbackUrl %j → this origin's home page", async (callbackUrl) => {
    const email = unique("redir");
    expect((await signUp(base, email, "right-password")).status).toBe(201);
    const r = await signInFrom(base, email, "right-password", { callbackUrl });
    expect(r.ok).toBe(true);
    expect(r.url).toBe(`${base}/`);
  });

  it("a same-origin path is kept", async () => {
    const email = unique("redir-ok");
    expect((await signUp(base, email, "right-password")).status).toBe(201);
    const r = await signInFrom(base, email, "right-password", { callbackUrl: "/keys?tab=new" });
    expect(r.url).toBe(`${base}/keys?tab=new`);
  });
});

describe("item 14: nonce-based Content-Security-Policy", () => {
  const scriptSrc = (csp: string) => csp.split(";").map((d) => d.trim()).find((d) => d.startsWith("script-src")) ?? "";

  it.each(["/", "/signin", "/signup", "/models", "/docs", "/keys", "/usage"])("%s: every script carries this response's nonce; no 'unsafe-inline' scripts", async (p) => {
    const user = await newUser(base, "csp");
    const res = await request(base, p, { jar: user.jar });
    expect(res.status).toBe(200);
    const csp = res.headers.get("content-security-policy") ?? "";
    // One policy (fetch joins repeated headers with ", ").
    expect(csp.split("default-src").length).toBe(2);
    const src = scriptSrc(csp);
    expect(src).not.toContain("'unsafe-inline'");
    expect(src).toContain("'strict-dynamic'");
    const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(src)?.[1];
    expect(nonce).toBeTruthy();
    const html = await res.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce for every response.
    const again = scriptSrc((await request(base, p, { jar: user.jar })).headers.get("content-security-policy") ?? "");
    expect(again).not.toBe(src);
  });

  it.each(["/api/health", "/api/v1/models", "/v2/health/ready"])("%s: the nonce-less policy, no inline scripts either", async (p) => {
    const csp = (await fetch(`${base}${p}`)).headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(scriptSrc(csp)).toBe("script-src 'self'");
  });

  it("no HSTS over plain http, whatever the client claims (no trusted proxy configured here)", async () => {
    const res = await fetch(`${base}/`, { headers: { "x-forwarded-proto": "https", "x-pareto-https": "1" } });
    expect(res.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("a server behind a trusted proxy at 127.0.0.1 (PARETO_TRUSTED_PROXIES)", () => {
  let server: RunningServer;
  let url: string;

  beforeAll(async () => {
    server = await startServer({ PARETO_TRUSTED_PROXIES: "127.0.0.1", PARETO_SIGNIN_MAX_FAILURES: "5", PARETO_AUTO_BENCHMARK: "0" });
    url = server.url;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const via = (client: string) => ({ headers: { "x-forwarded-for": client } });

  it("item 6: five wrong passwords from one address do not lock the owner out on another", async () => {
    const email = unique("lockout");
    expect((await signUp(url, email, "right-password")).status).toBe(201);
    for (let i = 0; i < 5; i++) expect((await signInFrom(url, email, `wrong-${i}-password`, via("203.0.113.66"))).error).toBe("CredentialsSignin");
    expect((await signInFrom(url, email, "right-password", via("203.0.113.66"))).error).toBe("throttled");
    const owner = await signInFrom(url, email, "right-password", via("198.51.100.20"));
    expect(owner.error).toBeNull();
    expect(owner.ok).toBe(true);
  });

  it("item 6: an address that signed in before keeps signing in while a distributed guesser backs the account off", async () => {
    const email = unique("known");
    expect((await signUp(url, email, "right-password")).status).toBe(201);
    expect((await signInFrom(url, email, "right-password", via("198.51.100.21"))).ok).toBe(true);
    for (let i = 1; i <= 5; i++) await signInFrom(url, email, "wrong-password", via(`203.0.113.${100 + i}`));
    // Six new addresses at once, the right password among them: the back-off lets one check through per slot
    // (1 s, then 2 s); the rest are refused without a check.
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => signInFrom(url, email, i === 5 ? "right-password" : "wrong-password", via(`203.0.113.${200 + i}`))));
    expect(burst.filter((r) => r.error === "throttled").length).toBeGreaterThanOrEqual(4);
    expect((await signInFrom(url, email, "right-password", via("198.51.100.21"))).ok).toBe(true);
  });

  it("item 6: through the trusted proxy, entries the client prepended to X-Forwarded-For are ignored", async () => {
    const results: (string | null)[] = [];
    // 4 × 5 failures from one client address (across accounts) is that address's limit.
    for (let i = 0; i < 21; i++) results.push((await signInFrom(url, unique("spoof"), "wrong-password", via(`10.9.${i}.1, 203.0.113.77`))).error);
    expect(results.slice(0, 20).every((e) => e === "CredentialsSignin")).toBe(true);
    expect(results[20]).toBe("throttled");
  });

  it("item 6: a peer that is not a trusted proxy is its socket address, whatever X-Forwarded-For says", async () => {
    const results: (string | null)[] = [];
    for (let i = 0; i < 21; i++) {
      results.push((await signInFrom(url, unique("direct"), "wrong-password", { from: "127.0.0.2", headers: { "x-forwarded-for": `198.18.${i}.1`, "x-pareto-peer": `198.19.${i}.1` } })).error);
    }
    expect(results.slice(0, 20).every((e) => e === "CredentialsSignin")).toBe(true);
    expect(results[20]).toBe("throttled");
  });

  it("item 14: HSTS only when the trusted proxy says https", async () => {
    const https = await call(`${url}/`, { headers: { "x-forwarded-proto": "https" } });
    expect(https.headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    const api = await call(`${url}/api/health`, { headers: { "x-forwarded-proto": "https" } });
    expect(api.headers["strict-transport-security"]).toMatch(/max-age=\d{7,}/);
    expect((await call(`${url}/`)).headers["strict-transport-security"]).toBeUndefined();
    expect((await call(`${url}/`, { headers: { "x-forwarded-proto": "http" } })).headers["strict-transport-security"]).toBeUndefined();
    // Not from an untrusted peer, not even with the internal header forged.
    const forged = await call(`${url}/`, { from: "127.0.0.2", headers: { "x-forwarded-proto": "https", "x-pareto-https": "1" } });
    expect(forged.headers["strict-transport-security"]).toBeUndefined();
  });

  it("item 14: next-auth cookies are Secure behind the https proxy, and only then", async () => {
    const email = unique("secure");
    expect((await signUp(url, email, "right-password")).status).toBe(201);
    const overHttps = await signInFrom(url, email, "right-password", { headers: { "x-forwarded-proto": "https", "x-forwarded-for": "198.51.100.30" } });
    expect(overHttps.ok).toBe(true);
    const session = overHttps.cookies.find((c) => c.includes("session-token"))!;
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/HttpOnly/i);
    for (const c of overHttps.cookies) expect(c, c.split("=")[0]).toMatch(/;\s*Secure/i);

    const overHttp = await signInFrom(url, email, "right-password", via("198.51.100.30"));
    expect(overHttp.ok).toBe(true);
    expect(overHttp.cookies.find((c) => c.includes("session-token"))).not.toMatch(/;\s*Secure/i);
    // (127.0.0.3: the test above spent 127.0.0.2's failure budget.)
    const forged = await signInFrom(url, email, "right-password", { from: "127.0.0.3", headers: { "x-forwarded-proto": "https" } });
    expect(forged.ok).toBe(true);
    expect(forged.cookies.find((c) => c.includes("session-token"))).not.toMatch(/;\s*Secure/i);
  });
});
