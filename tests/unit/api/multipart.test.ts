/**
 * The streaming multipart parser (lib/api/multipart.ts) against the whole-body parser it replaced — kept below as
 * the oracle, exactly as it read requests before issue 12 — on generated well-formed forms: same bytes and fields,
 * or the same error. Then what only a streaming parser can get wrong: chunk boundaries anywhere, the caps and the
 * deadline while the body is still arriving, stopping early, and the buffer it hands to the runtime.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, isApiError } from "@/lib/api/errors";
import { MAX_PARTS, readMultipart } from "@/lib/api/multipart";
import { RUNS } from "../fuzz/mutate";

const MAX = 1024 * 1024;
type Field = "image" | "audio";
type Outcome = { ok: true; bytes: string; fields: [string, unknown][] } | { ok: false; status: number; code: string; param?: string };

/** The parser this file replaced (lib/api/input.ts before issue 12): the whole body, then undici's formData(). */
async function oldParser(body: Buffer, type: string, field: Field): Promise<{ bytes: Buffer; fields: Record<string, unknown> }> {
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { "content-type": type } }).formData();
  } catch {
    throw new ApiError("invalid_body", "The multipart body could not be parsed.");
  }
  const file = form.get(field);
  if (file === null) throw new ApiError("validation_error", `Attach the ${field} as the multipart field "${field}".`, { param: field });
  const bytes = typeof file === "string" ? Buffer.from(file, "utf8") : Buffer.from(await file.arrayBuffer());
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  for (const [k, v] of form.entries()) {
    if (k === field) continue;
    if (typeof v !== "string") throw new ApiError("validation_error", `Only "${field}" may be a file.`, { param: k });
    if (Object.hasOwn(fields, k)) throw new ApiError("validation_error", `Field "${k}" was sent twice.`, { param: k });
    fields[k] = v;
  }
  return { bytes, fields };
}

/** A request whose body arrives in the given pieces (no Content-Length unless `declare`). */
function request(body: Buffer, type: string, cuts: number[] = [], declare = false): Request {
  const points = [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const p of [...points, body.length]) {
    if (p > at) pieces.push(body.subarray(at, p));
    at = p;
  }
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const next = pieces.shift();
      if (next === undefined) c.close();
      else c.enqueue(new Uint8Array(next));
    },
  });
  const headers: Record<string, string> = { "content-type": type };
  if (declare) headers["content-length"] = String(body.length);
  return new Request("http://unit.test/api/v1/x", { method: "POST", headers, body: stream, duplex: "half" } as RequestInit);
}

async function outcome(run: () => Promise<{ bytes: Buffer; fields: Record<string, unknown> }>): Promise<Outcome> {
  try {
    const r = await run();
    return { ok: true, bytes: r.bytes.toString("hex"), fields: Object.entries(r.fields).sort(([a], [b]) => (a < b ? -1 : 1)) };
  } catch (e) {
    if (!isApiError(e)) throw e;
    return { ok: false, status: e.status, code: e.code, ...(e.param ? { param: e.param } : {}) };
  }
}

// Boundaries as undici and browsers make them: long enough never to occur inside a generated value.
const B = "----formdata-unit-7MA4YWxkTrZu0gW";
const part = fc.record({
  name: fc.constantFrom("image", "audio", "model", "threshold", "det_limit_side", "constructor", "__proto__", "x", "ü"),
  filename: fc.option(fc.constantFrom("a.png", "a.wav", "ü.wav"), { nil: undefined }),
  type: fc.option(fc.constantFrom("image/png", "audio/wav", "text/plain; charset=utf-8", "application/octet-stream"), { nil: undefined }),
  text: fc.string({ maxLength: 24, unit: "binary" }).filter((s) => !s.includes("\r") && !s.includes("\n") && !s.includes("--")),
  bytes: fc.uint8Array({ maxLength: 6000 }),
});
type Part = { name: string; filename: string | undefined; type: string | undefined; text: string; bytes: Uint8Array };

