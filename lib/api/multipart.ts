import "server-only";
import { ByteSink, CLOSE, declaredLength, streamBody } from "./body";
import { feed, firstFailure, invalidMultipart as invalid, openBusboy } from "./busboy-feed";
import { ApiError, isApiError } from "./errors";

export interface ParsedInput {
  bytes: Buffer;
  /** The other fields, as sent (strings from multipart and the query string; JSON values from JSON). */
  fields: Record<string, unknown>;
}

/** More parts than any request needs (the file and each option once) is not a form we take. */
export const MAX_PARTS = 32;

/**
 * multipart/form-data parsed as it arrives (@fastify/busboy), never held whole: the part named `field` goes
 * straight into one buffer — sized in advance when Content-Length says how long it will be — and the other parts
 * become text fields. The rules, and which broken rule is reported first, are those of the whole-body parser this
 * replaced: the named part is the input (a file, or a text part taken as its bytes) and its absence is reported
 * first; then the first other file, or field sent twice, in the order sent. Fields are gathered without a
 * prototype, so "__proto__" or "constructor" is just a name. New: a second input file is refused (it used to be
 * dropped silently). Malformed framing, the cap, the deadline and a second input end the read at once: the rest
 * of the body is not read and the connection is closed after the answer.
 */
export async function readMultipart(req: Request, contentType: string, field: "image" | "audio", max: number): Promise<ParsedInput> {
  const declared = declaredLength(req, max);
  // Every part is taken as a stream ("file"): text fields are decoded here as UTF-8, as browsers send them, and
  // the named part is kept as bytes whatever its headers say.
  const bb = openBusboy(contentType, { isPartAFile: () => true, limits: { parts: MAX_PARTS } });
  const failure = firstFailure();
  const fail = failure.fail;

  // Where the file's first byte sits in the body, to size its buffer: it is a view of one of the chunks written.
  const recent: { chunk: Buffer; at: number }[] = [];
  let written = 0;
  const closing = Buffer.byteLength(`\r\n--${boundaryOf(contentType)}--\r\n`);
  const expectedFileSize = (first: Buffer): number | null => {
    if (declared === null) return null;
    const from = recent.find((r) => r.chunk.buffer === first.buffer && first.byteOffset >= r.chunk.byteOffset && first.byteOffset < r.chunk.byteOffset + r.chunk.byteLength);
    if (!from) return null;
    // The rest of the body after the file's first byte, less the closing delimiter: exact when the file is the last
    // part (what curl, browsers, undici and requests send when the file comes last). Otherwise the buffer is a
    // little larger than the file, and the runtime copies it once instead of moving it.
    const size = declared - (from.at + first.byteOffset - from.chunk.byteOffset) - closing;
    return size >= first.byteLength ? size : null;
  };

  let file: ByteSink | null = null;
  let sawFile = false;
  // A broken field rule is answered once the whole form is read, after the missing input, as the old parser did:
  // the one of the earliest part (a text part's end can be seen after the next part has begun).
  let misfit: { part: number; error: ApiError } | null = null;
  const note = (part: number, error: ApiError) => {
    if (misfit === null || part < misfit.part) misfit = { part, error };
  };
  let parts = 0;
  const fields: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

  bb.on("file", (name: string | undefined, stream: NodeJS.ReadableStream, filename: string | undefined) => {
    const part = parts++;
    stream.on("error", () => fail(invalid("a part ended early")));
    if (failure.error !== null) return void stream.resume();
    if (name === undefined) {
      fail(invalid("a part has no name"));
      return void stream.resume();
    }
    if (name === field) {
      if (sawFile) fail(new ApiError("validation_error", `"${field}" was sent twice: send one file per request.`, { param: field }));
      sawFile = true;
      stream.on("data", (d: Buffer) => {
        if (failure.error !== null) return;
        file ??= new ByteSink(expectedFileSize(d));
        file.push(d);
      });
      return;
    }
    if (filename !== undefined) {
      note(part, new ApiError("validation_error", `Only "${field}" may be a file.`, { param: name }));
      return void stream.resume();
    }
    const text: Buffer[] = [];
    stream.on("data", (d: Buffer) => text.push(d));
    stream.on("end", () => {
      if (failure.error !== null) return;
      if (Object.hasOwn(fields, name)) note(part, new ApiError("validation_error", `Field "${name}" was sent twice.`, { param: name }));
      else fields[name] = new TextDecoder().decode(Buffer.concat(text));
    });
  });
  bb.on("partsLimit", () => fail(invalid(`more than ${MAX_PARTS} parts (send the ${field} and the options, each once)`)));
  bb.on("error", () => fail(invalid("it is truncated or malformed")));
  const finished = new Promise<void>((resolve) => bb.on("finish", () => resolve()));

  try {
    await streamBody(req, max, (value) => {
      const chunk = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      recent.push({ chunk, at: written });
      if (recent.length > 8) recent.shift();
      written += chunk.byteLength;
      return Promise.race([feed(bb, chunk), failure.failed]);
    });
  } catch (e) {
    bb.destroy();
    // Given up before the end of the body: the rest is still on the connection.
    throw isApiError(e) && !e.headers?.connection ? new ApiError(e.code, e.message, { param: e.param, headers: { ...e.headers, ...CLOSE } }) : e;
  }
  bb.end();
  await Promise.race([finished, failure.failed]);
  if (failure.error !== null) throw failure.error;
  if (!sawFile) throw new ApiError("validation_error", `Attach the ${field} as the multipart field "${field}".`, { param: field });
  const broken = misfit as { error: ApiError } | null;
  if (broken !== null) throw broken.error;
  return { bytes: (file as ByteSink | null)?.bytes() ?? Buffer.alloc(0), fields };
}

/** The boundary parameter as busboy reads it (quoted or not), for the length of the closing delimiter. */
function boundaryOf(contentType: string): string {
  const m = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))/i.exec(contentType);
  return m ? (m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1") : "";
}
