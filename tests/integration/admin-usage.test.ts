import { beforeAll, describe, expect, inject, it } from "vitest";
import { request, type CookieJar } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, tinyWav, waitFor, type TestUser } from "../support/api";

const base = inject("baseUrl");

type NewKey = { id: string; key: string; prefix: string };
type ErrorBody = { error: { type: string; code: string; message: string; param?: string } };
type Usage = {
  totals: { requests: number; errors: number };
  keys: { id: string; prefix: string; name: string }[];
  recent: { request_id: string; key: string | null; key_prefix: string | null; model: string | null }[];
  by_key: { key: string; requests: number }[];
  routing_decisions: unknown[];
};
type AdminUsage = {
  object: string;
  totals: { requests: number; errors: number };
  rejections: { quota_exceeded: number; rate_limited: number };
  users: number;
  errors_by_code: { code: string; count: number }[];
  top_users: { user: string; email: string | null; requests: number }[];
  top_keys: { key: string; prefix: string | null; owner_email: string | null; requests: number }[];
  by_model: { model: string; requests: number }[];
  latency_ms: { p50: number | null; p95: number | null };
};
type AdminModel = { id: string; status: string; enabled: boolean; queued: number; in_flight: number; p95_ms: number | null; memory_bytes: number | null };
type Audit = { data: { id: string; action: string; actor_email: string | null; target_id: string | null; details: Record<string, unknown> }[]; actions: string[]; next_cursor: string | null };

const vad = (auth: { key?: string; jar?: CookieJar }, fields: Record<string, string> = {}) =>
  request(base, "/api/v1/vad", { method: "POST", headers: auth.key ? bearer(auth.key) : {}, jar: auth.jar, body: form("audio", tinyWav(0.3), "a.wav", fields) });

