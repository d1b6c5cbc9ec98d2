/**
 * Jobs over real HTTP on a server of their own, with the real models: a PDF generated here read page by page, a
 * 17-minute recording whose segments equal the synchronous API's on each part, the quota running out mid-job,
 * cancellation, broken and encrypted PDFs, metering (one usage event per job, each unit billed once), and a table of
 * bad submissions that each get a clear 4xx while the server stays healthy. A person opens the Jobs page first.
 */
import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import path from "node:path";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { bearer, createKey, form, newUser, pcmWav as wav, tinyWav, waitFor, type TestUser } from "../support/api";
import { CookieJar, request, signIn } from "../support/http";
import { DirectDb } from "../support/infra";
import { freshDatabase, ROOT, startServer, type RunningServer } from "../support/server";

const ADMIN = { email: "jobs-admin@example.com", password: "jobs-admin-password" };

interface Job {
  id: string;
  object: "job";
  task: string;
  model: string;
  status: string;
  progress: { done: number; total: number | null; unit: string };
  usage: { compute_ms: number; units: number };
  metadata: unknown;
  result: null | { pages?: { page: number; width: number; height: number; lines: { text: string; confidence: number; box: number[][] }[] }[]; duration_s?: number; segments?: { start: number; end: number }[] };
  error: null | { type: string; code: string; message: string };
}
type ApiErr = { error: { type: string; code: string; message: string; param?: string } };

let server: RunningServer;
let fresh: Awaited<ReturnType<typeof freshDatabase>>;
let admin: CookieJar;
let user: TestUser;
let key: string;

const PAGES = [
  ["INVOICE 1042", "TOTAL 250 EUR"],
  ["PARETO JOBS", "SECOND PAGE"],
  ["HELLO WORLD", "PAGE THREE"],
];

/** A PDF of big Helvetica lines (not embedded: the renderer must use its standard fonts). */
async function pdfOf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const lines of pages) {
    const page = doc.addPage([595, 842]); // A4 in points
    lines.forEach((text, i) => page.drawText(text, { x: 60, y: 700 - i * 120, size: 40, font }));
  }
  return Buffer.from(await doc.save());
}

const submit = (fd: FormData, k = key) => request(server.url, "/api/v1/jobs", { method: "POST", headers: bearer(k), body: fd });
const getJob = async (id: string, k = key) => (await (await request(server.url, `/api/v1/jobs/${id}`, { headers: bearer(k) })).json()) as Job;
const ended = (j: Job) => ["succeeded", "failed", "cancelled"].includes(j.status);
/** Polled once a second, as a client would (ten a second for minutes would meet the plan's rate limit). */
const untilEnded = (id: string, k = key, timeoutMs = 240_000) => waitFor(() => getJob(id, k), ended, timeoutMs, 1000);

async function submitOk(fd: FormData, k = key): Promise<Job> {
  const res = await submit(fd, k);
  expect(res.status, await res.clone().text()).toBe(202);
  expect(res.headers.get("location")).toMatch(/^\/api\/v1\/jobs\/job_/);
  return (await res.json()) as Job;
}

/** The speech sample's PCM (16 kHz mono). */
function speech(): Int16Array {
  const b = fs.readFileSync(path.join(ROOT, "public/samples/speech-en.wav"));
  const at = b.indexOf("data") + 8;
  return new Int16Array(b.buffer.slice(b.byteOffset + at, b.byteOffset + b.length - ((b.length - at) % 2)));
}

/**
 * One part of a long recording: `seconds` long, silence at both ends, the speech sample repeated with pauses of
 * varying length (some under the detector's minimum silence, so segments also merge). Parts are not whole minutes,
 * so a job's 60 s chunk boundaries fall inside speech.
 */
function part(seconds: number, seed: number): Int16Array {
  const out = new Int16Array(seconds * 16000);
  const s = speech();
  let at = 3 * 16000;
  for (let i = 0; at + s.length < out.length - 3 * 16000; i++) {
    out.set(s, at);
    at += s.length + Math.round((0.05 + ((i * 7 + seed) % 5) * 0.6) * 16000);
  }
  return out;
}