function encode(parts: Part[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    out.push(Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="${p.name}"${p.filename !== undefined ? `; filename="${p.filename}"` : ""}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ""}\r\n`));
    // Files carry arbitrary bytes; text parts are UTF-8 text (the old parser decoded them, so bytes that are not
    // UTF-8 came back altered: the new one keeps the named part's bytes as sent, which is the point).
    out.push(p.filename !== undefined ? Buffer.from(p.bytes) : Buffer.from(p.text, "utf8"));
    out.push(Buffer.from("\r\n"));
  }
  out.push(Buffer.from(`--${B}--\r\n`));
  return Buffer.concat(out);
}

afterEach(() => {
  delete process.env.PARETO_BODY_TIMEOUT_MS;
});

describe("streaming multipart: the old parser's answers", () => {
  it(`well-formed forms, cut into arbitrary chunks: ${RUNS} inputs`, async () => {
    const type = `multipart/form-data; boundary=${B}`;
    await fc.assert(
      fc.asyncProperty(fc.array(part, { maxLength: 5 }), fc.constantFrom<Field>("image", "audio"), fc.array(fc.nat(), { maxLength: 6 }), fc.boolean(), async (parts, field, cuts, declare) => {
        const body = encode(parts);
        const now = await outcome(() => readMultipart(request(body, type, cuts, declare), type, field, MAX));
        const before = await outcome(() => oldParser(body, type, field));
        if (parts.filter((p) => p.name === field).length > 1) {
          // The one intended difference: two inputs in one request were silently cut to the first; now refused.
          expect(now).toMatchObject({ ok: false, status: 422, code: "validation_error" });
          return;
        }
        expect(now).toEqual(before);
      }),
      { numRuns: RUNS },
    );
  });

  it("forms made by undici's FormData (as fetch sends them) come back as sent", async () => {
    const fd = new FormData();
    fd.set("model", "silero-vad-v5");
    fd.set("audio", new Blob([new Uint8Array(Buffer.alloc(70_000, 3))]), "a.wav");
    fd.set("threshold", "0.4");
    const req = new Request("http://unit.test/", { method: "POST", body: fd });
    const type = req.headers.get("content-type")!;
    const got = await readMultipart(req, type, "audio", MAX);
    expect(got.bytes.equals(Buffer.alloc(70_000, 3))).toBe(true);
    expect({ ...got.fields }).toEqual({ model: "silero-vad-v5", threshold: "0.4" });
  });

  it("refuses a missing boundary, a truncated body, an empty body, a part without a name, a second file", async () => {
    const type = `multipart/form-data; boundary=${B}`;
    const good = encode([{ name: "audio", filename: "a.wav", type: "audio/wav", text: "", bytes: new Uint8Array(100) }]);
    const cases: [string, Buffer, string, Outcome][] = [
      ["no boundary", good, "multipart/form-data", { ok: false, status: 400, code: "invalid_body" }],
      ["truncated", good.subarray(0, good.length - 20), type, { ok: false, status: 400, code: "invalid_body" }],
      ["cut inside the part headers", good.subarray(0, 60), type, { ok: false, status: 400, code: "invalid_body" }],
      ["empty body", Buffer.alloc(0), type, { ok: false, status: 400, code: "invalid_body" }],
      ["a part without a name", Buffer.from(`--${B}\r\nContent-Disposition: form-data; filename="a.wav"\r\n\r\nxx\r\n--${B}--\r\n`), type, { ok: false, status: 400, code: "invalid_body" }],
      ["two files of another name", encode([{ name: "audio", filename: "a.wav", type: undefined, text: "", bytes: new Uint8Array(4) }, { name: "other", filename: "b.wav", type: undefined, text: "", bytes: new Uint8Array(4) }]), type, { ok: false, status: 422, code: "validation_error", param: "other" }],
      ["no parts at all", Buffer.from(`--${B}--\r\n`), type, { ok: false, status: 422, code: "validation_error", param: "audio" }],
    ];
    for (const [name, body, ct, want] of cases) expect(await outcome(() => readMultipart(request(body, ct, [7, 50]), ct, "audio", MAX)), name).toEqual(want);
  });

  it(`more than ${MAX_PARTS} parts is not a form anyone sends: 400`, async () => {
    const parts = Array.from({ length: MAX_PARTS + 1 }, (_, i) => ({ name: `f${i}`, filename: undefined, type: undefined, text: "1", bytes: new Uint8Array(0) }));
    const type = `multipart/form-data; boundary=${B}`;
    expect(await outcome(() => readMultipart(request(encode(parts), type), type, "audio", MAX))).toMatchObject({ ok: false, status: 400, code: "invalid_body" });
  });
});

describe("streaming multipart: caps, deadline, stopping early", () => {
  const type = `multipart/form-data; boundary=${B}`;

  it("a declared length over the cap is refused before reading (the connection stays usable)", async () => {
    const body = encode([{ name: "audio", filename: "a.wav", type: undefined, text: "", bytes: new Uint8Array(2000) }]);
    const req = request(body, type, [], true);
    const e = await readMultipart(req, type, "audio", 1000).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "payload_too_large" });
    expect((e as ApiError).headers?.connection).toBeUndefined();
    expect(req.bodyUsed).toBe(false);
  });

  it("without a length, the cap is enforced as the body arrives: 413 once passed, the rest unread, connection closed", async () => {
    let sent = 0;
    let cancelled = false;
    const head = Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\n\r\n`);
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(new Uint8Array(sent === 0 ? head : Buffer.alloc(64 * 1024)));
        sent++;
      },
      cancel: () => void (cancelled = true),
    });
    const req = new Request("http://unit.test/", { method: "POST", headers: { "content-type": type }, body: stream, duplex: "half" } as RequestInit);
    const e = await readMultipart(req, type, "audio", MAX).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "payload_too_large", headers: { connection: "close" } });
    expect(cancelled).toBe(true);
    // One chunk past the cap at most: the parser never reads on to the end of an endless body.
    expect(sent).toBeLessThanOrEqual(Math.ceil(MAX / (64 * 1024)) + 2);
  });

  it("a body that stops arriving gets 408 and is cancelled", async () => {
    process.env.PARETO_BODY_TIMEOUT_MS = "200";
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      start: (c) => c.enqueue(new Uint8Array(Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="audio"; filename="a"\r\n\r\nxx`))),
      cancel: () => void (cancelled = true),
    });
    const req = new Request("http://unit.test/", { method: "POST", headers: { "content-type": type }, body: stream, duplex: "half" } as RequestInit);
    await expect(readMultipart(req, type, "audio", MAX)).rejects.toMatchObject({ code: "request_timeout", headers: { connection: "close" } });
    expect(cancelled).toBe(true);
  });

  it("stops at a second input file: refused before the rest of the body is read", async () => {
    const one = encode([{ name: "audio", filename: "a.wav", type: undefined, text: "", bytes: new Uint8Array(10) }]).subarray(0, -(B.length + 6));
    let cancelled = false;
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        pulls++;
        // The file, then a second "audio" part whose content never ends.
        c.enqueue(new Uint8Array(pulls === 1 ? Buffer.concat([one, Buffer.from(`--${B}\r\nContent-Disposition: form-data; name="audio"; filename="b.wav"\r\n\r\n`)]) : Buffer.alloc(1024)));
      },
      cancel: () => void (cancelled = true),
    });
    const req = new Request("http://unit.test/", { method: "POST", headers: { "content-type": type }, body: stream, duplex: "half" } as RequestInit);
    await expect(readMultipart(req, type, "audio", MAX)).rejects.toMatchObject({ code: "validation_error", param: "audio", headers: { connection: "close" } });
    expect(cancelled).toBe(true);
  });
});

describe("streaming multipart: the buffer it hands to the runtime", () => {
  const owns = (b: Buffer) => b.byteOffset === 0 && b.byteLength === b.buffer.byteLength;
  const type = `multipart/form-data; boundary=${B}`;
  const file = Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7) % 251));

  it("with Content-Length and the file last, the file fills one buffer of its own: moved to the worker, never copied again", async () => {
    for (const cuts of [[], [100], [3, 9, 4000, 4001, 30_000], Array.from({ length: 60 }, (_, i) => i * 997)]) {
      const body = encode([
        { name: "threshold", filename: undefined, type: undefined, text: "0.5", bytes: new Uint8Array(0) },
        { name: "audio", filename: "a.wav", type: "audio/wav", text: "", bytes: file },
      ]);
      const got = await readMultipart(request(body, type, cuts, true), type, "audio", MAX);
      expect(got.bytes.equals(file)).toBe(true);
      expect(owns(got.bytes), `cuts ${cuts.length}`).toBe(true);
    }
  });

  it("undici's FormData with the file last: one buffer of its own too", async () => {
    const fd = new FormData();
    fd.set("threshold", "0.5");
    fd.set("audio", new Blob([new Uint8Array(file)]), "a.wav");
    const sent = new Request("http://unit.test/", { method: "POST", body: fd });
    const body = Buffer.from(await sent.arrayBuffer());
    const got = await readMultipart(request(body, sent.headers.get("content-type")!, [1000, 20_000], true), sent.headers.get("content-type")!, "audio", MAX);
    expect(got.bytes.equals(file)).toBe(true);
    expect(owns(got.bytes)).toBe(true);
  });

  it("fields after the file, a closing delimiter without CRLF, or no Content-Length: the bytes are still exact", async () => {
    const after = encode([
      { name: "audio", filename: "a.wav", type: undefined, text: "", bytes: file },
      { name: "threshold", filename: undefined, type: undefined, text: "0.5", bytes: new Uint8Array(0) },
    ]);
    const last = encode([{ name: "audio", filename: "a.wav", type: undefined, text: "", bytes: file }]);
    for (const [body, declare] of [[after, true], [last.subarray(0, -2), true], [last, false]] as const) {
      const got = await readMultipart(request(body, type, [500, 9000], declare), type, "audio", MAX);
      expect(got.bytes.equals(file)).toBe(true);
    }
  });
});
