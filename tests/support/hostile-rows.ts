/**
 * The security suite's hostile requests as one table (tests/integration/security.test.ts asserts each row;
 * tests/integration/page-first.test.ts checks that the answers do not depend on what a server served first).
 */
import zlib from "node:zlib";
import { form, sample } from "./api";
import { animated, blankPng, chunkedBody, evalImage, jpegDeclaring, nestedArray, nestedObject, tone, wav, webpDeclaringMax } from "./hostile";

/** `auth`: who sends the row — a key (the default), a signed-in user's or the admin's session, or nobody. */
export type HostileRow = {
  name: string;
  path: string;
  method?: string;
  auth?: "key" | "user" | "admin" | "none";
  init?: () => RequestInit;
  status: number;
  code: string | null;
  param?: string;
};

export interface HostileFixtures {
  frames: { gif: Buffer; webp: Buffer };
  webpBomb: Buffer;
}

/** The inputs that take a moment to make (sharp): build them once, in a beforeAll. */
export async function hostileFixtures(): Promise<HostileFixtures> {
  return { frames: await animated(sample("sign-en.png")), webpBomb: await webpDeclaringMax() };
}

const raw = (type: string, bytes: () => Buffer) => (): RequestInit => ({ headers: { "content-type": type }, body: new Uint8Array(bytes()) });

const json = (body: string | ReadableStream<Uint8Array>, extra: Record<string, string> = {}): RequestInit =>
  ({ headers: { "content-type": "application/json", ...extra }, body, duplex: "half" }) as RequestInit;