beforeAll(async () => {
  fresh = await freshDatabase();
  server = await startServer({ DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: ADMIN.email, PARETO_ADMIN_PASSWORD: ADMIN.password, PARETO_MAX_PDF_PAGES: "5", PARETO_WEBHOOK_ALLOW_PRIVATE: "1" }, { dataDir: fresh.dataDir });
  const s = await signIn(server.url, ADMIN.email, ADMIN.password);
  expect(s.ok).toBe(true);
  admin = s.jar;
  user = await newUser(server.url, "jobs");
  // A person opens the Jobs page before anything calls the API.
  const page = await request(server.url, "/jobs", { jar: user.jar });
  expect(page.status).toBe(200);
  expect((await request(server.url, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
  key = (await createKey(server.url, user)).key;
}, 180_000);

afterAll(async () => {
  // A server that died mid-run says why.
  if (server && server.proc.exitCode !== null) console.error(`jobs test server exited with ${server.proc.exitCode}:\n${server.logs().slice(-8000)}`);
  await server?.stop();
  await fresh?.drop();
});

describe("OCR jobs", () => {
  it("read a generated PDF page by page, in order, with one usage event and each page billed once", async () => {
    const job = await submitOk(form("file", await pdfOf(PAGES), "three.pdf", { metadata: JSON.stringify({ ref: "inv-1042" }) }));
    expect(job).toMatchObject({ object: "job", task: "ocr", status: "queued", progress: { done: 0, unit: "page" }, metadata: { ref: "inv-1042" } });
    const done = await untilEnded(job.id);
    expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
    expect(done.progress).toEqual({ done: 3, total: 3, unit: "page" });
    const pages = done.result!.pages!;
    expect(pages.map((p) => p.page)).toEqual([1, 2, 3]);
    pages.forEach((p, i) => {
      // 200 dpi: A4 is 1654 × 2339 px (the renderer may round either way).
      expect(Math.abs(p.width - 1654)).toBeLessThanOrEqual(2);
      expect(Math.abs(p.height - 2339)).toBeLessThanOrEqual(2);
      const text = p.lines.map((l) => l.text.replace(/\s+/g, "")).join(" ").toUpperCase();
      for (const want of PAGES[i]) expect(text, `page ${i + 1}: ${text}`).toContain(want.replace(/\s+/g, ""));
    });
    expect(done.usage.units).toBe(3);
    expect(done.usage.compute_ms).toBeGreaterThan(0);
    const db = new DirectDb(fresh.url);
    try {
      const units = await db.query<{ index: number }>(`SELECT "index" FROM "JobUnit" WHERE "jobId" = $1 ORDER BY "index"`, [job.id]);
      expect(units.map((u) => Number(u.index))).toEqual([0, 1, 2]);
      const events = await waitFor(
        () => db.query<{ units: number; unitKind: string; status: number; route: string }>(`SELECT units, "unitKind", status, route FROM "UsageEvent" WHERE "requestId" = $1`, [job.id]),
        (r) => r.length > 0,
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ unitKind: "page", route: "/api/v1/jobs/{id}" });
      expect(Number(events[0].units)).toBe(3);
      expect(Number(events[0].status)).toBe(200);
    } finally {
      await db.close();
    }
  }, 300_000);

  it("fail broken, encrypted and too long PDFs with clear errors, and stay healthy", async () => {
    const good = await pdfOf([["A"]]);
    const cases: [string, Buffer, string][] = [
      ["truncated", good.subarray(0, Math.floor(good.length / 2)), "pdf_invalid"],
      ["garbage after the header", Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(4000, 0x41)]), "pdf_invalid"],
      ["encrypted", fs.readFileSync(path.join(ROOT, "tests/fixtures/jobs/encrypted.pdf")), "pdf_encrypted"],
      ["six pages over PARETO_MAX_PDF_PAGES=5", await pdfOf(Array.from({ length: 6 }, (_, i) => [`P${i}`])), "too_many_pages"],
    ];
    for (const [name, bytes, code] of cases) {
      const job = await submitOk(form("file", bytes, `${name}.pdf`));
      const done = await untilEnded(job.id);
      expect(done.status, name).toBe("failed");
      expect(done.error, name).toMatchObject({ code });
      expect(done.error!.message.length, name).toBeGreaterThan(10);
      expect(done.usage.units, name).toBe(0);
    }
    expect((await request(server.url, "/api/health")).status).toBe(200);
  }, 300_000);

  it("the synchronous OCR endpoint sends documents to the jobs API", async () => {
    const res = await request(server.url, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", await pdfOf([["X"]]), "x.pdf") });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ApiErr;
    expect(body.error.code).toBe("multi_page_input");
    expect(body.error.message).toContain("/api/v1/jobs");
  });
});

describe("VAD jobs", () => {
  it("a 17-minute recording: segments equal the synchronous API's on each part, across 60 s chunk boundaries", async () => {
    // Parts are whole 32 ms frames long (a part that is not would shift the frame grid of every later one), and not
    // whole minutes, so the job's 60 s chunk boundaries fall inside speech.
    const SECONDS = [512, 256, 256];
    const parts = SECONDS.map((s, i) => part(s, i));
    const all = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      all.set(p, at);
      at += p.length;
    }
    const job = await submitOk(form("file", wav(all), "long.wav", { task: "vad", model: "silero-vad-v5" }));
    // Meanwhile, each part through the synchronous API (at most 600 s each).
    const sync: { start: number; end: number }[][] = [];
    let offset = 0;
    for (const p of parts) {
      const res = await request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", wav(p), "part.wav", { model: "silero-vad-v5" }) });
      expect(res.status, await res.clone().text()).toBe(200);
      const body = (await res.json()) as { segments: { start: number; end: number }[] };
      sync.push(body.segments.map((x) => ({ start: Math.round((x.start + offset) * 1000) / 1000, end: Math.round((x.end + offset) * 1000) / 1000 })));
      offset += p.length / 16000;
    }
    const done = await untilEnded(job.id, key, 600_000);
    expect(done.status, JSON.stringify(done.error)).toBe("succeeded");
    expect(done.result!.duration_s).toBe(1024);
    expect(done.progress).toMatchObject({ done: 1024, total: 1024, unit: "audio_s" });
    expect(done.usage.units).toBe(1024);
    const segs = done.result!.segments!;
    // The first part starts where the job starts, from the detector's initial state: the job's segments over it —
    // across eight chunk boundaries — are exactly the synchronous API's.
    expect(sync[0].length).toBeGreaterThan(30);
    expect(segs.filter((x) => x.end <= SECONDS[0])).toEqual(sync[0]);
    // Later parts: the synchronous API starts each from the initial state, while one pass over the recording (what
    // the job computes, exactly: tests/unit/models/vad/stream.test.ts) carries Silero's state in from the previous
    // part, which moves boundaries by a frame or two for tens of seconds. The same speech is found.
    for (let k = 1; k < parts.length; k++) {
      const from = SECONDS.slice(0, k).reduce((a, b) => a + b, 0);
      const mine = segs.filter((x) => x.start >= from && x.end <= from + SECONDS[k]);
      const speechS = (xs: { start: number; end: number }[]) => xs.reduce((t, x) => t + x.end - x.start, 0);
      expect(Math.abs(speechS(mine) - speechS(sync[k])) / speechS(sync[k]), `part ${k + 1}`).toBeLessThan(0.03);
      for (const x of sync[k]) expect(mine.some((y) => y.start < x.end && x.start < y.end), `part ${k + 1}: ${JSON.stringify(x)}`).toBe(true);
    }
  }, 900_000);

  it("reads compressed recordings (FLAC, MP3, OGG/Opus, M4A) that the synchronous API does not", async () => {
    for (const f of ["speech.flac", "speech.mp3", "speech.opus", "speech.m4a"]) {
      const bytes = fs.readFileSync(path.join(ROOT, "tests/fixtures/jobs", f));
      const sync = await request(server.url, "/api/v1/vad", { method: "POST", headers: bearer(key), body: form("audio", bytes, f) });
      expect(sync.status, f).toBeGreaterThanOrEqual(400);
      expect(((await sync.json()) as ApiErr).error.message, f).toContain("/api/v1/jobs");
      const done = await untilEnded((await submitOk(form("file", bytes, f))).id);
      expect(done.status, `${f}: ${JSON.stringify(done.error)}`).toBe("succeeded");
      expect(done.task).toBe("vad");
      expect(done.result!.segments!.length, f).toBeGreaterThan(0);
    }
  }, 300_000);
});

