/** Small HTTP helpers for integration tests: a cookie jar and next-auth credential sign-in over real HTTP. */

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const i = pair.indexOf("=");
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (/max-age=0/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  has(name: string): boolean {
    return [...this.cookies.keys()].some((k) => k.includes(name));
  }
}

export async function request(base: string, path: string, init: RequestInit & { jar?: CookieJar; json?: unknown } = {}) {
  const headers = new Headers(init.headers);
  if (init.jar) headers.set("cookie", init.jar.header());
  let body = init.body;
  if (init.json !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(init.json);
  }
  // Same-origin requests from our own pages carry Origin; tests mimic the browser.
  if (init.method && init.method !== "GET" && !headers.has("origin")) headers.set("origin", base);
  const res = await fetch(`${base}${path}`, { ...init, headers, body, redirect: "manual" });
  init.jar?.store(res);
  return res;
}

export async function signUp(base: string, email: string, password: string, name?: string) {
  return request(base, "/api/auth/signup", { method: "POST", json: { email, password, name } });
}

/** Signs in through next-auth's credentials callback; returns the jar (with the session cookie on success). */
export async function signIn(base: string, email: string, password: string, headers: Record<string, string> = {}) {
  const jar = new CookieJar();
  const csrf = await request(base, "/api/auth/csrf", { jar });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await request(base, "/api/auth/callback/credentials", {
    method: "POST",
    jar,
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }).toString(),
  });
  // With json=true next-auth answers { url } (with ?error=… on failure) instead of redirecting.
  const location = res.headers.get("location") ?? ((await res.json().catch(() => ({}))) as { url?: string }).url ?? "";
  const error = new URL(location, base).searchParams.get("error");
  return { jar, ok: jar.has("session-token") && !error, error, status: res.status };
}