/** A minimal RFC 4180 parser (quoted cells, doubled quotes, CRLF), enough to check what the export wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

async function exportCsv(path: string, auth: { jar?: CookieJar; key?: string }) {
  const res = await request(base, `/api/v1/usage/export.csv${path}`, { jar: auth.jar, headers: auth.key ? bearer(auth.key) : {} });
  return { res, rows: res.status === 200 ? parseCsv(await res.text()) : [] };
}

describe("admin routes: visitors get 401, users 403", () => {
  let user: TestUser;
  beforeAll(async () => {
    user = await newUser(base, "au-role");
  });
  const routes: [string, string][] = [
    ["GET", "/api/v1/admin/usage"],
    ["GET", "/api/v1/admin/models"],
    ["GET", "/api/v1/admin/audit"],
    ["POST", "/api/v1/admin/models/silero-vad-v4/load"],
    ["POST", "/api/v1/admin/models/silero-vad-v4/disable"],
  ];
  it.each(routes)("visitor: %s %s → 401", async (method, path) => {
    const res = await request(base, path, { method });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.code).toBe("unauthorized");
  });
  it.each(routes)("USER: %s %s → 403", async (method, path) => {
    const res = await request(base, path, { method, jar: user.jar });
    expect(res.status).toBe(403);
    expect(((await res.json()) as ErrorBody).error).toMatchObject({ type: "permission_error", code: "forbidden" });
  });
  it("the CSV export needs a key or a session", async () => {
    const { res } = await exportCsv("", {});
    expect(res.status).toBe(401);
    expect(((await res.json()) as ErrorBody).error.code).toBe("missing_api_key");
  });
});

describe("a user's usage report and CSV export", () => {
  let alice: TestUser;
  let bob: TestUser;
  let aliceKey: NewKey;
  let bobKey: { id: string; key: string };
  const aliceIds: string[] = [];
  const bobIds: string[] = [];
  const evilName = '=HYPERLINK("http://evil.example","a,b")';

  beforeAll(async () => {
    alice = await newUser(base, "au-alice");
    bob = await newUser(base, "au-bob");
    aliceKey = (await createKey(base, alice, { name: evilName })) as NewKey;
    bobKey = await createKey(base, bob, { name: "bob's key" });
    for (let i = 0; i < 2; i++) {
      aliceIds.push((await vad({ key: aliceKey.key })).headers.get("x-request-id")!);
      bobIds.push((await vad({ key: bobKey.key })).headers.get("x-request-id")!);
    }
    aliceIds.push((await vad({ jar: alice.jar })).headers.get("x-request-id")!);
    await waitFor(() => exportCsv("?model=silero-vad-v5", { jar: alice.jar }), (r) => r.rows.length >= 4);
  });

  it("GET /api/v1/usage labels rows with the key prefix and lists routing decisions (none yet)", async () => {
    const r = (await (await request(base, "/api/v1/usage?model=silero-vad-v5", { jar: alice.jar })).json()) as Usage;
    expect(r.totals.requests).toBe(3);
    expect(r.keys).toEqual([expect.objectContaining({ id: aliceKey.id, prefix: aliceKey.prefix, name: evilName })]);
    expect(r.recent.filter((x) => x.key === aliceKey.id).every((x) => x.key_prefix === aliceKey.prefix)).toBe(true);
    expect(r.by_key.map((b) => b.key).sort()).toEqual([aliceKey.id, "playground"].sort());
    expect(r.routing_decisions).toEqual([]);
  });

  it("IDOR: neither the report nor the export of one user includes another user's rows", async () => {
    const report = (await (await request(base, "/api/v1/usage?limit=1000", { jar: alice.jar })).json()) as Usage;
    const ids = report.recent.map((x) => x.request_id);
    for (const id of aliceIds) expect(ids).toContain(id);
    for (const id of bobIds) expect(ids).not.toContain(id);
    const { res, rows } = await exportCsv("", { jar: alice.jar });
    expect(res.status).toBe(200);
    const col = rows[0].indexOf("request_id");
    const exported = rows.slice(1).map((r) => r[col]);
    for (const id of aliceIds) expect(exported).toContain(id);
    for (const id of bobIds) expect(exported).not.toContain(id);
    expect(JSON.stringify(rows)).not.toContain("bob's key");
  });

  it("IDOR: another user's key id as a filter is 404, never their data", async () => {
    const usage = await request(base, `/api/v1/usage?key=${bobKey.id}`, { jar: alice.jar });
    expect(usage.status).toBe(404);
    expect(((await usage.json()) as ErrorBody).error).toMatchObject({ code: "not_found", param: "key" });
    const { res } = await exportCsv(`?key=${bobKey.id}`, { jar: alice.jar });
    expect(res.status).toBe(404);
  });

  it("the export is RFC 4180 CSV with formula injection neutralised", async () => {
    const { res, rows } = await exportCsv(`?key=${aliceKey.id}&model=silero-vad-v5`, { jar: alice.jar });
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="pareto-usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv"$/);
    const [header, ...data] = rows;
    expect(header).toEqual(["created_at", "request_id", "source", "route", "method", "model", "key_prefix", "key_name", "status", "error_code", "latency_ms", "compute_ms", "units", "unit_kind"]);
    expect(data).toHaveLength(2);
    for (const row of data) {
      expect(row).toHaveLength(header.length);
      expect(row[header.indexOf("key_prefix")]).toBe(aliceKey.prefix);
      // The cell starts with a quote, so a spreadsheet shows the text instead of evaluating it.
      expect(row[header.indexOf("key_name")]).toBe(`'${evilName}`);
      expect(row[header.indexOf("status")]).toBe("200");
    }
    // On the wire: quoted because of the comma and quotes, with the quotes doubled.
    const raw = await (await request(base, `/api/v1/usage/export.csv?key=${aliceKey.id}`, { jar: alice.jar })).text();
    expect(raw).toContain(`"'=HYPERLINK(""http://evil.example"",""a,b"")"`);
    expect(raw).not.toMatch(/,=HYPERLINK/);
  });

  it("the export works with an API key, honours the range, and labels playground rows", async () => {
    const { res, rows } = await exportCsv("?model=silero-vad-v5", { key: aliceKey.key });
    expect(res.status).toBe(200);
    const h = rows[0];
    expect(rows.slice(1).map((r) => r[h.indexOf("key_prefix")]).sort()).toEqual([aliceKey.prefix, aliceKey.prefix, "playground"].sort());
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const empty = await exportCsv(`?from=${encodeURIComponent(future)}&to=${encodeURIComponent(new Date(Date.now() + 7_200_000).toISOString())}`, { jar: alice.jar });
    expect(empty.rows).toHaveLength(1);
    const bad = await exportCsv("?from=yesterday", { jar: alice.jar });
    expect(bad.res.status).toBe(422);
  });
});

describe("auto routing decisions in the usage report", () => {
  it("a model=auto call is listed in the caller's routing_decisions, and only there", async () => {
    const carol = await newUser(base, "au-carol");
    const dave = await newUser(base, "au-dave");
    const { key } = await createKey(base, carol);
    const res = await vad({ key }, { model: "auto" });
    const id = res.headers.get("x-request-id");
    const mine = (await (await request(base, "/api/v1/usage", { jar: carol.jar })).json()) as {
      routing_decisions: { request_id: string; task: string; chosen: string | null; reason: string; reason_message: { key: string } | null }[];
    };
    expect(mine.routing_decisions[0]).toMatchObject({ request_id: id, task: "vad" });
    expect(mine.routing_decisions[0].reason.length).toBeGreaterThan(0);
    // Sent as catalog key + parameters as well, so the usage page shows it in the reader's language.
    expect(mine.routing_decisions[0].reason_message?.key).toMatch(/^selection\.reason\./);
    if (res.status === 200) expect(mine.routing_decisions[0].chosen).toBe(res.headers.get("x-pareto-model"));
    const theirs = (await (await request(base, "/api/v1/usage", { jar: dave.jar })).json()) as { routing_decisions: unknown[] };
    expect(theirs.routing_decisions).toEqual([]);
  });
});

describe("admin usage, models and audit", () => {
  let admin: CookieJar;
  const adminEmail = inject("adminEmail");
  beforeAll(async () => {
    admin = await adminJar(base, adminEmail, inject("adminPassword"));
  });

  it("GET /api/v1/admin/usage counts every user's requests, top users and keys, and quota/rate-limit rejections", async () => {
    const u = await newUser(base, "au-dash");
    const limited = (await createKey(base, u, { name: "rpm-1", requests_per_minute: 1 })) as NewKey;
    const capped = (await createKey(base, u, { name: "quota-1", monthly_requests: 1 })) as NewKey;
    const statuses = [(await vad({ key: limited.key })).status, (await vad({ key: limited.key })).status, (await vad({ key: capped.key })).status, (await vad({ key: capped.key })).status];
    expect(statuses).toEqual([200, 429, 200, 402]);
    const get = async (q: string) => (await (await request(base, `/api/v1/admin/usage${q}`, { jar: admin })).json()) as AdminUsage;
    const r = await waitFor(() => get(`?user=${u.id}`), (x) => x.totals.requests >= 4);
    expect(r.object).toBe("admin_usage");
    expect(r.totals).toMatchObject({ requests: 4, errors: 2 });
    expect(r.rejections).toEqual({ quota_exceeded: 1, rate_limited: 1 });
    expect(r.errors_by_code.map((e) => e.code).sort()).toEqual(["quota_exceeded", "rate_limited"]);
    expect(r.users).toBe(1);
    expect(r.top_users).toEqual([expect.objectContaining({ user: u.id, email: u.email, requests: 4 })]);
    expect(r.top_keys).toHaveLength(2);
    expect(r.top_keys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: limited.id, prefix: limited.prefix, owner_email: u.email, requests: 2 }),
        expect.objectContaining({ key: capped.id, prefix: capped.prefix, owner_email: u.email, requests: 2 }),
      ]),
    );
    expect(r.latency_ms.p50).toBeGreaterThan(0);
    // Everyone: at least this user's requests, and more than one user.
    const all = await get("");
    expect(all.totals.requests).toBeGreaterThanOrEqual(4);
    expect(all.users).toBeGreaterThan(1);
    expect((await request(base, "/api/v1/admin/usage?to=not-a-date", { jar: admin })).status).toBe(422);
  });

  it("models: load → READY, unload → UNLOADED, disable → inference 403 model_disabled, enable → 200; all audit-logged", async () => {
    const id = "silero-vad-v4";
    const post = async (action: string, model = id) => request(base, `/api/v1/admin/models/${model}/${action}`, { method: "POST", jar: admin });
    const list = async () => ((await (await request(base, "/api/v1/admin/models", { jar: admin })).json()) as { data: AdminModel[] }).data;

    const loaded = await post("load");
    expect(loaded.status).toBe(200);
    expect((await loaded.json()) as AdminModel).toMatchObject({ id, status: "READY", enabled: true });
    const row = (await list()).find((m) => m.id === id)!;
    expect(row).toMatchObject({ status: "READY", queued: 0, in_flight: 0 });
    expect(row.memory_bytes).not.toBeNull();

    expect(((await (await post("unload")).json()) as AdminModel).status).toBe("UNLOADED");
    expect((await list()).find((m) => m.id === id)!.status).toBe("UNLOADED");

    const u = await newUser(base, "au-model");
    const { key } = await createKey(base, u);
    try {
      expect(((await (await post("disable")).json()) as AdminModel).enabled).toBe(false);
      const refused = await vad({ key }, { model: id });
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as ErrorBody).error).toMatchObject({ code: "model_disabled", param: "model" });
      const pub = (await (await request(base, `/api/v1/models/${id}`)).json()) as { enabled: boolean };
      expect(pub.enabled).toBe(false);
    } finally {
      expect(((await (await post("enable")).json()) as AdminModel).enabled).toBe(true);
    }
    expect((await vad({ key }, { model: id })).status).toBe(200);
    expect((await list()).find((m) => m.id === id)!.p95_ms).toBeGreaterThan(0);

    expect((await post("explode")).status).toBe(404);
    const unknown = await post("load", "no-such-model");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as ErrorBody).error.code).toBe("model_not_found");

    const audit = (await (await request(base, `/api/v1/admin/audit?action=model.disable`, { jar: admin })).json()) as Audit;
    expect(audit.data[0]).toMatchObject({ action: "model.disable", actor_email: adminEmail, target_id: id, details: expect.objectContaining({ outcome: "ok", enabled: false }) });
    const actions = ((await (await request(base, "/api/v1/admin/audit?limit=500", { jar: admin })).json()) as Audit).data.map((e) => e.action);
    for (const a of ["model.load", "model.unload", "model.disable", "model.enable"]) expect(actions).toContain(a);
  });

  it("GET /api/v1/admin/audit filters by action, actor and range, and pages with a cursor", async () => {
    const u = await newUser(base, "au-audit");
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    const get = async (q: string) => (await (await request(base, `/api/v1/admin/audit${q}`, { jar: admin })).json()) as Audit;

    const byAction = await get("?action=user.update");
    expect(byAction.data.length).toBeGreaterThan(0);
    expect(byAction.data.every((e) => e.action === "user.update")).toBe(true);
    expect(byAction.data[0]).toMatchObject({ target_id: u.id, details: { plan: "Pro" } });
    expect(byAction.actions).toEqual(expect.arrayContaining(["user.update"]));

    expect((await get(`?actor=${encodeURIComponent(adminEmail.slice(0, 8).toUpperCase())}`)).data.length).toBeGreaterThan(0);
    expect((await get("?actor=nobody-at-all")).data).toEqual([]);
    const past = await get(`?from=${encodeURIComponent(new Date(Date.now() - 2 * 86_400_000).toISOString())}&to=${encodeURIComponent(new Date(Date.now() - 86_400_000).toISOString())}`);
    expect(past.data).toEqual([]);

    const first = await get("?limit=1");
    expect(first.data).toHaveLength(1);
    expect(first.next_cursor).toBe(first.data[0].id);
    const second = await get(`?limit=1&after=${first.next_cursor}`);
    expect(second.data).toHaveLength(1);
    expect(second.data[0].id).not.toBe(first.data[0].id);
    expect((await request(base, "/api/v1/admin/audit?limit=0", { jar: admin })).status).toBe(422);
  });
});
