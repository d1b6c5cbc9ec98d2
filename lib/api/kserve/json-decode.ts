/**
 * The expensive half of reading a KServe JSON body: `JSON.parse`, then every `inputs[i].data` array checked and
 * packed into a typed array (FP32 → Float32Array, anything else → Float64Array). Whatever remains is a small
 * skeleton (names, shapes, datatypes) that zod can validate on the event loop in microseconds.
 *
 * Large bodies run this in a worker thread (json-pool.ts), which receives the function's own source text: so it
 * must stay ONE self-contained function — no imports, no module-level constants or helpers, nothing but
 * built-ins — or the worker copy breaks. Small bodies call it directly.
 */

export type DecodedTensorData = Float32Array | Float64Array;

export type TensorJsonResult =
  | { ok: true; body: unknown; /** the typed arrays' buffers, for a zero-copy hand-over from a worker */ buffers: ArrayBuffer[] }
  | { ok: false; code: "invalid_json" | "bad_request"; message: string; param?: string };

export function decodeTensorJson(bytes: Uint8Array, maxElements: number): TensorJsonResult {
  // Kept inside: see the file comment.
  const FLT_MAX = 3.4028234663852886e38;
  /** JSON values allowed outside the tensors' data: a real request has a few dozen (names, shapes, parameters). */
  const MAX_SKELETON_VALUES = 10_000;
  const MAX_LIST = 16;
  const fail = (message: string, param?: string): TensorJsonResult => ({ ok: false, code: "bad_request", message, param });

  let body: unknown;
  try {
    body = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return { ok: false, code: "invalid_json", message: "The request body is not valid JSON (NaN and Infinity are not JSON numbers)." };
  }
  const buffers: ArrayBuffer[] = [];
  if (typeof body !== "object" || body === null || Array.isArray(body)) return { ok: true, body, buffers };
  const inputs = (body as { inputs?: unknown }).inputs;
  const outputs = (body as { outputs?: unknown }).outputs;
  // The schema allows 16 of each; refusing more here keeps zod from walking a million-entry list later.
  if (Array.isArray(inputs) && inputs.length > MAX_LIST) return fail(`inputs: at most ${MAX_LIST} inputs.`, "inputs");
  if (Array.isArray(outputs) && outputs.length > MAX_LIST) return fail(`outputs: at most ${MAX_LIST} outputs.`, "outputs");

  if (Array.isArray(inputs)) {
    let total = 0;
    for (let i = 0; i < inputs.length; i++) {
      const t = inputs[i] as { name?: unknown; datatype?: unknown; data?: unknown } | null;
      if (typeof t !== "object" || t === null || !Array.isArray(t.data)) continue; // the schema names the problem
      const data = t.data as unknown[];
      total += data.length;
      if (total > maxElements) return fail(`inputs[${i}].data: too large: at most ${maxElements} elements per request.`, `inputs[${i}].data`);
      const where = typeof t.name === "string" ? `input "${t.name}"` : `inputs[${i}]`;
      const fp32 = t.datatype === "FP32";
      const int64 = t.datatype === "INT64";
      const out = fp32 ? new Float32Array(data.length) : new Float64Array(data.length);
      for (let j = 0; j < data.length; j++) {
        const v = data[j];
        if (typeof v !== "number" || !Number.isFinite(v)) {
          return fail(`inputs[${i}].data[${j}]: data must be a flat, row-major array of finite numbers`, `inputs[${i}].data[${j}]`);
        }
        if (fp32 && !(Math.abs(v) <= FLT_MAX)) return fail(`${where} is FP32: ${v} is out of range.`, "inputs");
        if (int64 && !Number.isSafeInteger(v)) return fail(`${where} is INT64: ${v} is not a safe integer.`, "inputs");
        out[j] = v;
      }
      t.data = out;
      buffers.push(out.buffer as ArrayBuffer);
    }
  }

  // Everything else must be small: count the remaining values without recursion (nesting may be deep).
  const stack: unknown[] = [body];
  let seen = 1;
  const tooMany = () => fail(`The request has more than ${MAX_SKELETON_VALUES} JSON values outside the tensors' data.`);
  while (stack.length) {
    const v = stack.pop();
    if (typeof v !== "object" || v === null || ArrayBuffer.isView(v)) continue;
    const children = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    seen += children.length;
    if (seen > MAX_SKELETON_VALUES) return tooMany();
    for (const x of children) stack.push(x);
  }
  return { ok: true, body, buffers };
}
