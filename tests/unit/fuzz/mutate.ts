/** Byte-level mutations for property tests: flips, overwrites, cuts and insertions, biased towards headers. */
import fc from "fast-check";

type Edit = { at: number; op: "flip" | "set" | "cut" | "insert"; v: number; header: boolean };

const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom("flip", "set", "cut", "insert"),
  v: fc.integer({ min: 0, max: 255 }),
  // Half the edits land in the first 64 bytes, where the parsers decide what the rest means.
  header: fc.boolean(),
});

function apply(base: Uint8Array, edits: Edit[]): Buffer {
  let b = Buffer.from(base);
  for (const e of edits) {
    if (b.length === 0) break;
    const at = e.header ? e.at % Math.min(64, b.length) : e.at % b.length;
    if (e.op === "flip") b[at] ^= 1 << (e.v & 7);
    else if (e.op === "set") b[at] = e.v;
    else if (e.op === "cut") b = b.subarray(0, at);
    else b = Buffer.concat([b.subarray(0, at), Buffer.from([e.v]), b.subarray(at)]);
  }
  return Buffer.from(b);
}

/** `base` with 0–4 random edits. */
export function mutated(base: Uint8Array): fc.Arbitrary<Buffer> {
  return fc.array(edit, { maxLength: 4 }).map((edits) => apply(base, edits));
}

/** One of `bases`, mutated. */
export function mutatedOneOf(bases: Uint8Array[]): fc.Arbitrary<Buffer> {
  return fc.oneof(...bases.map(mutated));
}

/** Runs for each property: at least the 10,000 generated inputs. */
export const RUNS = 10_000;
