/**
 * Issue 11 item 17: KServe tensor parsing on generated bodies — requests shaped like each weight's inputs with
 * random shapes, datatypes and values; arbitrary JSON; mutated serialisations. The real path runs (readKserveJson
 * on a Request → toFeeds → pickOutputs): feeds that match the spec, or a typed ApiError; nothing else.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { isApiError } from "@/lib/api/errors";
import { readKserveJson } from "@/lib/api/kserve/protocol";
import { pickOutputs, toFeeds } from "@/lib/api/kserve/tensors";
import { WEIGHT_SPECS, type WeightSpec } from "@/lib/models/catalog";
import { RUNS, mutated } from "./mutate";

const SPECS = Object.values(WEIGHT_SPECS).filter((s): s is WeightSpec => Boolean(s));

/** `arb` once in `n` draws, else null. */
const rarely = <T>(arb: fc.Arbitrary<T>, n: number) => fc.oneof({ weight: n - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: arb });

const float = fc.double({ noNaN: true, noDefaultInfinity: true, min: -4, max: 4 });
const junk = fc.constantFrom<unknown>(null, "1", true, [], {}, [1], 1e39, -1e39, 2 ** 53, 0.5, -0, 1e308, 16000.5);

/** Input `i` of `spec` (usually), with data of the shape's length (usually). */
function tensor(spec: WeightSpec, i: number) {
  return fc
    .record({
      which: fc.oneof({ weight: 9, arbitrary: fc.constant(i) }, { weight: 1, arbitrary: fc.nat(spec.inputs.length) }),
      rename: rarely(fc.constantFrom("x", "input", "", "state", "sr", "h"), 8),
      datatype: rarely(fc.constantFrom<unknown>("FP32", "INT64", "FP64", "fp32", 3), 6),
      dims: fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 5 }),
      bend: rarely(fc.constantFrom<unknown>(-1, 2 ** 31, 1.5, "2", 2 ** 40, 1e6), 10),
      lengthDelta: rarely(fc.integer({ min: -2, max: 2 }), 6),
      floats: fc.array(float, { minLength: 1, maxLength: 8 }),
      ints: fc.array(fc.integer({ min: -70000, max: 70000 }), { minLength: 1, maxLength: 4 }),
      junk: rarely(fc.tuple(fc.nat(), junk), 8),
      extra: rarely(fc.constantFrom<Record<string, unknown>>({ parameters: { a: 1 } }, { parameters: "x" }, { unknown: 1 }), 8),
    })
    .map((g) => {
      const s = spec.inputs[Math.min(g.which, spec.inputs.length - 1)];
      // Fixed axes as the spec says, dynamic ones small: most tensors are the right shape, so toFeeds is reached.
      const shape: unknown[] = s.shape.map((d, i) => (d >= 0 ? d : 1 + (g.dims[i] ?? 0)));
      if (g.dims.length === 5) shape.push(1);
      if (g.bend !== null && shape.length) shape[g.dims[0] % shape.length] = g.bend;
      const count = shape.reduce<number>((n, d) => n * (typeof d === "number" && d >= 0 && d < 1e5 ? d : 1), 1);
      const length = Math.max(0, Math.min(1024, count + (g.lengthDelta ?? 0)));
      const datatype = g.datatype ?? s.datatype;
      const pool: unknown[] = datatype === "INT64" ? g.ints : g.floats;
      const data = Array.from({ length }, (_, k) => pool[k % pool.length]);
      if (g.junk && length) data[g.junk[0] % length] = g.junk[1];
      return { name: g.rename ?? s.name, shape, datatype, data, ...(g.extra ?? {}) };
    });
}

function request(spec: WeightSpec) {
  return fc.record(
    {
      id: fc.oneof({ weight: 9, arbitrary: fc.string({ maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(1, null) }),
      // Every input once, in some order; sometimes one dropped or one extra.
      inputs: fc
        .tuple(fc.tuple(...spec.inputs.map((_, i) => tensor(spec, i))), tensor(spec, 0), fc.constantFrom("as is", "as is", "as is", "reversed", "drop", "extra"))
        .map(([ts, extra, how]) => (how === "reversed" ? [...ts].reverse() : how === "drop" ? ts.slice(1) : how === "extra" ? [...ts, extra] : ts)),
      outputs: fc.oneof({ weight: 9, arbitrary: fc.array(fc.record({ name: fc.constantFrom(...spec.outputs.map((o) => o.name), "nope") }), { maxLength: 3 }) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(null, {}) }),
    },
    { requiredKeys: ["inputs"] },
  );
}

const body = fc.nat(SPECS.length - 1).chain((i) =>
  fc.oneof(
    { weight: 6, arbitrary: request(SPECS[i]).map((r) => ({ spec: SPECS[i], text: Buffer.from(JSON.stringify(r)) })) },
    { weight: 2, arbitrary: request(SPECS[i]).chain((r) => mutated(Buffer.from(JSON.stringify(r))).map((text) => ({ spec: SPECS[i], text }))) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ spec: SPECS[i], text: Buffer.from(JSON.stringify(v) ?? "null") })) },
  ),
);

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

async function check(spec: WeightSpec, text: Buffer): Promise<void> {
  const req = new Request("http://fuzz.test/v2/models/m/infer", { method: "POST", headers: { "content-type": "application/json" }, body: new Uint8Array(text) });
  try {
    const parsed = await readKserveJson(req, spec);
    const feeds = toFeeds(spec, "m", parsed.inputs);
    pickOutputs(spec, "m", parsed.outputs);
    for (const s of spec.inputs) {
      const t = feeds[s.name];
      assert(Boolean(t), `feed ${s.name} missing`);
      assert(t.dims.length === s.shape.length, "rank differs from the spec");
      assert(t.data.length === t.dims.reduce((n, d) => n * d, 1), "data length is not the product of dims");
      if (t.data instanceof Float32Array) for (const v of t.data) assert(Number.isFinite(v), `non-finite ${v} in a float32 feed`);
    }
  } catch (e) {
    if (!isApiError(e)) throw e;
    assert(e.status >= 400 && e.status < 500, `a ${e.status} for bad input`);
  }
}

describe("fuzz: KServe tensor parsing", () => {
  it(`generated requests for every weight: ${RUNS} inputs`, async () => {
    await fc.assert(fc.asyncProperty(body, ({ spec, text }) => check(spec, text)), { numRuns: RUNS });
  });
});