describe("quota and cancellation", () => {
  it("ends a job failed quota_exceeded when the key's monthly requests run out mid-job, keeping the pages read", async () => {
    // The submission is one request, each page another: three leave room for two pages of five.
    const limited = await createKey(server.url, user, { name: "three requests", monthly_requests: 3 });
    const job = await submitOk(form("file", await pdfOf(Array.from({ length: 5 }, (_, i) => [`PAGE ${i + 1}`])), "five.pdf"), limited.key);
    const done = await untilEnded(job.id, limited.key);
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ type: "quota_error", code: "quota_exceeded" });
    expect(done.result!.pages!.map((p) => p.page)).toEqual([1, 2]);
    expect(done.progress.done).toBe(2);
    expect(done.usage.units).toBe(2);
  }, 300_000);

  it("cancels a running job at its next chunk, billed for what ran", async () => {
    const job = await submitOk(form("file", wav(part(600, 1)), "ten-minutes.wav", { task: "vad", model: "silero-vad-v4" }));
    await waitFor(() => getJob(job.id), (j) => j.progress.done > 0 || ended(j), 120_000, 500);
    const res = await request(server.url, `/api/v1/jobs/${job.id}`, { method: "DELETE", headers: bearer(key) });
    expect(res.status).toBe(200);
    const done = await untilEnded(job.id);
    expect(done.status).toBe("cancelled");
    expect(done.progress.done).toBeLessThan(600);
    expect(done.usage.units).toBe(done.progress.done);
    // Cancelling again answers the job as it is.
    expect(((await (await request(server.url, `/api/v1/jobs/${job.id}`, { method: "DELETE", headers: bearer(key) })).json()) as Job).status).toBe("cancelled");
  }, 300_000);

  it("cancels a queued job at once", async () => {
    // Two long jobs: with one job worker, the second waits in the queue.
    const first = await submitOk(form("file", wav(part(600, 2)), "a.wav", { task: "vad", model: "silero-vad-v4" }));
    const second = await submitOk(form("file", wav(part(600, 3)), "b.wav", { task: "vad", model: "silero-vad-v4" }));
    const res = await request(server.url, `/api/v1/jobs/${second.id}`, { method: "DELETE", headers: bearer(key) });
    const body = (await res.json()) as Job;
    expect(["cancelled", "running"]).toContain(body.status);
    expect((await untilEnded(second.id)).status).toBe("cancelled");
    await request(server.url, `/api/v1/jobs/${first.id}`, { method: "DELETE", headers: bearer(key) });
    expect((await untilEnded(first.id)).status).toBe("cancelled");
  }, 300_000);
});

