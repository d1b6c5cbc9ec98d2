/**
 * Issue 12 over real HTTP: the file as the raw request body (options in the query string) reads exactly as the
 * same file and options in multipart or JSON, and is metered exactly alike — the usage event, the quota taken and
 * the refusal once it is used up do not depend on the form.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import { adminJar, bearer, createKey, form, newUser, sample, waitFor, type TestUser } from "../support/api";
import { request, type CookieJar } from "../support/http";

const base = inject("baseUrl");

type Form = "raw" | "multipart" | "json";
type Event = { request_id: string; model: string | null; route: string; status: number; error_code: string | null; units: number; compute_ms: number; source: string };
type Usage = { quota: { requests: { used: number; reserved: number }; compute_ms: { used: number; reserved: number } }; recent: Event[] };

/** One inference call in the given form: the same file and options whichever. */
function call(key: string, task: "ocr" | "vad", how: Form, bytes: Buffer, options: Record<string, string>) {
  const field = task === "ocr" ? "image" : "audio";
  const path = `/api/v1/${task}`;
  if (how === "raw") {
    const type = task === "ocr" ? "image/png" : "audio/wav";
    return request(base, `${path}?${new URLSearchParams(options).toString()}`, { method: "POST", headers: { ...bearer(key), "content-type": type }, body: new Uint8Array(bytes) });
  }
  if (how === "multipart") return request(base, path, { method: "POST", headers: bearer(key), body: form(field, bytes, task === "ocr" ? "a.png" : "a.wav", options) });
  return request(base, path, { method: "POST", headers: bearer(key), json: { [field]: bytes.toString("base64"), ...options } });
}

/** The answer without what differs by request (id, measured compute). */
async function result(res: Response): Promise<unknown> {
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body).slice(0, 300)).toBe(200);
  const { usage, ...rest } = body as { id?: string; usage: { units: number } };
  delete rest.id;
  return { ...rest, units: usage.units };
}

describe("raw request bodies", () => {
  let admin: CookieJar;
  let user: TestUser;
  let key: string;

  beforeAll(async () => {
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    user = await newUser(base, "raw");
    // Pro: a few dozen calls in a minute.
    expect((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    key = (await createKey(base, user)).key;
  });

  it("OCR: raw, multipart and JSON give the same result for the same image and options", async () => {
    const png = sample("sign-en.png");
    const options = { model: "ppocr-v4-det960", use_angle_cls: "false", min_score: "0.5" };
    const [raw, multipart, json] = [await result(await call(key, "ocr", "raw", png, options)), await result(await call(key, "ocr", "multipart", png, options)), await result(await call(key, "ocr", "json", png, options))];
    expect((raw as { lines: unknown[] }).lines.length).toBeGreaterThan(0);
    expect(multipart).toEqual(raw);
    expect(json).toEqual(raw);
  });

  it("VAD: raw, multipart and JSON give the same result for the same audio and options", async () => {
    const wav = sample("speech-en.wav");
    const options = { threshold: "0.4", return_probabilities: "true", min_silence_ms: "200" };
    const raw = await result(await call(key, "vad", "raw", wav, options));
    expect((raw as { segments: unknown[] }).segments.length).toBeGreaterThan(0);
    expect(await result(await call(key, "vad", "multipart", wav, options))).toEqual(raw);
    expect(await result(await call(key, "vad", "json", wav, options))).toEqual(raw);
  });

  it("a raw body with a charset parameter and an upper-case media type is read as any other", async () => {
    const wav = sample("speech-en.wav");
    const plain = await result(await call(key, "vad", "raw", wav, {}));
    for (const type of ["audio/wav; charset=binary", "AUDIO/X-WAV", "Audio/Wave"]) {
      const res = await request(base, "/api/v1/vad", { method: "POST", headers: { ...bearer(key), "content-type": type }, body: new Uint8Array(wav) });
      expect(await result(res), type).toEqual(plain);
    }
  });

  it("usage events and quota are the same for both forms, and so is the refusal once the quota is used up", async () => {
    const u = await newUser(base, "rawquota");
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    const { key: k } = await createKey(base, u, { monthly_requests: 2 });
    const wav = sample("speech-en.wav");
    const usage = async () => (await (await request(base, "/api/v1/usage?limit=20", { jar: u.jar })).json()) as Usage;

    const sent: { how: Form; status: number; id: string; code: string | null }[] = [];
    for (const how of ["raw", "multipart", "raw", "multipart"] as const) {
      const res = await call(k, "vad", how, wav, { threshold: "0.5", model: "silero-vad-v5" });
      const body = (await res.json()) as { error?: { code: string } };
      sent.push({ how, status: res.status, id: res.headers.get("x-request-id")!, code: body.error?.code ?? null });
      if (sent.length === 1) {
        // After the first success the quota shows exactly one request, nothing left reserved — within the write-back
        // of the plan's quota lease (250 ms; docs/architecture.md "Quota: reservations and leases").
        const after = await waitFor(usage, (r) => r.quota.requests.used >= 1);
        expect(after.quota.requests).toMatchObject({ used: 1, reserved: 0 });
      }
    }
    expect(sent.map((s) => [s.how, s.status, s.code])).toEqual([
      ["raw", 200, null],
      ["multipart", 200, null],
      ["raw", 402, "quota_exceeded"],
      ["multipart", 402, "quota_exceeded"],
    ]);

    const report = await waitFor(usage, (r) => sent.every((s) => r.recent.some((e) => e.request_id === s.id)));
    expect(report.quota.requests).toMatchObject({ used: 2, reserved: 0 });
    expect(report.quota.compute_ms.reserved).toBe(0);
    const event = (i: number) => {
      const e = report.recent.find((x) => x.request_id === sent[i].id)!;
      return { model: e.model, route: e.route, status: e.status, error_code: e.error_code, units: e.units, source: e.source, billed: e.compute_ms > 0 };
    };
    expect(event(0)).toMatchObject({ model: "silero-vad-v5", route: "/api/v1/vad", status: 200, error_code: null, billed: true });
    expect(event(0).units).toBeGreaterThan(0);
    expect(event(1)).toEqual(event(0));
    expect(event(3)).toEqual(event(2));
    expect(event(2)).toMatchObject({ status: 402, error_code: "quota_exceeded" });
  });
});
