/**
 * Issue 11 item 11 — sessions outlive sign-out. next-auth's sessions are signed cookies valid for 30 days; a copy
 * taken before sign-out (a stolen cookie, another device) kept working. Sign-out, a password change and disabling the
 * user must end every session of that user on the next request. Real HTTP with cookies against the shared server.
 */
import { describe, expect, inject, it } from "vitest";
import { adminJar, newUser } from "../support/api";
import { CookieJar, request, signIn } from "../support/http";

const base = inject("baseUrl");

/** Sends a raw Cookie header (a copy of a session), without the jar's bookkeeping. */
async function withCookie(cookie: string, path: string) {
  return fetch(`${base}${path}`, { headers: { cookie }, redirect: "manual" });
}

async function sessionEmail(cookie: string): Promise<string | null> {
  const body = (await (await withCookie(cookie, "/api/auth/session")).json()) as { user?: { email?: string } };
  return body.user?.email ?? null;
}

async function signOut(jar: CookieJar) {
  const { csrfToken } = (await (await request(base, "/api/auth/csrf", { jar })).json()) as { csrfToken: string };
  const res = await request(base, "/api/auth/signout", {
    method: "POST",
    jar,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, json: "true" }).toString(),
  });
  expect(res.status).toBeLessThan(400);
}

describe("sessions end when they should", () => {
  it("sign-out ends every session of the user, including copies of the cookie and other devices", async () => {
    const u = await newUser(base, "signout");
    const laptop = u.jar.header();
    const phone = (await signIn(base, u.email, "test-password-1")).jar.header();
    expect((await withCookie(laptop, "/api/v1/keys")).status).toBe(200);
    expect((await withCookie(phone, "/api/v1/keys")).status).toBe(200);

    await signOut(u.jar);

    expect((await withCookie(laptop, "/api/v1/keys")).status, "the signed-out cookie, replayed").toBe(401);
    expect(await sessionEmail(laptop)).toBeNull();
    expect((await withCookie(phone, "/api/v1/keys")).status, "the other device").toBe(401);
    expect((await withCookie(laptop, "/keys")).status, "pages too").toBe(307);
    // Signing in again works and gives a working session.
    const again = await signIn(base, u.email, "test-password-1");
    expect(again.ok).toBe(true);
    expect((await request(base, "/api/v1/keys", { jar: again.jar })).status).toBe(200);
  });

  it("disabling a user ends their sessions, and enabling them again does not bring the old cookies back", async () => {
    const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    const u = await newUser(base, "disable");
    const cookie = u.jar.header();
    expect(await sessionEmail(cookie)).toBe(u.email);

    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { disabled: true } })).status).toBe(200);
    expect(await sessionEmail(cookie), "/api/auth/session no longer answers for a disabled user").toBeNull();
    expect((await withCookie(cookie, "/api/v1/keys")).status).toBe(401);

    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { disabled: false } })).status).toBe(200);
    expect((await withCookie(cookie, "/api/v1/keys")).status, "the old cookie after re-enabling").toBe(401);
    expect(await sessionEmail(cookie)).toBeNull();
    expect((await signIn(base, u.email, "test-password-1")).ok).toBe(true);
  });

  it("changing the password needs the current one, then ends every session and retires the old password", async () => {
    const u = await newUser(base, "passwd");
    const other = (await signIn(base, u.email, "test-password-1")).jar.header();

    const wrong = await request(base, "/api/account/password", { method: "POST", jar: u.jar, json: { current_password: "not-it-at-all", new_password: "brand-new-password" } });
    expect(wrong.status).toBe(401);
    expect((await withCookie(other, "/api/v1/keys")).status, "a refused change ends nothing").toBe(200);

    const short = await request(base, "/api/account/password", { method: "POST", jar: u.jar, json: { current_password: "test-password-1", new_password: "short" } });
    expect(short.status).toBe(422);

    const ok = await request(base, "/api/account/password", { method: "POST", jar: u.jar, json: { current_password: "test-password-1", new_password: "brand-new-password" } });
    expect(ok.status).toBe(200);
    expect((await withCookie(other, "/api/v1/keys")).status).toBe(401);
    expect((await signIn(base, u.email, "test-password-1")).ok).toBe(false);
    expect((await signIn(base, u.email, "brand-new-password")).ok).toBe(true);
  });

  it("an unauthenticated password change is refused", async () => {
    const res = await request(base, "/api/account/password", { method: "POST", json: { current_password: "x".repeat(8), new_password: "y".repeat(8) } });
    expect(res.status).toBe(401);
  });
});
