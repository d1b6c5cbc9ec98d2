/**
 * The answer to a bad request must not depend on what the server happened to serve first. Next.js gives each layer
 * (instrumentation, page render, route handler) its own copy of lib/; when the error classes of one copy were
 * checked with `instanceof` in another, a server whose first request rendered a page answered every invalid image
 * with 500 (issue 10). Two fresh servers — one opened at `GET /`, one at an API call — get the security suite's
 * hostile requests; their statuses and error codes must be the same, and never a 5xx.
 */
import crypto from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { adminJar, bearer, createKey, form, newUser, sample } from "../support/api";
import { pngDeclaring } from "../support/hostile";
import { hostileFixtures, hostileRows, type HostileFixtures, type HostileRow } from "../support/hostile-rows";
import { request } from "../support/http";
import { freshDatabase, startServer } from "../support/server";

const onPostgres = /^postgres/.test(process.env.PARETO_TEST_DATABASE_URL ?? "");
const admin = { email: "page-first-admin@example.com", password: "page-first-admin-password" };
type Answer = { status: number; code: string | null };

const png = sample("sign-en.png");
const randomBytes = crypto.randomBytes(100);
const ocr = (bytes: Buffer, name = "x.png") => () => ({ body: form("image", bytes, name) });

/** The inputs named in issue 10, on top of the security suite's table. */
const issueRows: HostileRow[] = [
  { name: "OCR: 100 random bytes", path: "/api/v1/ocr", init: ocr(randomBytes), status: 400, code: "unsupported_format" },
  { name: "OCR: an empty file", path: "/api/v1/ocr", init: ocr(Buffer.alloc(0)), status: 400, code: "empty_input" },
  { name: "OCR: a truncated PNG", path: "/api/v1/ocr", init: ocr(png.subarray(0, Math.floor(png.length / 3))), status: 400, code: "corrupt_input" },
  { name: "OCR: a PNG header declaring 100000×100000", path: "/api/v1/ocr", init: ocr(pngDeclaring(100_000, 100_000)), status: 422, code: "image_too_large" },
  { name: "VAD: a PNG", path: "/api/v1/vad", init: () => ({ body: form("audio", png, "x.wav") }), status: 400, code: "unsupported_format" },
];

let fixtures: HostileFixtures;
const rows = [...issueRows, ...hostileRows(onPostgres, () => fixtures)];

/** Starts a fresh server, makes `first` its first request, then sends every row; the answers by row name. */
async function answersAfter(first: string): Promise<Map<string, Answer>> {
  const fresh = await freshDatabase();
  const server = await startServer({ DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: admin.email, PARETO_ADMIN_PASSWORD: admin.password }, { dataDir: fresh.dataDir });
  try {
    const opened = await fetch(`${server.url}${first}`);
    expect(opened.status, `${first} on a fresh server`).toBe(200);
    await opened.arrayBuffer();
    const base = server.url;
    const user = await newUser(base, "page-first");
    const jar = await adminJar(base, admin.email, admin.password);
    // Pro: a few dozen metered calls with one key.
    expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar, json: { plan: "Pro" } })).status).toBe(200);
    const key = (await createKey(base, user)).key;
    const out = new Map<string, Answer>();
    for (const row of rows) {
      const i = row.init?.() ?? {};
      const headers: Record<string, string> = { ...(row.auth === undefined || row.auth === "key" ? bearer(key) : {}), ...((i.headers as Record<string, string>) ?? {}) };
      const res = await request(base, row.path, { method: row.method ?? "POST", ...i, headers, jar: row.auth === "user" ? user.jar : row.auth === "admin" ? jar : undefined });
      const text = await res.text();
      let code: string | null = null;
      try {
        code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? null;
      } catch {
        code = null;
      }
      out.set(row.name, { status: res.status, code });
    }
    return out;
  } finally {
    await server.stop();
    await fresh.drop();
  }
}

describe("answers to hostile input do not depend on the first request a server gets", () => {
  let afterPage: Map<string, Answer>;
  let afterApi: Map<string, Answer>;

  beforeAll(async () => {
    fixtures = await hostileFixtures();
    // One after the other, never at once: they would compete for the cores.
    afterPage = await answersAfter("/");
    afterApi = await answersAfter("/api/v1/models");
  }, 600_000);

  it.each(rows)("$name: same status and code after a page as after an API call, never a 5xx", ({ name }) => {
    const page = afterPage.get(name);
    const api = afterApi.get(name);
    expect(page).toEqual(api);
    expect(page!.status).toBeLessThan(500);
  });

  it("the issue's inputs get their 4xx on the server that rendered a page first", () => {
    for (const row of issueRows) expect(afterPage.get(row.name), row.name).toEqual({ status: row.status, code: row.code });
  });
});