/** The rows; `f` gives the fixtures once the beforeAll has made them (rows are listed before it runs). */
export function hostileRows(onPostgres: boolean, f: () => HostileFixtures): HostileRow[] {
  const png = sample("sign-en.png");
  const b64 = png.toString("base64");
  // The JSON cap for inference is 4/3 of PARETO_MAX_UPLOAD_MB (25 MiB) + 64 KiB; signup's is 64 KiB.
  const ocrJsonOverCap = 36 * 1024 * 1024;
  const wavOf = (data: Buffer, spec: Omit<Parameters<typeof wav>[0], "data"> = {}) => wav({ data, ...spec });

  const ocr = (bytes: () => Buffer, name = "x.png", fields: Record<string, string> = {}) => () => ({ body: form("image", bytes(), name, fields) });
  const vad = (bytes: () => Buffer) => () => ({ body: form("audio", bytes(), "x.wav") });

  return [
    // Images: bombs, lies, truncation, animation, formats we do not take.
    { name: "PNG zip bomb: 100 KB inflating to 10000×10000", path: "/api/v1/ocr", init: ocr(() => blankPng(10_000, 10_000)), status: 422, code: "image_too_large", param: "image" },
    { name: "PNG zip bomb under the pixel cap (6000×6000 blank) is decoded and has no text", path: "/api/v1/ocr", init: ocr(() => blankPng(6000, 6000)), status: 200, code: null },
    { name: "JPEG declaring 65000×65000", path: "/api/v1/ocr", init: ocr(() => jpegDeclaring(65_000, 65_000), "x.jpg"), status: 422, code: "image_too_large", param: "image" },
    { name: "WebP declaring 16383×16383", path: "/api/v1/ocr", init: ocr(() => f().webpBomb, "x.webp"), status: 422, code: "image_too_large", param: "image" },
    { name: "truncated JPEG", path: "/api/v1/ocr", init: ocr(() => evalImage("jpeg-01.jpg").subarray(0, Math.floor(evalImage("jpeg-01.jpg").length / 2)), "x.jpg"), status: 400, code: "corrupt_input", param: "image" },
    { name: "extreme dimensions 40000×1", path: "/api/v1/ocr", init: ocr(() => blankPng(40_000, 1)), status: 200, code: null },
    { name: "extreme dimensions 1×40000", path: "/api/v1/ocr", init: ocr(() => blankPng(1, 40_000)), status: 200, code: null },
    { name: "animated GIF (GIF is not a supported format)", path: "/api/v1/ocr", init: ocr(() => f().frames.gif, "x.gif"), status: 400, code: "unsupported_format", param: "image" },
    { name: "animated WebP: the first frame is read", path: "/api/v1/ocr", init: ocr(() => f().frames.webp, "x.webp"), status: 200, code: null },
    // A TIFF is a document (often of several pages): the synchronous endpoint sends it to the jobs API.
    { name: "TIFF", path: "/api/v1/ocr", init: ocr(() => Buffer.from("II*\u0000" + "\u0000".repeat(60), "latin1"), "x.tif"), status: 422, code: "multi_page_input", param: "image" },
    {
      name: "SVG with an external entity (XXE)",
      path: "/api/v1/ocr",
      init: ocr(() => Buffer.from('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>'), "x.svg"),
      status: 400,
      code: "unsupported_format",
      param: "image",
    },
    {
      name: "gzip-encoded body (10 MB of zeros) is not inflated",
      path: "/api/v1/ocr",
      init: () => ({ headers: { "content-type": "multipart/form-data; boundary=b", "content-encoding": "gzip" }, body: new Uint8Array(zlib.gzipSync(Buffer.alloc(10_000_000))) }),
      status: 400,
      code: "invalid_body",
    },
    // WAV: lying headers and every sample encoding.
    { name: "WAV data chunk claiming twice the bytes the file holds (decoded as far as it goes)", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { dataSize: tone("s16").length * 2 })), status: 200, code: null },
    { name: "WAV data chunk claiming ~18 hours", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { dataSize: 0x7fff_fff0 })), status: 422, code: "audio_too_long", param: "audio" },
    { name: "WAV RIFF size claiming 4 GB", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { riffSize: 0xffff_fff0 })), status: 200, code: null },
    { name: "WAV block align that does not match channels × sample size", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { blockAlign: 4 })), status: 400, code: "corrupt_input", param: "audio" },
    { name: "WAV with 0 channels", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { channels: 0, blockAlign: 0 })), status: 400, code: "corrupt_input", param: "audio" },
    { name: "WAV with a 0 Hz sample rate", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { rate: 0 })), status: 422, code: "unsupported_encoding", param: "audio" },
    { name: "WAV fmt chunk running past the end of the file", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { fmtSize: 1_000_000 })), status: 400, code: "corrupt_input", param: "audio" },
    { name: "WAV data that is not a whole number of frames", path: "/api/v1/vad", init: vad(() => wavOf(Buffer.concat([tone("s16"), Buffer.from([1])]))), status: 400, code: "corrupt_input", param: "audio" },
    { name: "WAV_FORMAT_EXTENSIBLE with a short fmt chunk", path: "/api/v1/vad", init: vad(() => wavOf(tone("s16"), { format: 0xfffe })), status: 400, code: "corrupt_input", param: "audio" },
    { name: "8-bit unsigned PCM WAV is supported", path: "/api/v1/vad", init: vad(() => wavOf(tone("u8"), { bits: 8 })), status: 200, code: null },
    { name: "24-bit PCM WAV is supported", path: "/api/v1/vad", init: vad(() => wavOf(tone("s24"), { bits: 24 })), status: 200, code: null },
    { name: "32-bit float WAV is supported", path: "/api/v1/vad", init: vad(() => wavOf(tone("f32"), { format: 3, bits: 32 })), status: 200, code: null },
    { name: "32-bit float WAV with a NaN sample", path: "/api/v1/vad", init: vad(() => wavOf(tone("f32", 0.3, NaN), { format: 3, bits: 32 })), status: 422, code: "invalid_samples", param: "audio" },
    { name: "32-bit float WAV with an infinite sample", path: "/api/v1/vad", init: vad(() => wavOf(tone("f32", 0.3, Infinity), { format: 3, bits: 32 })), status: 422, code: "invalid_samples", param: "audio" },
    // Raw bodies (issue 12): the same hostile files as the whole body, the options in the query string.
    { name: "raw OCR: PNG zip bomb as the body", path: "/api/v1/ocr", init: raw("image/png", () => blankPng(10_000, 10_000)), status: 422, code: "image_too_large", param: "image" },
    { name: "raw OCR: SVG declared as image/png", path: "/api/v1/ocr", init: raw("image/png", () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>')), status: 400, code: "unsupported_format", param: "image" },
    { name: "raw OCR: image/svg+xml", path: "/api/v1/ocr", init: raw("image/svg+xml", () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')), status: 415, code: "unsupported_media_type" },
    { name: "raw VAD: WAV data chunk claiming ~18 hours", path: "/api/v1/vad", init: raw("audio/wav", () => wavOf(tone("s16"), { dataSize: 0x7fff_fff0 })), status: 422, code: "audio_too_long", param: "audio" },
    { name: "raw VAD: a PNG declared as audio/wav", path: "/api/v1/vad", init: raw("audio/wav", () => png), status: 400, code: "unsupported_format", param: "audio" },
    { name: "raw VAD: an image media type", path: "/api/v1/vad", init: raw("image/png", () => png), status: 415, code: "unsupported_media_type" },
    // (`?__proto__=x` never reaches the handler: Next.js drops it while parsing the URL; lib/api/input.ts is tested with it.)
    { name: "raw VAD: constructor in the query string", path: "/api/v1/vad?constructor=x", init: raw("audio/wav", () => wavOf(tone("s16"))), status: 422, code: "validation_error", param: "constructor" },
    // Multipart framing, parsed as it arrives.
    { name: "multipart without a boundary", path: "/api/v1/ocr", init: () => ({ headers: { "content-type": "multipart/form-data" }, body: form("image", png, "x.png") }), status: 400, code: "invalid_body" },
    {
      name: "multipart cut off inside the file",
      path: "/api/v1/ocr",
      init: () => ({ headers: { "content-type": "multipart/form-data; boundary=cutB0undaryXyZ" }, body: new Uint8Array(Buffer.concat([Buffer.from('--cutB0undaryXyZ\r\nContent-Disposition: form-data; name="image"; filename="x.png"\r\n\r\n'), png.subarray(0, 500)])) }),
      status: 400,
      code: "invalid_body",
    },
    // JSON: depth, size, types, unknown and prototype keys.
    { name: "OCR: JSON nested 10,000 levels deep in the image field", path: "/api/v1/ocr", init: () => json(`{"image":${nestedArray(10_000)}}`), status: 422, code: "validation_error", param: "image" },
    { name: "OCR: JSON nested 10,000 levels deep in an unknown field", path: "/api/v1/ocr", init: () => json(`{"image":"${b64}","x":${nestedObject(10_000)}}`), status: 422, code: "validation_error" },
    { name: "OCR: JSON over the cap (Content-Length)", path: "/api/v1/ocr", init: () => json(`{"image":"${"A".repeat(ocrJsonOverCap)}"}`), status: 413, code: "payload_too_large" },
    { name: "OCR: JSON over the cap, chunked (no Content-Length)", path: "/api/v1/ocr", init: () => json(chunkedBody('{"image":"', "AAAA", ocrJsonOverCap, '"}')), status: 413, code: "payload_too_large" },
    { name: "OCR: a number option sent as an array", path: "/api/v1/ocr", init: () => json(JSON.stringify({ image: b64, det_limit_side: [960] })), status: 422, code: "validation_error", param: "det_limit_side" },
    { name: "OCR: a boolean option sent as an object", path: "/api/v1/ocr", init: () => json(JSON.stringify({ image: b64, use_angle_cls: { yes: true } })), status: 422, code: "validation_error", param: "use_angle_cls" },
    { name: "OCR: unknown field callback_url", path: "/api/v1/ocr", init: () => json(JSON.stringify({ image: b64, callback_url: "http://169.254.169.254/" })), status: 422, code: "validation_error" },
    { name: "OCR: JSON null body", path: "/api/v1/ocr", init: () => json("null"), status: 400, code: "invalid_body" },
    { name: "OCR: __proto__ key", path: "/api/v1/ocr", init: () => json(`{"image":"${b64}","__proto__":{"model":"silero-vad-v5"}}`), status: 422, code: "validation_error" },
    { name: "sign-up: JSON nested 10,000 levels deep in name", path: "/api/auth/signup", auth: "none", init: () => json(`{"email":"deep@example.com","password":"longenough1","name":${nestedObject(10_000)}}`), status: 422, code: "validation_error", param: "name" },
    { name: "sign-up: a 10,000-deep array as the body", path: "/api/auth/signup", auth: "none", init: () => json(nestedArray(10_000)), status: 422, code: "validation_error" },
    { name: "sign-up: JSON over the 64 KiB cap (Content-Length)", path: "/api/auth/signup", auth: "none", init: () => json(JSON.stringify({ email: "big@example.com", password: "longenough1", name: "n".repeat(70_000) })), status: 413, code: "payload_too_large" },
    { name: "sign-up: JSON over the cap, chunked", path: "/api/auth/signup", auth: "none", init: () => json(chunkedBody('{"email":"big2@example.com","password":"longenough1","name":"', "n", 2 * 1024 * 1024, '"}')), status: 413, code: "payload_too_large" },
    { name: "sign-up: __proto__ carrying a role", path: "/api/auth/signup", auth: "none", init: () => json('{"email":"proto@example.com","password":"longenough1","__proto__":{"role":"ADMIN"}}'), status: 422, code: "validation_error" },
    { name: "sign-up: constructor.prototype key", path: "/api/auth/signup", auth: "none", init: () => json('{"email":"ctor@example.com","password":"longenough1","constructor":{"prototype":{"role":"ADMIN"}}}'), status: 422, code: "validation_error" },
    { name: "sign-up: email as an array", path: "/api/auth/signup", auth: "none", init: () => json('{"email":["a@example.com"],"password":"longenough1"}'), status: 422, code: "validation_error", param: "email" },
    { name: "key creation: limit as a string", path: "/api/v1/keys", auth: "user", init: () => json('{"name":"x","requests_per_minute":"100"}'), status: 422, code: "validation_error", param: "requests_per_minute" },
    { name: "key creation: scopes as a string", path: "/api/v1/keys", auth: "user", init: () => json('{"name":"x","scopes":"inference"}'), status: 422, code: "validation_error", param: "scopes" },
    { name: "key creation: __proto__ key", path: "/api/v1/keys", auth: "user", init: () => json('{"name":"x","__proto__":{"userId":"someone"}}'), status: 422, code: "validation_error" },
    { name: "admin: plan name as an array", path: "/api/v1/admin/users/nobody", method: "PATCH", auth: "admin", init: () => json('{"plan":["Pro"]}'), status: 422, code: "validation_error", param: "plan" },
    // Ids that look like paths, encoded slashes, NUL and CRLF.
    { name: "model id ..%2F..%2Fetc%2Fpasswd", path: "/api/v1/models/..%2F..%2Fetc%2Fpasswd", method: "GET", auth: "none", status: 404, code: "model_not_found" },
    { name: "model id with an encoded slash after a real id", path: "/api/v1/models/silero-vad-v5%2F..%2F..%2Fpackage.json", method: "GET", auth: "none", status: 404, code: "model_not_found" },
    { name: "model id %2e%2e is normalised by the router, never used as a path", path: "/api/v1/models/%2e%2e", method: "GET", auth: "none", status: 308, code: null },
    { name: "model id with a NUL byte", path: "/api/v1/models/silero-vad-v5%00", method: "GET", auth: "none", status: 404, code: "model_not_found" },
    { name: "KServe model name ..%2Fsilero-vad-v5", path: "/v2/models/..%2Fsilero-vad-v5", method: "GET", status: 404, code: null },
    { name: "admin model action on ..%2F..%2Fusers", path: "/api/v1/admin/models/..%2F..%2Fusers/disable", auth: "admin", status: 404, code: "model_not_found" },
    { name: "OCR model field with encoded traversal", path: "/api/v1/ocr", init: ocr(() => png, "x.png", { model: "%2e%2e%2fweights" }), status: 422, code: "validation_error", param: "model" },
    // NUL in a filter: SQLite can compare it (no rows), PostgreSQL cannot store it (a clear 422, never a 500).
    { name: "usage filter with a NUL byte", path: "/api/v1/usage?model=a%00b", method: "GET", status: onPostgres ? 422 : 200, code: onPostgres ? "validation_error" : null },
    { name: "admin user search with a NUL byte", path: "/api/v1/admin/users?search=a%00b", method: "GET", auth: "admin", status: onPostgres ? 422 : 200, code: onPostgres ? "validation_error" : null },
    { name: "usage export date with CRLF", path: "/api/v1/usage/export.csv?from=2026-01-01T00:00:00Z%0D%0AX-Injected:%201", method: "GET", status: 422, code: "validation_error", param: "from" },
  ];
}
