import { describe, expect, inject, it } from "vitest";
import { request, signIn, signUp } from "../support/http";

const base = inject("baseUrl");
const unique = (tag: string) => `${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 7)}@example.com`;

async function expectHealthy() {
  const r = await fetch(`${base}/api/health`);
  expect(r.status).toBe(200);
}

describe("sign-up validation", () => {
  const cases: { name: string; body: unknown; status: number; code: string; param?: string }[] = [
    { name: "bad email", body: { email: "not-an-email", password: "longenough1" }, status: 422, code: "validation_error", param: "email" },
    { name: "empty email", body: { email: "", password: "longenough1" }, status: 422, code: "validation_error", param: "email" },
    { name: "short password", body: { email: unique("short"), password: "1234567" }, status: 422, code: "validation_error", param: "password" },
    { name: "huge password", body: { email: unique("huge"), password: "x".repeat(300) }, status: 422, code: "validation_error", param: "password" },
    { name: "password of wrong type", body: { email: unique("type"), password: 12345678 }, status: 422, code: "validation_error", param: "password" },
    { name: "missing fields", body: {}, status: 422, code: "validation_error" },
    { name: "unknown field", body: { email: unique("extra"), password: "longenough1", role: "ADMIN" }, status: 422, code: "validation_error" },
    { name: "over-long name", body: { email: unique("name"), password: "longenough1", name: "n".repeat(101) }, status: 422, code: "validation_error", param: "name" },
  ];
  it.each(cases)("$name → $status $code", async ({ body, status, code, param }) => {
    const res = await request(base, "/api/auth/signup", { method: "POST", json: body });
    expect(res.status).toBe(status);
    expect(res.headers.get("x-request-id")).toMatch(/^req_/);
    const json = (await res.json()) as { error: { type: string; code: string; message: string; param?: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.type).toBe("invalid_request_error");
    expect(json.error.message.length).toBeGreaterThan(5);
    expect(JSON.stringify(json)).not.toMatch(/at \w+ \(|node_modules|stack/i);
    if (param) expect(json.error.param).toBe(param);
    await expectHealthy();
  });

  it("malformed JSON → 400 invalid_json", async () => {
    const res = await request(base, "/api/auth/signup", { method: "POST", headers: { "content-type": "application/json" }, body: "{nope" });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
  });

  it("wrong content type → 415", async () => {
    const res = await request(base, "/api/auth/signup", { method: "POST", headers: { "content-type": "text/plain" }, body: "hello" });
    expect(res.status).toBe(415);
  });

  it("cross-site POST (foreign Origin) → 403 csrf_failed", async () => {
    const res = await request(base, "/api/auth/signup", { method: "POST", headers: { origin: "https://evil.example" }, json: { email: unique("csrf"), password: "longenough1" } });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("csrf_failed");
  });

  it("duplicate email (any case) → 409 email_taken on the email field", async () => {
    const email = unique("dup");
    expect((await signUp(base, email, "longenough1")).status).toBe(201);
    const res = await signUp(base, email.toUpperCase(), "longenough2");
    expect(res.status).toBe(409);
    const json = (await res.json()) as { error: { code: string; param: string } };
    expect(json.error).toMatchObject({ code: "email_taken", param: "email" });
  });

  it("a new account is a USER on the Free plan, and the response carries no password hash", async () => {
    const res = await signUp(base, unique("new"), "longenough1", "New Person");
    expect(res.status).toBe(201);
    const { user } = (await res.json()) as { user: Record<string, unknown> };
    expect(user).toMatchObject({ role: "USER", name: "New Person", plan: { name: "Free" } });
    expect(JSON.stringify(user)).not.toMatch(/argon2|passwordHash/);
  });
});

describe("sign-in", () => {
  it("succeeds with the right password and sets an httpOnly, SameSite session cookie", async () => {
    const email = unique("in");
    await signUp(base, email, "right-password");
    const jar0 = await signIn(base, email, "right-password");
    expect(jar0.ok).toBe(true);
    const session = await request(base, "/api/auth/session", { jar: jar0.jar });
    const body = (await session.json()) as { user: { email: string; role: string } };
    expect(body.user).toMatchObject({ email, role: "USER" });
  });

  it("session cookie flags", async () => {
    const email = unique("cookie");
    await signUp(base, email, "right-password");
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const cookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie, origin: base },
      body: new URLSearchParams({ csrfToken, email, password: "right-password", json: "true" }).toString(),
    });
    const sessionCookie = res.headers.getSetCookie().find((c) => c.includes("session-token"));
    expect(sessionCookie).toBeDefined();
    expect(sessionCookie).toMatch(/HttpOnly/i);
    expect(sessionCookie).toMatch(/SameSite=Lax/i);
  });

  it.each([
    { name: "wrong password", password: "wrong-password", known: true },
    { name: "unknown email", password: "whatever-pass", known: false },
  ])("fails with $name", async ({ password, known }) => {
    const email = unique("fail");
    if (known) await signUp(base, email, "right-password");
    const r = await signIn(base, email, password);
    expect(r.ok).toBe(false);
    expect(r.error).toBe("CredentialsSignin");
  });

  it("throttles repeated failures: after 5 wrong passwords even the right one is refused", async () => {
    const email = unique("throttle");
    await signUp(base, email, "right-password");
    for (let i = 0; i < 5; i++) expect((await signIn(base, email, `wrong-${i}-password`)).ok).toBe(false);
    const r = await signIn(base, email, "right-password");
    expect(r.ok).toBe(false);
    expect(r.error).toBe("throttled");
  });
});
