/**
 * Issue 11 item 7 — account pre-hijack through GitHub sign-in. An attacker who signs up with the victim's email and
 * a password must not receive the victim's later GitHub sign-in. A GitHub identity joins an existing account only
 * when GitHub reports that email verified and the person proves the account's password once. Runs against a real
 * OAuth server on loopback (tests/support/fake-github.ts) that the server under test reaches over HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGitHub, type FakeGitHub, type GitHubIdentity } from "../support/fake-github";
import { CookieJar, request, signIn, signUp } from "../support/http";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

let server: RunningServer;
let gh: FakeGitHub;
let drop: () => Promise<void>;
let base: string;
let nextId = 5000;
const stamp = Date.now().toString(36);
const mail = (tag: string) => `${tag}-${stamp}@example.com`;

function identity(email: string, verified: boolean): GitHubIdentity {
  const id = nextId++;
  return { id, login: `gh${id}`, email, emails: [{ email, primary: true, verified }] };
}

/** The browser's whole "Continue with GitHub" round trip; returns where Pareto sent it and the cookie jar. */
async function githubSignIn(who: GitHubIdentity) {
  gh.as(who);
  const jar = new CookieJar();
  const { csrfToken } = (await (await request(base, "/api/auth/csrf", { jar })).json()) as { csrfToken: string };
  const start = await request(base, "/api/auth/signin/github", {
    method: "POST",
    jar,
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, callbackUrl: `${base}/keys`, json: "true" }).toString(),
  });
  const authorizeUrl = ((await start.json()) as { url: string }).url;
  expect(authorizeUrl.startsWith(`${gh.url}/login/oauth/authorize`)).toBe(true);
  const consent = await fetch(authorizeUrl, { redirect: "manual" });
  const callback = consent.headers.get("location") ?? "";
  expect(callback.startsWith(`${base}/api/auth/callback/github`)).toBe(true);
  const back = await request(base, callback.slice(base.length), { jar });
  const location = new URL(back.headers.get("location") ?? "/", base);
  const session = (await (await request(base, "/api/auth/session", { jar })).json()) as { user?: { email: string; id: string } };
  return { jar, location, user: session.user ?? null };
}

async function link(token: string, password: string) {
  return request(base, "/api/auth/link", { method: "POST", json: { token, password } });
}

beforeAll(async () => {
  gh = await startFakeGitHub();
  const fresh = await freshDatabase();
  drop = fresh.drop;
  server = await startServer(
    { DATABASE_URL: fresh.url, GITHUB_ID: "test-client", GITHUB_SECRET: "test-secret", GITHUB_URL: gh.url, GITHUB_API_URL: gh.url, PARETO_ADMIN_EMAIL: mail("ops"), PARETO_ADMIN_PASSWORD: "ops-password-1" },
    { dataDir: fresh.dataDir },
  );
  base = server.url;
});

afterAll(async () => {
  await server?.stop();
  await gh?.close();
  await drop?.();
});

describe("GitHub sign-in and existing accounts", () => {
  it("a new, verified GitHub email creates an account and signs in, through all three OAuth endpoints", async () => {
    const who = identity(mail("fresh"), true);
    const r = await githubSignIn(who);
    expect(r.user?.email).toBe(mail("fresh"));
    expect(r.location.pathname).toBe("/keys");
    expect(gh.calls).toEqual(expect.arrayContaining(["GET /login/oauth/authorize", "POST /login/oauth/access_token", "GET /user", "GET /user/emails"]));
    // The second time, the linked identity signs in to the same account.
    const again = await githubSignIn(who);
    expect(again.user?.id).toBe(r.user?.id);
  });

  it("pre-hijack: the victim's GitHub sign-in never lands in an account an attacker registered with the victim's email", async () => {
    const victim = mail("victim");
    expect((await signUp(base, victim, "attacker-password")).status).toBe(201);
    const attacker = await signIn(base, victim, "attacker-password");
    expect(attacker.ok).toBe(true);

    const who = identity(victim, true);
    const r = await githubSignIn(who);
    expect(r.user, "the GitHub user must not be signed in to the attacker's account").toBeNull();
    expect(r.location.pathname).toBe("/signin/link");
    // Nothing was linked: the attacker's account still has no GitHub identity, so a second try is refused the same way.
    const again = await githubSignIn(who);
    expect(again.user).toBeNull();
  });

  it("the owner links GitHub by proving the password once; a wrong password or a forged token links nothing", async () => {
    const owner = mail("owner");
    expect((await signUp(base, owner, "owner-password")).status).toBe(201);
    const who = identity(owner, true);
    const r = await githubSignIn(who);
    expect(r.user).toBeNull();
    const token = r.location.searchParams.get("token") ?? "";
    expect(token.length).toBeGreaterThan(20);

    const wrong = await link(token, "not-the-password");
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("invalid_credentials");
    const forged = await link(`${token.slice(0, -4)}AAAA`, "owner-password");
    expect(forged.status).toBe(422);
    expect((await forged.json()) as unknown).toMatchObject({ error: { code: "validation_error", param: "token" } });
    expect((await githubSignIn(who)).user).toBeNull();

    const ok = await link(token, "owner-password");
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { email: string }).email).toBe(owner);
    const after = await githubSignIn(who);
    expect(after.user?.email).toBe(owner);
    expect(after.location.pathname).toBe("/keys");
  });

  it("an unverified GitHub email neither joins an existing account nor creates one", async () => {
    const existing = mail("unverified-existing");
    expect((await signUp(base, existing, "owner-password")).status).toBe(201);
    const r = await githubSignIn(identity(existing, false));
    expect(r.user).toBeNull();
    expect(r.location.pathname).toBe("/signin");
    expect(r.location.searchParams.get("error")).toBe("GitHubEmailUnverified");

    const unknown = mail("unverified-new");
    const n = await githubSignIn(identity(unknown, false));
    expect(n.user).toBeNull();
    // The address was not taken by the unverified GitHub identity: its owner can still sign up.
    expect((await signUp(base, unknown, "owner-password")).status).toBe(201);
  });
});
