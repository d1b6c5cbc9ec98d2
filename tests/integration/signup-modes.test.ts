/**
 * Issue 11 item 9 — unlimited sign-ups. PARETO_SIGNUP=open|invite|closed; admins create invite links (Users panel
 * and API); sign-ups per client address are rate limited (PARETO_SIGNUP_RATE_LIMIT per hour); and when
 * PARETO_ADMIN_EMAIL is set, "the first account becomes admin" is off.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminJar } from "../support/api";
import { request, signIn, signUp, type CookieJar } from "../support/http";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const stamp = Date.now().toString(36);
const mail = (tag: string) => `${tag}-${stamp}@example.com`;
const ADMIN = { email: mail("invite-admin"), password: "invite-admin-password" };
const LIMIT = 6;

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe("PARETO_SIGNUP=invite", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  let base: string;
  let admin: CookieJar;
  /**
   * Sign-ups this file sends that count against the per-address limit: every one with an invite (without one, the
   * mode refuses it before anything is counted or hashed).
   */
  let attempts = 0;
  const join = (email: string, invite?: string) => {
    if (invite) attempts++;
    return request(base, "/api/auth/signup", { method: "POST", json: { email, password: "member-password", ...(invite ? { invite } : {}) } });
  };
  const createInvite = (body: Record<string, unknown> = {}) => request(base, "/api/v1/admin/invites", { method: "POST", jar: admin, json: body });

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    server = await startServer(
      { DATABASE_URL: fresh.url, PARETO_SIGNUP: "invite", PARETO_SIGNUP_RATE_LIMIT: String(LIMIT), PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password },
      { dataDir: fresh.dataDir },
    );
    base = server.url;
    admin = await adminJar(base, ADMIN.email, ADMIN.password);
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("refuses a sign-up without an invite", async () => {
    const res = await join(mail("uninvited"));
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("invite_required");
  });

  it("an admin's invite link lets one person sign up, once, as a USER", async () => {
    const res = await createInvite();
    expect(res.status).toBe(201);
    const inv = (await res.json()) as { id: string; token: string; url: string; expires_at: string };
    expect(inv.url).toContain(`/signup?invite=${encodeURIComponent(inv.token)}`);
    expect(new Date(inv.expires_at).getTime()).toBeGreaterThan(Date.now());

    const listed = (await (await request(base, "/api/v1/admin/invites", { jar: admin })).json()) as { data: { id: string; used_at: string | null }[] };
    expect(listed.data.find((i) => i.id === inv.id)?.used_at).toBeNull();
    expect(JSON.stringify(listed)).not.toContain(inv.token);

    const ok = await join(mail("invited"), inv.token);
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { user: { role: string } }).user.role).toBe("USER");
    expect((await signIn(base, mail("invited"), "member-password")).ok).toBe(true);

    const reused = await join(mail("second-use"), inv.token);
    expect(reused.status).toBe(403);
    expect(await errorCode(reused)).toBe("invalid_invite");
  });

  it("an invite for one address does not admit another; a revoked or made-up invite admits nobody", async () => {
    const bound = (await (await createInvite({ email: mail("bound") })).json()) as { token: string };
    const other = await join(mail("not-bound"), bound.token);
    expect(other.status).toBe(403);
    expect(await errorCode(other)).toBe("invalid_invite");

    const revoked = (await (await createInvite()).json()) as { id: string; token: string };
    expect((await request(base, `/api/v1/admin/invites/${revoked.id}`, { method: "DELETE", jar: admin })).status).toBe(200);
    expect((await join(mail("revoked"), revoked.token)).status).toBe(403);
  });

  it("only admins create invites", async () => {
    const { jar } = await signIn(base, mail("invited"), "member-password");
    expect((await request(base, "/api/v1/admin/invites", { method: "POST", jar, json: {} })).status).toBe(403);
    expect((await request(base, "/api/v1/admin/invites", { method: "POST", json: {} })).status).toBe(401);
  });

  it(`rate-limits sign-ups per client address (${LIMIT} an hour), with Retry-After`, async () => {
    let limited: Response | null = null;
    for (let i = 0; i < LIMIT + 1 && !limited; i++) {
      const res = await join(mail(`burst-${i}`), "inv_made_up_token_that_matches_nothing");
      if (res.status === 429) limited = res;
      else expect(res.status).toBe(403);
    }
    expect(limited, "no 429 after the limit").not.toBeNull();
    expect(attempts - 1).toBe(LIMIT);
    expect(await errorCode(limited!)).toBe("rate_limited");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("PARETO_SIGNUP=closed", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    server = await startServer({ DATABASE_URL: fresh.url, PARETO_SIGNUP: "closed" }, { dataDir: fresh.dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("refuses every sign-up, even the first one, and the sign-up page says so", async () => {
    const res = await signUp(server.url, mail("closed"), "member-password");
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe("signup_closed");
    const page = await (await fetch(`${server.url}/signup`)).text();
    expect(page).toContain('data-testid="signup-closed"');
  });
});

describe("the first-account rule with PARETO_ADMIN_EMAIL set", () => {
  it("on an empty database, an account created before the configured admin is a USER", async () => {
    const fresh = await freshDatabase();
    const saved = { db: process.env.DATABASE_URL, dir: process.env.PARETO_DATA_DIR, admin: process.env.PARETO_ADMIN_EMAIL };
    process.env.DATABASE_URL = fresh.url;
    process.env.PARETO_DATA_DIR = fresh.dataDir;
    process.env.PARETO_ADMIN_EMAIL = "the-operator@example.com";
    const { migrateAndSeed } = await import("@/lib/db/bootstrap");
    const { createUser } = await import("@/lib/db/users");
    const { disconnectDb } = await import("@/lib/db/client");
    try {
      await migrateAndSeed();
      const early = await createUser({ email: "early-bird@example.com", role: "auto" });
      expect(early.role).toBe("USER");
    } finally {
      await disconnectDb();
      for (const [k, v] of [["DATABASE_URL", saved.db], ["PARETO_DATA_DIR", saved.dir], ["PARETO_ADMIN_EMAIL", saved.admin]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      await fresh.drop();
    }
  });
});