describe("the jobs API", () => {
  it("lists the caller's jobs newest first with cursor pagination and filters, and never another account's", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await submitOk(form("file", tinyWav(1), `t${i}.wav`))).id);
    const page1 = (await (await request(server.url, "/api/v1/jobs?limit=2&task=vad", { headers: bearer(key) })).json()) as { data: Job[]; has_more: boolean; next_cursor: string };
    expect(page1.data.map((j) => j.id)).toEqual([ids[2], ids[1]]);
    expect(page1.has_more).toBe(true);
    const page2 = (await (await request(server.url, `/api/v1/jobs?limit=2&task=vad&cursor=${page1.next_cursor}`, { headers: bearer(key) })).json()) as { data: Job[] };
    expect(page2.data[0].id).toBe(ids[0]);
    const other = await newUser(server.url, "jobs-other");
    const otherKey = (await createKey(server.url, other)).key;
    expect((await request(server.url, `/api/v1/jobs/${ids[0]}`, { headers: bearer(otherKey) })).status).toBe(404);
    expect((await request(server.url, `/api/v1/jobs/${ids[0]}`, { method: "DELETE", headers: bearer(otherKey) })).status).toBe(404);
    expect((await request(server.url, `/api/v1/jobs/${ids[0]}/input`, { headers: bearer(otherKey) })).status).toBe(404);
    const mine = (await (await request(server.url, "/api/v1/jobs", { headers: bearer(otherKey) })).json()) as { data: Job[] };
    expect(mine.data).toEqual([]);
    // The portal session sees the same jobs and may fetch the input it draws from.
    const input = await request(server.url, `/api/v1/jobs/${ids[0]}/input`, { jar: user.jar });
    expect(input.status).toBe(200);
    expect(input.headers.get("content-type")).toBe("audio/wav");
    expect(Buffer.from(await input.arrayBuffer()).equals(tinyWav(1))).toBe(true);
  }, 120_000);

  it("refuses bad submissions with a clear 4xx and stays healthy", async () => {
    const pdf = await pdfOf([["X"]]);
    const cases: [string, () => Promise<Response>, number, string, string?][] = [
      ["not multipart", () => request(server.url, "/api/v1/jobs", { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: "{}" }), 415, "unsupported_media_type"],
      ["no file", () => submit(form("other", pdf, "x.pdf")), 422, "validation_error"],
      ["no file part at all", () => { const fd = new FormData(); fd.set("task", "ocr"); return submit(fd); }, 422, "validation_error", "file"],
      ["a text file", () => submit(form("file", Buffer.from("hello"), "x.txt")), 415, "unsupported_media_type", "file"],
      ["an empty file", () => submit(form("file", Buffer.alloc(0), "x.pdf")), 415, "unsupported_media_type", "file"],
      ["a PDF as vad", () => submit(form("file", pdf, "x.pdf", { task: "vad" })), 422, "wrong_task", "task"],
      ["a WAV as ocr", () => submit(form("file", tinyWav(1), "x.wav", { task: "ocr" })), 422, "wrong_task", "task"],
      ["an unknown task", () => submit(form("file", pdf, "x.pdf", { task: "translate" })), 422, "validation_error", "task"],
      ["an unknown model", () => submit(form("file", pdf, "x.pdf", { model: "no-such-model" })), 404, "model_not_found", "model"],
      ["a VAD model for OCR", () => submit(form("file", pdf, "x.pdf", { model: "silero-vad-v5" })), 422, "wrong_task", "model"],
      ["an option out of range", () => submit(form("file", pdf, "x.pdf", { dpi: "5000" })), 422, "validation_error", "dpi"],
      ["an option of the other task", () => submit(form("file", pdf, "x.pdf", { threshold: "0.5" })), 422, "validation_error", "threshold"],
      ["metadata not JSON", () => submit(form("file", pdf, "x.pdf", { metadata: "{oops" })), 422, "validation_error", "metadata"],
      ["metadata an array", () => submit(form("file", pdf, "x.pdf", { metadata: "[1]" })), 422, "validation_error", "metadata"],
      ["metadata over 4 KB", () => submit(form("file", pdf, "x.pdf", { metadata: JSON.stringify({ a: "x".repeat(5000) }) })), 422, "validation_error", "metadata"],
      ["a webhook with credentials", () => submit(form("file", pdf, "x.pdf", { webhook_url: "https://user:pw@example.com/hook" })), 422, "invalid_webhook_url", "webhook_url"],
      ["a webhook that is not http", () => submit(form("file", pdf, "x.pdf", { webhook_url: "ftp://example.com/x" })), 422, "invalid_webhook_url", "webhook_url"],
      ["a bad list filter", () => request(server.url, "/api/v1/jobs?status=finished", { headers: bearer(key) }), 422, "validation_error", "status"],
      ["a bad cursor", () => request(server.url, "/api/v1/jobs?cursor=job_nope", { headers: bearer(key) }), 422, "validation_error", "cursor"],
      ["an unknown job", () => request(server.url, "/api/v1/jobs/job_000000000000000000000000", { headers: bearer(key) }), 404, "not_found"],
      ["no key", () => request(server.url, "/api/v1/jobs"), 401, "missing_api_key"],
    ];
    for (const [name, call, status, code, param] of cases) {
      const res = await call();
      expect(res.status, name).toBe(status);
      expect(res.headers.get("x-request-id"), name).toBeTruthy();
      const body = (await res.json()) as ApiErr;
      expect(body.error.code, `${name}: ${body.error.message}`).toBe(code);
      expect(body.error.message.length, name).toBeGreaterThan(10);
      expect(JSON.stringify(body), name).not.toMatch(/at \w+ \(|node_modules/);
      if (param) expect(body.error.param, name).toBe(param);
    }
    expect((await request(server.url, "/api/health")).status).toBe(200);
    // Nothing was queued by the refused submissions, and their files are gone.
    const db = new DirectDb(fresh.url);
    try {
      const jobs = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM "Job" WHERE "fileName" = 'x.pdf' OR "fileName" = 'x.wav'`);
      expect(Number(jobs[0].n)).toBe(0);
    } finally {
      await db.close();
    }
    const left = fs.readdirSync(path.join(fresh.dataDir, "jobs"));
    const known = new Set(((await (await request(server.url, "/api/v1/jobs?limit=100", { headers: bearer(key) })).json()) as { data: Job[] }).data.map((j) => j.id));
    for (const d of left) expect(known.has(d) || d.startsWith("job_") === false, `stray input ${d}`).toBe(true);
  }, 120_000);
});

describe("webhooks", () => {
  it("POST the finished job to a receiver on loopback, signed with the account's secret; a 500 is retried until a 200", async () => {
    const secret = ((await (await request(server.url, "/api/account/webhook-secret", { jar: user.jar })).json()) as { secret: string }).secret;
    expect(secret).toMatch(/^whsec_/);
    const received: { status: number; id: string; verified: boolean; body: { type: string; data: Job } }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
        let verified = false;
        try {
          new Webhook(secret).verify(body, headers);
          verified = true;
        } catch {
          verified = false;
        }
        const status = received.length === 0 ? 500 : 200;
        received.push({ status, id: headers["webhook-id"], verified, body: JSON.parse(body) as { type: string; data: Job } });
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/pareto`;
      const job = await submitOk(form("file", await pdfOf([["WEBHOOK PAGE"]]), "hook.pdf", { webhook_url: url, metadata: '{"order":7}' }));
      expect((await untilEnded(job.id)).status).toBe("succeeded");
      await waitFor(async () => received.length, (n) => n >= 2, 60_000);
      expect(received.map((r) => r.status)).toEqual([500, 200]);
      expect(received.every((r) => r.verified)).toBe(true);
      expect(received[1].id).toBe(received[0].id); // the same delivery, retried
      expect(received[1].body).toMatchObject({ type: "job.succeeded", data: { id: job.id, object: "job", status: "succeeded", metadata: { order: 7 } } });
      const log = (await (await request(server.url, `/api/v1/jobs/${job.id}/deliveries`, { headers: bearer(key) })).json()) as { data: { status: string; attempts: number; log: { status?: number }[] }[] };
      expect(log.data).toHaveLength(1);
      expect(log.data[0]).toMatchObject({ status: "delivered", attempts: 2 });
      expect(log.data[0].log.map((a) => a.status)).toEqual([500, 200]);
    } finally {
      receiver.close();
    }
  }, 180_000);

  it("refuse a webhook to 127.0.0.1 on a server that does not allow private targets", async () => {
    // The shared test server runs with the default (PARETO_WEBHOOK_ALLOW_PRIVATE unset).
    const base = inject("baseUrl");
    const u = await newUser(base, "jobs-hook");
    const k = (await createKey(base, u)).key;
    const res = await request(base, "/api/v1/jobs", { method: "POST", headers: bearer(k), body: form("file", tinyWav(1), "x.wav", { webhook_url: "http://127.0.0.1:8080/hook" }) });
    expect(res.status).toBe(422);
    const body = (await res.json()) as ApiErr;
    expect(body.error).toMatchObject({ code: "invalid_webhook_url", param: "webhook_url" });
    expect(body.error.message).toMatch(/private|loopback/i);
  });
});

