/**
 * Issue 11 item 17 over real HTTP: a sampled run of generated bodies against the real server (the unit fuzzers in
 * tests/unit/fuzz run ≥ 10,000 per parser). Every answer is below 500 in its route's error shape, and the server
 * stays healthy.
 */
import fc from "fast-check";
import sharp from "sharp";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { request } from "../support/http";
import { adminJar, bearer, createKey, newUser, tinyWav } from "../support/api";
import { sileroFrame } from "../support/kserve";
import { mutated } from "../unit/fuzz/mutate";

const base = inject("baseUrl");
const RUNS = 120;

function multipart(field: string, bytes: Buffer, extra: [string, string][]): { type: string; body: Buffer } {
  const b = "fuzzb0undary";
  const parts = [
    Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="f"\r\n\r\n`, "latin1"),
    bytes,
    Buffer.from("\r\n"),
    ...extra.map(([k, v]) => Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`, "latin1")),
    Buffer.from(`--${b}--\r\n`),
  ];
  return { type: `multipart/form-data; boundary=${b}`, body: Buffer.concat(parts) };
}

const option = fc.constantFrom<[string, string][]>([], [["threshold", "0.3"]], [["det_limit_side", "64"]], [["model", "auto"]], [["threshold", "2"]], [["x", "y"]]);

describe("fuzz over HTTP: never a 5xx", () => {
  let key: string;
  let png: Buffer;
  let wav: Buffer;

  beforeAll(async () => {
    const u = await newUser(base, "fuzz");
    const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    // Enterprise: 3,000 requests a minute, so the limits are not what answers.
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Enterprise" } })).status).toBe(200);
    key = (await createKey(base, u)).key;
    png = await sharp({ create: { width: 40, height: 16, channels: 3, background: "#fff" } }).png().toBuffer();
    wav = tinyWav(0.2);
  });

  async function send(path: string, type: string, body: Buffer): Promise<void> {
    const res = await request(base, path, { method: "POST", headers: { ...bearer(key), "content-type": type }, body: new Uint8Array(body) });
    const text = await res.text();
    expect(res.status, text.slice(0, 300)).toBeLessThan(500);
    if (res.status >= 400) {
      const e = JSON.parse(text) as { error: unknown };
      expect(path.startsWith("/v2") ? typeof e.error : typeof (e.error as { code?: unknown }).code).toBe("string");
    }
  }

  it(`${RUNS} mutated images to /api/v1/ocr (multipart and JSON base64)`, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(png), option, fc.boolean(), async (img, extra, asJson) => {
        if (asJson) await send("/api/v1/ocr", "application/json", Buffer.from(JSON.stringify({ image: img.toString("base64"), ...Object.fromEntries(extra) })));
        else {
          const m = multipart("image", img, extra);
          await send("/api/v1/ocr", m.type, m.body);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} mutated WAVs to /api/v1/vad`, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(wav), option, async (audio, extra) => {
        const m = multipart("audio", audio, extra);
        await send("/api/v1/vad", m.type, m.body);
      }),
      { numRuns: RUNS },
    );
  });

  it(`${RUNS} mutated files as raw bodies (issue 12), the options in the query string`, async () => {
    const types = fc.constantFrom("audio/wav", "AUDIO/X-WAV; charset=binary", "image/png", "image/jpeg", "image/webp", "audio/mpeg");
    await fc.assert(
      fc.asyncProperty(fc.boolean(), types, option, fc.oneof(mutated(wav), mutated(png)), async (vad, type, extra, bytes) => {
        const query = extra.length ? `?${new URLSearchParams(extra).toString()}` : "";
        await send(`/api/v1/${vad ? "vad" : "ocr"}${query}`, type, bytes);
      }),
      { numRuns: RUNS },
    );
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it(`${RUNS} mutated KServe bodies to /v2/models/silero-vad-v5/infer`, async () => {
    await fc.assert(
      fc.asyncProperty(mutated(Buffer.from(JSON.stringify(sileroFrame()))), async (body) => send("/v2/models/silero-vad-v5/infer", "application/json", body)),
      { numRuns: RUNS },
    );
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });
});
