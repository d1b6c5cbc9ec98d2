/**
 * readInput's three forms side by side: the raw body (media type routes it, options from the query string), streamed
 * multipart, JSON with base64. The same file and options read the same whichever form carries them.
 */
import { describe, expect, it } from "vitest";
import { isApiError } from "@/lib/api/errors";
import { readInput } from "@/lib/api/input";
import { vadOptions } from "@/lib/api/schemas/inference";
import { parseWith } from "@/lib/api/validation";
import { tinyWav } from "@/tests/support/api";

const wav = tinyWav(0.3);
const url = (query = "") => `http://unit.test/api/v1/vad${query}`;
const raw = (type: string, body: Uint8Array, query = "") => new Request(url(query), { method: "POST", headers: { "content-type": type }, body: new Uint8Array(body) });

async function refusal(req: Request, field: "audio" | "image" = "audio") {
  try {
    await readInput(req, field);
  } catch (e) {
    if (isApiError(e)) return { status: e.status, code: e.code, param: e.param, message: e.message };
    throw e;
  }
  throw new Error("accepted");
}

describe("raw bodies", () => {
  it("take the file as the body and the options from the query string, coerced like multipart strings", async () => {
    const r = await readInput(raw("audio/wav", wav, "?threshold=0.4&return_probabilities=true&model=silero-vad-v5"), "audio");
    expect(r.bytes.equals(wav)).toBe(true);
    expect(parseWith(vadOptions, r.fields)).toEqual({ threshold: 0.4, return_probabilities: true, model: "silero-vad-v5" });
  });

  it("accept every WAV spelling, parameters and any case; images as PNG, JPEG or WebP", async () => {
    for (const t of ["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave", "Audio/WAV", "audio/wav; charset=binary", " audio/x-wav ;codecs=1"]) {
      expect((await readInput(raw(t, wav), "audio")).bytes.equals(wav), t).toBe(true);
    }
    for (const t of ["image/png", "image/jpeg", "IMAGE/JPEG", "image/webp; q=1"]) expect((await readInput(raw(t, wav), "image")).bytes.length, t).toBe(wav.length);
  });

  it("give the same bytes and options as multipart and JSON", async () => {
    const fd = new FormData();
    fd.set("audio", new Blob([new Uint8Array(wav)]), "a.wav");
    fd.set("threshold", "0.4");
    const viaForm = await readInput(new Request(url(), { method: "POST", body: fd }), "audio");
    const viaJson = await readInput(new Request(url(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ audio: wav.toString("base64"), threshold: 0.4 }) }), "audio");
    const viaRaw = await readInput(raw("audio/wav", wav, "?threshold=0.4"), "audio");
    for (const r of [viaForm, viaJson]) {
      expect(r.bytes.equals(viaRaw.bytes)).toBe(true);
      expect(parseWith(vadOptions, r.fields)).toEqual(parseWith(vadOptions, viaRaw.fields));
    }
  });

  it("an empty raw body is read as empty (the pipeline answers empty_input)", async () => {
    expect((await readInput(raw("audio/wav", new Uint8Array(0)), "audio")).bytes.length).toBe(0);
  });

  it("a media type of the other route is 415 naming what this one takes", async () => {
    const r = await refusal(raw("image/png", wav));
    expect(r).toMatchObject({ status: 415, code: "unsupported_media_type" });
    expect(r.message).toContain("not image/png");
    expect(r.message).toContain("audio/wav");
    const i = await refusal(raw("audio/wav", wav), "image");
    expect(i.message).toContain("image/png, image/jpeg or image/webp");
  });

  it("anything else is 415 listing the three forms", async () => {
    for (const t of ["text/plain", "application/octet-stream", "audio/mpeg", "application/x-www-form-urlencoded", "multipart/mixed; boundary=x", "audio/wavx"]) {
      const r = await refusal(raw(t, wav));
      expect(r, t).toMatchObject({ status: 415, code: "unsupported_media_type" });
      expect(r.message).toMatch(/audio\/wav.*multipart\/form-data.*application\/json/);
    }
    const none = await refusal(new Request(url(), { method: "POST", body: new Uint8Array(wav) }));
    expect(none.status).toBe(415);
  });
});

describe("options in the query string", () => {
  it("a parameter sent twice is refused, naming it", async () => {
    expect(await refusal(raw("audio/wav", wav, "?threshold=0.4&threshold=0.5"))).toMatchObject({ status: 422, code: "validation_error", param: "threshold" });
  });

  it("unknown parameters and bad values are refused by the options schema, naming the parameter", async () => {
    const unknown = (await readInput(raw("audio/wav", wav, "?colour=blue"), "audio")).fields;
    expect(() => parseWith(vadOptions, unknown)).toThrow(expect.objectContaining({ code: "validation_error", param: "colour" }));
    const bad = (await readInput(raw("audio/wav", wav, "?threshold=loud"), "audio")).fields;
    expect(() => parseWith(vadOptions, bad)).toThrow(expect.objectContaining({ code: "validation_error", param: "threshold" }));
  });

  it("prototype names are plain names", async () => {
    for (const k of ["__proto__", "constructor", "toString"]) {
      const { fields } = await readInput(raw("audio/wav", wav, `?${k}=x`), "audio");
      expect(Object.keys(fields)).toEqual([k]);
      expect(() => parseWith(vadOptions, fields)).toThrow(expect.objectContaining({ code: "validation_error", param: k }));
    }
  });

  it("add to multipart and JSON options; the same option in body and query is refused", async () => {
    const fd = new FormData();
    fd.set("audio", new Blob([new Uint8Array(wav)]), "a.wav");
    fd.set("threshold", "0.4");
    const merged = await readInput(new Request(url("?min_speech_ms=100"), { method: "POST", body: fd }), "audio");
    expect(parseWith(vadOptions, merged.fields)).toEqual({ threshold: 0.4, min_speech_ms: 100 });
    expect(await refusal(new Request(url("?threshold=0.5"), { method: "POST", body: fd }))).toMatchObject({ status: 422, param: "threshold" });
    const json = (q: string) => new Request(url(q), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ audio: wav.toString("base64"), threshold: 0.4 }) });
    expect(await refusal(json("?threshold=0.5"))).toMatchObject({ status: 422, param: "threshold" });
    expect(parseWith(vadOptions, (await readInput(json("?return_probabilities=1"), "audio")).fields)).toEqual({ threshold: 0.4, return_probabilities: true });
  });
});
