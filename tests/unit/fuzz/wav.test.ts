/**
 * Issue 11 item 17: the WAV reader on generated input — structured headers with random fields, mutated valid
 * files, raw bytes. It returns consistent audio or throws a typed InputError; nothing else, and never hangs.
 */
import fc from "fast-check";
import { describe, it } from "vitest";
import { isInputError } from "@/lib/models/errors";
import { audioSize } from "@/lib/models/input-size";
import { decodeWav, parseWavHeader } from "@/lib/models/vad/wav";
import { RUNS, mutated } from "./mutate";

const KS_TAIL = [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71];

const spec = fc.record({
  format: fc.oneof(fc.constantFrom(1, 3, 0xfffe, 2, 6, 7, 0x55), fc.integer({ min: 0, max: 0xffff })),
  subFormat: fc.constantFrom(1, 3, 2, 0xfffe),
  guidOk: fc.boolean(),
  channels: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 0xffff })),
  rate: fc.oneof(fc.constantFrom(8000, 16000, 44100, 192000, 7999, 192001, 0), fc.integer({ min: 0, max: 0xffffffff })),
  bits: fc.oneof(fc.constantFrom(8, 16, 24, 32, 64, 0, 12, 20, 33), fc.integer({ min: 0, max: 0xffff })),
  alignDelta: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: -3, max: 3 })),
  data: fc.uint8Array({ maxLength: 96 }),
  dataSize: fc.option(fc.oneof(fc.integer({ min: 0, max: 0xffffffff }), fc.constant(0xffffffff), fc.integer({ min: 0, max: 200 }))),
  fmtSize: fc.option(fc.constantFrom(0, 15, 16, 17, 18, 39, 40, 0xffffffff)),
  before: fc.array(fc.record({ id: fc.constantFrom("LIST", "fact", "data", "fmt ", "JUNK", "\u0000\u0001ab"), body: fc.uint8Array({ maxLength: 9 }) }), { maxLength: 2 }),
  riff: fc.constantFrom("RIFF", "RIFF", "RIFX", "RF64", "RIFx"),
  maxSeconds: fc.constantFrom(600, 0.001, 1),
});

type Spec = typeof spec extends fc.Arbitrary<infer T> ? T : never;

function chunk(id: string, size: number, body: Uint8Array): Buffer {
  const h = Buffer.alloc(8);
  h.write(id.padEnd(4, " ").slice(0, 4), 0, "latin1");
  h.writeUInt32LE(size >>> 0, 4);
  return Buffer.concat([h, body]);
}

function build(s: Spec): Buffer {
  const bytes = Math.ceil(s.bits / 8);
  const align = Math.max(0, Math.min(0xffff, s.channels * bytes + s.alignDelta));
  const ext = s.format === 0xfffe;
  const fmt = Buffer.alloc(ext ? 40 : 16);
  fmt.writeUInt16LE(s.format, 0);
  fmt.writeUInt16LE(s.channels & 0xffff, 2);
  fmt.writeUInt32LE(s.rate >>> 0, 4);
  fmt.writeUInt32LE((s.rate * align) >>> 0, 8);
  fmt.writeUInt16LE(align, 12);
  fmt.writeUInt16LE(s.bits & 0xffff, 14);
  if (ext) {
    fmt.writeUInt16LE(22, 16);
    fmt.writeUInt16LE(s.bits & 0xffff, 18);
    fmt.writeUInt16LE(s.subFormat, 24);
    KS_TAIL.forEach((v, i) => (fmt[26 + i] = s.guidOk ? v : v ^ 0x5a));
  }
  const body = Buffer.concat([
    ...s.before.map((c) => chunk(c.id, c.body.length, c.body)),
    chunk("fmt ", s.fmtSize ?? fmt.length, fmt),
    chunk("data", s.dataSize ?? s.data.length, s.data),
  ]);
  const head = Buffer.alloc(12);
  head.write(s.riff, 0, "latin1");
  head.writeUInt32LE((4 + body.length) >>> 0, 4);
  head.write("WAVE", 8, "latin1");
  return Buffer.concat([head, body]);
}

function assert(ok: boolean, what: string): void {
  if (!ok) throw new Error(what);
}

/** Throws unless `fn` throws an InputError with this message. */
function refusesAlike(fn: () => unknown, message: string): void {
  try {
    fn();
  } catch (e) {
    if (isInputError(e) && e.message === message) return;
    throw e;
  }
  throw new Error(`accepted what parseWavHeader refused (${message})`);
}

/** The property: consistent audio, or an InputError. Anything else fails the run. */
function check(b: Buffer, maxSeconds: number): void {
  let info;
  try {
    info = parseWavHeader(b, maxSeconds);
  } catch (e) {
    if (!isInputError(e)) throw e;
    // The size estimate and the decoder must refuse the same input the same way.
    refusesAlike(() => audioSize(b, maxSeconds), e.message);
    refusesAlike(() => decodeWav(b, { maxSeconds }), e.message);
    return;
  }
  assert(info.frames > 0, "no frames");
  assert(info.dataOffset + info.frames * info.blockAlign <= b.length, "frames run past the buffer");
  assert(info.durationS <= maxSeconds + 1e-9, "longer than maxSeconds");
  try {
    const audio = decodeWav(b, { maxSeconds });
    assert(audio.samples.length === info.frames, "sample count differs from the header's frames");
    for (const v of audio.samples) assert(Number.isFinite(v), `non-finite sample ${v} returned`);
  } catch (e) {
    if (!isInputError(e)) throw e;
  }
}

describe("fuzz: WAV reader", () => {
  it(`structured headers with random fields: ${RUNS} inputs`, () => {
    fc.assert(fc.property(spec, (s) => check(build(s), s.maxSeconds)), { numRuns: RUNS });
  });

  it(`mutated valid files: ${RUNS} inputs`, () => {
    const pcm = build({ format: 1, subFormat: 1, guidOk: true, channels: 2, rate: 16000, bits: 16, alignDelta: 0, data: new Uint8Array(64).map((_, i) => i * 7), dataSize: null, fmtSize: null, before: [], riff: "RIFF", maxSeconds: 600 });
    const flt = build({ format: 0xfffe, subFormat: 3, guidOk: true, channels: 1, rate: 8000, bits: 32, alignDelta: 0, data: new Uint8Array(32).fill(0x3f), dataSize: null, fmtSize: null, before: [{ id: "LIST", body: new Uint8Array(3) }], riff: "RIFF", maxSeconds: 600 });
    fc.assert(fc.property(fc.oneof(mutated(pcm), mutated(flt)), (b) => check(b, 600)), { numRuns: RUNS });
  });

  it(`raw bytes, with and without a RIFF/WAVE prefix: ${RUNS} inputs`, () => {
    const raw = fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.uint8Array({ maxLength: 80 }).map((t) => Buffer.concat([Buffer.from("RIFF\u0000\u0000\u0000\u0000WAVE", "latin1"), t])));
    fc.assert(fc.property(raw, (b) => check(Buffer.from(b), 600)), { numRuns: RUNS });
  });
});
