import zlib from "node:zlib";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { request } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, sample, tinyWav } from "../support/api";
import { chunkedBody } from "../support/hostile";

const base = inject("baseUrl");

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A tiny PNG file that declares 30000×30000 pixels: a decompression bomb if decoded. */
function pixelBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(30000, 0);
  ihdr.writeUInt32BE(30000, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(Buffer.alloc(1000))), chunk("IEND", Buffer.alloc(0))]);
}
function wavWithFormat(formatCode: number, bits: number): Buffer {
  const w = tinyWav(0.2);
  w.writeUInt16LE(formatCode, 20);
  w.writeUInt16LE(bits, 34);
  return w;
}

const raw = (type: string, bytes: Buffer): RequestInit => ({ headers: { "content-type": type }, body: new Uint8Array(bytes) });
const B = "----rawInputB0undary7MA4YWxkTrZu0gW";
/** A multipart body by hand (FormData cannot send a field twice under one name with files, or omit the boundary). */
function multipart(parts: [name: string, bytes: Buffer, filename: string][]): Buffer {
  const out: Buffer[] = [];
  for (const [name, bytes, filename] of parts) out.push(Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n\r\n`), bytes, Buffer.from("\r\n"));
  out.push(Buffer.from(`--${B}--\r\n`));
  return Buffer.concat(out);
}

describe("bad input never yields a 5xx, and the server stays healthy", () => {
  let key: string;
  beforeAll(async () => {
    const u = await newUser(base, "bad");
    // Pro's 300 requests a minute: this table is longer than Free's 30.
    const admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    expect((await request(base, `/api/v1/admin/users/${u.id}`, { method: "PATCH", jar: admin, json: { plan: "Pro" } })).status).toBe(200);
    key = (await createKey(base, u)).key;
  });

  const png = sample("sign-en.png");
  const cases: { name: string; path: string; init: () => RequestInit; status: number; code: string; param?: string }[] = [
    { name: "OCR: not an image", path: "/api/v1/ocr", init: () => ({ body: form("image", Buffer.from("just some text"), "x.png") }), status: 400, code: "unsupported_format", param: "image" },
    { name: "OCR: empty file", path: "/api/v1/ocr", init: () => ({ body: form("image", Buffer.alloc(0), "x.png") }), status: 400, code: "empty_input", param: "image" },
    { name: "OCR: truncated PNG", path: "/api/v1/ocr", init: () => ({ body: form("image", png.subarray(0, Math.floor(png.length / 3)), "x.png") }), status: 400, code: "corrupt_input", param: "image" },
    { name: "OCR: pixel bomb", path: "/api/v1/ocr", init: () => ({ body: form("image", pixelBomb(), "bomb.png") }), status: 422, code: "image_too_large", param: "image" },
    { name: "OCR: missing image field", path: "/api/v1/ocr", init: () => ({ body: form("picture", png, "x.png") }), status: 422, code: "validation_error", param: "image" },
    { name: "OCR: unknown option", path: "/api/v1/ocr", init: () => ({ body: form("image", png, "x.png", { colour: "blue" }) }), status: 422, code: "validation_error" },
    { name: "OCR: option out of range", path: "/api/v1/ocr", init: () => ({ body: form("image", png, "x.png", { det_limit_side: "100000" }) }), status: 422, code: "validation_error", param: "det_limit_side" },
    { name: "OCR: option of wrong type", path: "/api/v1/ocr", init: () => ({ body: form("image", png, "x.png", { use_angle_cls: "maybe" }) }), status: 422, code: "validation_error", param: "use_angle_cls" },
    { name: "OCR: unknown model", path: "/api/v1/ocr", init: () => ({ body: form("image", png, "x.png", { model: "gpt-9" }) }), status: 404, code: "model_not_found", param: "model" },
    { name: "OCR: path-like model id", path: "/api/v1/ocr", init: () => ({ body: form("image", png, "x.png", { model: "../../etc/passwd" }) }), status: 422, code: "validation_error", param: "model" },
    { name: "OCR: VAD model", path: "/api/v1/ocr", init: () => ({ body: form("image", png, "x.png", { model: "silero-vad-v5" }) }), status: 422, code: "wrong_task", param: "model" },
    { name: "OCR: bad base64", path: "/api/v1/ocr", init: () => ({ headers: { "content-type": "application/json" }, body: JSON.stringify({ image: "%%%not base64%%%" }) }), status: 400, code: "invalid_base64", param: "image" },
    { name: "OCR: malformed JSON", path: "/api/v1/ocr", init: () => ({ headers: { "content-type": "application/json" }, body: '{"image": ' }), status: 400, code: "invalid_json" },
    { name: "OCR: JSON array body", path: "/api/v1/ocr", init: () => ({ headers: { "content-type": "application/json" }, body: "[1,2,3]" }), status: 400, code: "invalid_body" },
    { name: "OCR: image of wrong JSON type", path: "/api/v1/ocr", init: () => ({ headers: { "content-type": "application/json" }, body: JSON.stringify({ image: 42 }) }), status: 422, code: "validation_error", param: "image" },
    { name: "OCR: wrong content type", path: "/api/v1/ocr", init: () => ({ headers: { "content-type": "text/plain" }, body: "hello" }), status: 415, code: "unsupported_media_type" },
    { name: "OCR: oversize body", path: "/api/v1/ocr", init: () => ({ body: form("image", Buffer.alloc(26 * 1024 * 1024, 1), "big.png") }), status: 413, code: "payload_too_large" },
    { name: "VAD: not a WAV", path: "/api/v1/vad", init: () => ({ body: form("audio", png, "x.wav") }), status: 400, code: "unsupported_format", param: "audio" },
    { name: "VAD: empty file", path: "/api/v1/vad", init: () => ({ body: form("audio", Buffer.alloc(0), "x.wav") }), status: 400, code: "empty_input", param: "audio" },
    { name: "VAD: truncated header", path: "/api/v1/vad", init: () => ({ body: form("audio", tinyWav().subarray(0, 30), "x.wav") }), status: 400, code: "corrupt_input", param: "audio" },
    { name: "VAD: ADPCM encoding", path: "/api/v1/vad", init: () => ({ body: form("audio", wavWithFormat(2, 4), "x.wav") }), status: 422, code: "unsupported_encoding", param: "audio" },
    { name: "VAD: threshold out of range", path: "/api/v1/vad", init: () => ({ body: form("audio", tinyWav(), "x.wav", { threshold: "1.5" }) }), status: 422, code: "validation_error", param: "threshold" },
    { name: "VAD: OCR model", path: "/api/v1/vad", init: () => ({ body: form("audio", tinyWav(), "x.wav", { model: "ppocr-v4-det960" }) }), status: 422, code: "wrong_task", param: "model" },
    // Issue 12: raw bodies (the file as the body, options in the query string) and multipart parsed as it arrives.
    { name: "raw: a media type no route takes", path: "/api/v1/vad", init: () => raw("audio/mpeg", tinyWav()), status: 415, code: "unsupported_media_type" },
    { name: "raw: an image to the VAD route", path: "/api/v1/vad", init: () => raw("image/png", png), status: 415, code: "unsupported_media_type" },
    { name: "raw: audio to the OCR route", path: "/api/v1/ocr", init: () => raw("audio/wav", tinyWav()), status: 415, code: "unsupported_media_type" },
    { name: "raw: curl's default form type (--data-binary without -H)", path: "/api/v1/vad", init: () => raw("application/x-www-form-urlencoded", tinyWav()), status: 415, code: "unsupported_media_type" },
    { name: "raw VAD: empty body", path: "/api/v1/vad", init: () => raw("audio/wav", Buffer.alloc(0)), status: 400, code: "empty_input", param: "audio" },
    { name: "raw OCR: empty body", path: "/api/v1/ocr", init: () => raw("image/png", Buffer.alloc(0)), status: 400, code: "empty_input", param: "image" },
    { name: "raw VAD: not a WAV", path: "/api/v1/vad", init: () => raw("audio/wav", png), status: 400, code: "unsupported_format", param: "audio" },
    { name: "raw OCR: a truncated PNG", path: "/api/v1/ocr", init: () => raw("image/png", png.subarray(0, Math.floor(png.length / 3))), status: 400, code: "corrupt_input", param: "image" },
    { name: "raw OCR: oversize with Content-Length", path: "/api/v1/ocr", init: () => raw("image/png", Buffer.alloc(26 * 1024 * 1024, 1)), status: 413, code: "payload_too_large" },
    { name: "raw VAD: oversize without Content-Length", path: "/api/v1/vad", init: () => ({ headers: { "content-type": "audio/wav" }, body: chunkedBody("RIFF", "\u0000", 26 * 1024 * 1024, ""), duplex: "half" }) as RequestInit, status: 413, code: "payload_too_large" },
    { name: "raw VAD: unknown query parameter", path: "/api/v1/vad?colour=blue", init: () => raw("audio/wav", tinyWav()), status: 422, code: "validation_error", param: "colour" },
    { name: "raw VAD: bad query value", path: "/api/v1/vad?threshold=loud", init: () => raw("audio/wav", tinyWav()), status: 422, code: "validation_error", param: "threshold" },
    { name: "raw VAD: query parameter sent twice", path: "/api/v1/vad?threshold=0.4&threshold=0.6", init: () => raw("audio/wav", tinyWav()), status: 422, code: "validation_error", param: "threshold" },
    { name: "raw OCR: unknown model in the query", path: "/api/v1/ocr?model=gpt-9", init: () => raw("image/png", png), status: 404, code: "model_not_found", param: "model" },
    { name: "multipart: option both in the body and the query", path: "/api/v1/vad?threshold=0.4", init: () => ({ body: form("audio", tinyWav(), "x.wav", { threshold: "0.5" }) }), status: 422, code: "validation_error", param: "threshold" },
    { name: "multipart: no boundary", path: "/api/v1/vad", init: () => ({ headers: { "content-type": "multipart/form-data" }, body: new Uint8Array(multipart([["audio", tinyWav(), "a.wav"]])) }), status: 400, code: "invalid_body" },
    { name: "multipart: truncated (no closing delimiter)", path: "/api/v1/vad", init: () => ({ headers: { "content-type": `multipart/form-data; boundary=${B}` }, body: new Uint8Array(multipart([["audio", tinyWav(), "a.wav"]]).subarray(0, -(B.length + 8))) }), status: 400, code: "invalid_body" },
    { name: "multipart: two files in the audio field", path: "/api/v1/vad", init: () => ({ headers: { "content-type": `multipart/form-data; boundary=${B}` }, body: new Uint8Array(multipart([["audio", tinyWav(), "a.wav"], ["audio", tinyWav(), "b.wav"]])) }), status: 422, code: "validation_error", param: "audio" },
    { name: "multipart: a second file of another name", path: "/api/v1/vad", init: () => ({ headers: { "content-type": `multipart/form-data; boundary=${B}` }, body: new Uint8Array(multipart([["audio", tinyWav(), "a.wav"], ["notes", png, "n.png"]])) }), status: 422, code: "validation_error", param: "notes" },
    {
      name: "multipart: oversize without Content-Length",
      path: "/api/v1/ocr",
      init: () => ({ headers: { "content-type": `multipart/form-data; boundary=${B}` }, body: chunkedBody(`--${B}\r\nContent-Disposition: form-data; name="image"; filename="a.png"\r\n\r\n`, "x", 26 * 1024 * 1024, `\r\n--${B}--\r\n`), duplex: "half" }) as RequestInit,
      status: 413,
      code: "payload_too_large",
    },
  ];

  it.each(cases)("$name → $status $code", async ({ path, init, status, code, param }) => {
    const i = init();
    const res = await request(base, path, { method: "POST", ...i, headers: { ...bearer(key), ...(i.headers as Record<string, string>) } });
    const body = (await res.json()) as { error: { code: string; param?: string; message: string } };
    expect({ status: res.status, code: body.error.code }).toEqual({ status, code });
    if (param) expect(body.error.param).toBe(param);
    expect(body.error.message).not.toMatch(/\n\s+at /);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it("after all of that, a good request still succeeds, in every form", async () => {
    const res = await request(base, "/api/v1/ocr", { method: "POST", headers: bearer(key), body: form("image", png, "s.png") });
    expect(res.status).toBe(200);
    const viaRaw = await request(base, "/api/v1/vad?threshold=0.5", { method: "POST", ...raw("audio/wav", tinyWav()), headers: { ...bearer(key), "content-type": "audio/wav" } });
    expect(viaRaw.status).toBe(200);
  });
});
