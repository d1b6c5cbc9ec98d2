import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { request, signIn, signUp, type CookieJar } from "../support/http";
import { freshDatabase, startServer, type RunningServer } from "../support/server";

const base = inject("baseUrl");

/** Every admin surface: the API under /api/v1/admin and the /admin page. */
const ADMIN_API = ["/api/v1/admin/users", "/api/v1/admin/users?search=a", "/api/v1/admin/plans"];
const ADMIN_PAGES = ["/admin"];
const USER_PAGES = ["/playground", "/keys", "/usage"];

describe("roles on a shared server", () => {
  let userJar: CookieJar;

  beforeAll(async () => {
    const email = `role-user-${Date.now()}@example.com`;
    await signUp(base, email, "user-password");
    const r = await signIn(base, email, "user-password");
    expect(r.ok).toBe(true);
    userJar = r.jar;
  });

  it.each(ADMIN_API)("visitor → 401 on %s", async (path) => {
    const res = await request(base, path);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it.each(ADMIN_API)("USER → 403 on %s", async (path) => {
    const res = await request(base, path, { jar: userJar });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: { type: string; code: string } }).error).toMatchObject({ type: "permission_error", code: "forbidden" });
  });

  it.each(ADMIN_PAGES)("USER typing %s gets a 403 page", async (path) => {
    const res = await request(base, path, { jar: userJar });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("You don't have access to this page");
  });

  it.each([...ADMIN_PAGES, ...USER_PAGES])("visitor on %s is sent to sign in and back", async (path) => {
    const res = await request(base, path);
    expect([303, 307, 308]).toContain(res.status);
    const loc = new URL(res.headers.get("location") ?? "", base);
    expect(loc.pathname).toBe("/signin");
    expect(loc.searchParams.get("callbackUrl")).toBe(path);
  });

  it.each(USER_PAGES)("USER can open %s", async (path) => {
    const res = await request(base, path, { jar: userJar });
    expect(res.status).toBe(200);
  });

  it("USER does not see the Admin link", async () => {
    const html = await (await request(base, "/", { jar: userJar })).text();
    expect(html).toContain('data-testid="nav-models"');
    expect(html).not.toContain('data-testid="nav-admin"');
  });

  it("the admin created from PARETO_ADMIN_EMAIL reaches the admin API", async () => {
    const { ok, jar } = await signIn(base, inject("adminEmail"), inject("adminPassword"));
    expect(ok).toBe(true);
    expect((await request(base, "/api/v1/admin/users", { jar })).status).toBe(200);
  });

  it("sends security headers on pages", async () => {
    const res = await request(base, "/");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });
});

describe("a pristine installation", () => {
  let server: RunningServer;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const fresh = await freshDatabase();
    drop = fresh.drop;
    server = await startServer({ DATABASE_URL: fresh.url }, { dataDir: fresh.dataDir });
  });
  afterAll(async () => {
    await server?.stop();
    await drop?.();
  });

  it("makes the first account ADMIN and the second USER; only the admin reaches admin routes", async () => {
    const first = await signUp(server.url, "first@example.com", "first-password");
    expect(((await first.json()) as { user: { role: string } }).user.role).toBe("ADMIN");
    const second = await signUp(server.url, "second@example.com", "second-password");
    expect(((await second.json()) as { user: { role: string } }).user.role).toBe("USER");

    const admin = await signIn(server.url, "first@example.com", "first-password");
    const users = await request(server.url, "/api/v1/admin/users", { jar: admin.jar });
    expect(users.status).toBe(200);
    const list = (await users.json()) as { object: string; data: { email: string }[] };
    expect(list.object).toBe("list");
    expect(list.data.map((u) => u.email)).toEqual(["first@example.com", "second@example.com"]);
    expect(JSON.stringify(list)).not.toMatch(/argon2|passwordHash/);

    const page = await request(server.url, "/admin", { jar: admin.jar });
    expect(page.status).toBe(200);
    const html = await (await request(server.url, "/", { jar: admin.jar })).text();
    expect(html).toContain('data-testid="nav-admin"');
  });
});