describe("retention", () => {
  it("deletes a finished job's input, units and row once PARETO_JOB_RETENTION_DAYS have passed; its usage stays", async () => {
    const job = await submitOk(form("file", await pdfOf([["KEEP ME"]]), "old.pdf"));
    expect((await untilEnded(job.id)).status).toBe("succeeded");
    const folder = path.join(fresh.dataDir, "jobs", job.id);
    expect(fs.existsSync(path.join(folder, "input"))).toBe(true);
    const db = new DirectDb(fresh.url);
    try {
      // As if it had ended eight days ago (timestamps in the form Prisma writes them on each provider).
      const past = new Date(Date.now() - 24 * 3600 * 1000);
      await db.query(`UPDATE "Job" SET "expiresAt" = $1 WHERE id = $2 RETURNING id`, [db.provider === "postgres" ? past : `${past.toISOString().slice(0, -1)}+00:00`, job.id]);
      // The sweep boot runs hourly, called here in this process against the server's database.
      process.env.DATABASE_URL = fresh.url;
      process.env.PARETO_DATA_DIR = fresh.dataDir;
      const { sweepExpiredJobs } = await import("@/lib/jobs/retention");
      expect(await sweepExpiredJobs()).toBe(1);
      await (await import("@/lib/db/client")).disconnectDb();
      expect((await request(server.url, `/api/v1/jobs/${job.id}`, { headers: bearer(key) })).status).toBe(404);
      expect(fs.existsSync(folder)).toBe(false);
      expect(await db.query(`SELECT "index" FROM "JobUnit" WHERE "jobId" = $1`, [job.id])).toEqual([]);
      const usage = await waitFor(() => db.query(`SELECT units FROM "UsageEvent" WHERE "requestId" = $1`, [job.id]), (r) => r.length > 0);
      expect(usage).toHaveLength(1);
    } finally {
      await db.close();
    }
  }, 120_000);
});

describe("the queue", () => {
  /** Puts an ended job back as `running` under a lease that lapsed, as if its instance had died mid-job. */
  async function orphan(id: string, set: { attempt: number; cancelRequested: boolean }) {
    const db = new DirectDb(fresh.url);
    try {
      const past = new Date(Date.now() - 60_000);
      const at = db.provider === "postgres" ? past : `${past.toISOString().slice(0, -1)}+00:00`;
      await db.query(`UPDATE "Job" SET status = 'running', "leaseUntil" = $1, attempt = $2, "cancelRequested" = $3, "finishedAt" = NULL, "errorCode" = NULL WHERE id = $4 RETURNING id`, [at, set.attempt, set.cancelRequested, id]);
    } finally {
      await db.close();
    }
  }

  it("a job cancelled while its instance was dead is ended cancelled by the next claim, not left running", async () => {
    const job = await submitOk(form("file", tinyWav(1), "orphan.wav"));
    expect((await untilEnded(job.id)).status).toBe("succeeded");
    await orphan(job.id, { attempt: 1, cancelRequested: true });
    const done = await untilEnded(job.id, key, 60_000);
    expect(done.status).toBe("cancelled");
  }, 120_000);

  it("a job whose instance died five times is failed, not tried a sixth time (a poison input cannot crash-loop the fleet)", async () => {
    const job = await submitOk(form("file", tinyWav(1), "poison.wav"));
    expect((await untilEnded(job.id)).status).toBe("succeeded");
    await orphan(job.id, { attempt: 5, cancelRequested: false });
    const done = await untilEnded(job.id, key, 60_000);
    expect(done.status).toBe("failed");
    expect(done.error).toMatchObject({ code: "worker_crashed" });
    expect(done.error!.message).toContain("5 times");
  }, 120_000);
});
