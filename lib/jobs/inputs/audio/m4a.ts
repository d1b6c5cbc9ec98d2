/**
 * M4A (AAC or ALAC in MP4). The sample tables live in the `moov` box, which encoders write either before the
 * audio (`+faststart`) or after it (ffmpeg's default, most phones): neither order can be decoded as a byte stream
 * without holding the audio until `moov` arrives. So the top-level boxes are walked with positioned reads, `moov`
 * alone is read (a few MB even for hours: it is refused above MAX_MOOV_BYTES), and the access units are then read
 * from `mdat` by their offsets, in batches of up to 64 KiB, and fed to the decoder one batch at a time.
 *
 * The tables are walked here rather than by mp4box: mp4box builds one object per sample (hundreds of thousands
 * for a long recording), where stsz/stsc/stco are read in place.
 *
 * Decoding: @audio/decode-aac (FAAD2 compiled to WebAssembly). Its licence is GPL-2.0, unlike the rest of the
 * stack (MIT/Apache/BSD): it is used for M4A only, loaded only when an M4A job runs. Its `gapless()` turns the
 * edit list into the window that trims the encoder's priming and padding, as its whole-file decode does.
 */
import { decoder as aacDecoder, gapless, type GaplessWindow } from "@audio/decode-aac";
import { MAX_SAMPLE_RATE, MIN_SAMPLE_RATE } from "@/lib/models/vad/wav-header";
import { inputError } from "../errors";
import type { FileSlices } from "../file-slices";
import { SLICE_BYTES } from "./compressed";
import { mixToMono, type PcmSource } from "./pcm";

const MAX_MOOV_BYTES = 64 * 1024 * 1024;
/** Real files have a handful of top-level boxes; a hostile one could hold millions of empty ones. */
const MAX_TOP_BOXES = 10_000;

interface Box {
  type: string;
  /** body offset and length within the buffer */
  start: number;
  size: number;
}

function boxes(b: Uint8Array, from: number, to: number): Box[] {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Box[] = [];
  let pos = from;
  while (pos + 8 <= to) {
    let size = dv.getUint32(pos);
    const type = String.fromCharCode(b[pos + 4], b[pos + 5], b[pos + 6], b[pos + 7]);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > to) break;
      size = dv.getUint32(pos + 8) * 2 ** 32 + dv.getUint32(pos + 12);
      header = 16;
    } else if (size === 0) size = to - pos;
    if (size < header || pos + size > to) throw inputError("audio_invalid", `the M4A box '${type}' runs past its parent`);
    out.push({ type, start: pos + header, size: size - header });
    pos += size;
  }
  return out;
}

function child(b: Uint8Array, parent: Box | undefined, type: string, skip = 0): Box | undefined {
  return parent ? boxes(b, parent.start + skip, parent.start + parent.size).find((x) => x.type === type) : undefined;
}

function body(b: Uint8Array, box: Box | undefined): Uint8Array | undefined {
  return box ? b.subarray(box.start, box.start + box.size) : undefined;
}

/** The AudioSpecificConfig: the DecoderSpecificInfo (tag 5) inside the esds descriptors. */
function ascOf(esds: Uint8Array): Uint8Array | undefined {
  let at = 4; // version + flags
  while (at < esds.length - 2) {
    const tag = esds[at++];
    let len = 0;
    let byte: number;
    do {
      byte = esds[at++];
      len = (len << 7) | (byte & 0x7f);
    } while (byte & 0x80 && at < esds.length);
    if (tag === 0x03) at += 3 + (esds[at + 2] & 0x80 ? 2 : 0) + (esds[at + 2] & 0x40 ? 1 + esds[at + 3] : 0) + (esds[at + 2] & 0x20 ? 2 : 0);
    else if (tag === 0x04) at += 13;
    else if (tag === 0x05) return esds.subarray(at, at + len);
    else at += len;
  }
  return undefined;
}

interface Track {
  codec: { asc: Uint8Array } | { alac: Uint8Array };
  window: GaplessWindow | null;
  seconds: number;
  sizes: (i: number) => number;
  count: number;
  /** chunk offsets and the stsc runs: first chunk (0-based), samples per chunk */
  chunkOffset: (i: number) => number;
  chunks: number;
  runs: { first: number; perChunk: number }[];
}

function audioTrack(m: Uint8Array, moov: Box): Track {
  const dv = new DataView(m.buffer, m.byteOffset, m.byteLength);
  const mvhd = body(m, child(m, moov, "mvhd"));
  for (const trak of boxes(m, moov.start, moov.start + moov.size).filter((x) => x.type === "trak")) {
    const mdia = child(m, trak, "mdia");
    const hdlr = body(m, child(m, mdia, "hdlr"));
    if (!hdlr || String.fromCharCode(...hdlr.subarray(8, 12)) !== "soun") continue;
    const mdhdBox = child(m, mdia, "mdhd");
    const stbl = child(m, child(m, mdia, "minf"), "stbl");
    const stsd = child(m, stbl, "stsd");
    // stsd: version/flags(4) count(4), then sample entries; an AudioSampleEntry's children follow its 28 bytes.
    const entry = stsd ? boxes(m, stsd.start + 8, stsd.start + stsd.size)[0] : undefined;
    if (!entry || !mdhdBox) continue;
    // QuickTime sound descriptions version 1 and 2 (older iTunes files) carry 16 or 36 more bytes before children.
    const version = dv.getUint16(entry.start + 8);
    const fields = 28 + (version === 1 ? 16 : version === 2 ? 36 : 0);
    let codec: Track["codec"];
    if (entry.type === "mp4a") {
      const esds = body(m, child(m, entry, "esds", fields));
      const asc = esds && ascOf(esds);
      if (!asc) throw inputError("audio_invalid", "the M4A audio track has no decoder configuration (esds)");
      codec = { asc };
    } else if (entry.type === "alac") {
      const cookie = body(m, child(m, entry, "alac", fields));
      if (!cookie) throw inputError("audio_invalid", "the M4A ALAC track has no decoder configuration");
      codec = { alac: cookie };
    } else {
      throw inputError("unsupported_media_type", `M4A with '${entry.type}' audio is not supported (AAC or ALAC only)`);
    }
    const stsz = child(m, stbl, "stsz");
    const stsc = child(m, stbl, "stsc");
    const stco = child(m, stbl, "stco") ?? child(m, stbl, "co64");
    if (!stsz || !stsc || !stco) throw inputError("audio_invalid", "the M4A audio track has no sample tables (a fragmented MP4 is not supported)");
    const fixed = dv.getUint32(stsz.start + 4);
    const count = dv.getUint32(stsz.start + 8);
    if (fixed === 0 && stsz.size < 12 + 4 * count) throw inputError("audio_invalid", "the M4A sample size table is truncated");
    const wide = stco.type === "co64";
    const chunks = dv.getUint32(stco.start + 4);
    if (stco.size < 8 + chunks * (wide ? 8 : 4)) throw inputError("audio_invalid", "the M4A chunk offset table is truncated");
    const runCount = dv.getUint32(stsc.start + 4);
    if (stsc.size < 8 + runCount * 12) throw inputError("audio_invalid", "the M4A sample-to-chunk table is truncated");
    const runs = Array.from({ length: runCount }, (_, i) => ({ first: dv.getUint32(stsc.start + 8 + i * 12) - 1, perChunk: dv.getUint32(stsc.start + 12 + i * 12) }));
    const mdhd = body(m, mdhdBox)!;
    const v1 = mdhd[0] === 1;
    const timescale = dv.getUint32(mdhdBox.start + (v1 ? 20 : 12));
    const duration = v1 ? dv.getUint32(mdhdBox.start + 24) * 2 ** 32 + dv.getUint32(mdhdBox.start + 28) : dv.getUint32(mdhdBox.start + 16);
    const window = gapless({
      elst: body(m, child(m, child(m, trak, "edts"), "elst")),
      mdhd,
      stts: body(m, child(m, stbl, "stts")),
      mvhd,
      ...codec,
    });
    const full = timescale > 0 ? duration / timescale : 0;
    return {
      codec,
      window,
      seconds: window?.duration ?? Math.max(0, full - (window?.start ?? 0)),
      count,
      sizes: fixed ? () => fixed : (i) => dv.getUint32(stsz.start + 12 + 4 * i),
      chunks,
      chunkOffset: wide ? (i) => dv.getUint32(stco.start + 8 + 8 * i) * 2 ** 32 + dv.getUint32(stco.start + 12 + 8 * i) : (i) => dv.getUint32(stco.start + 8 + 4 * i),
      runs,
    };
  }
  throw inputError("audio_invalid", "the M4A file has no audio track");
}

interface AacDecoder {
  decode(data: Uint8Array | Uint8Array[]): { channelData: Float32Array[]; sampleRate: number };
  flush(): { channelData: Float32Array[]; sampleRate: number };
  free(): void;
}

export class M4aSource implements PcmSource {
  sampleRate = 0;
  channels = 0;
  readonly seconds: number;
  readonly exact = true;
  private sample = 0;
  private chunk = 0;
  private inChunk = 0;
  private run = 0;
  private offset = 0;
  private flushed = false;
  private pending: Float32Array | null = null;

  private constructor(
    private readonly file: FileSlices,
    private readonly track: Track,
    private readonly dec: AacDecoder,
  ) {
    this.seconds = track.seconds;
    this.offset = track.chunks > 0 ? track.chunkOffset(0) : 0;
  }

  static async open(file: FileSlices): Promise<M4aSource> {
    let moov: Uint8Array | null = null;
    let pos = 0;
    for (let n = 0; pos + 8 <= file.size && n < MAX_TOP_BOXES; n++) {
      const h = await file.read(pos, 16);
      const dv = new DataView(h.buffer, h.byteOffset, h.byteLength);
      let size = dv.getUint32(0);
      const type = String.fromCharCode(h[4], h[5], h[6], h[7]);
      if (size === 1 && h.length >= 16) size = dv.getUint32(8) * 2 ** 32 + dv.getUint32(12);
      else if (size === 0) size = file.size - pos;
      if (size < 8) throw inputError("audio_invalid", `the M4A top-level box '${type}' has an invalid size`);
      if (type === "moov") {
        if (size > MAX_MOOV_BYTES) throw inputError("audio_invalid", `the M4A moov box is ${size} bytes; the limit is ${MAX_MOOV_BYTES}`);
        moov = await file.read(pos, size);
        if (moov.length < size) throw inputError("audio_invalid", "the M4A file is truncated inside its moov box");
        break;
      }
      pos += size;
    }
    if (!moov) throw inputError("audio_invalid", "the M4A file has no moov box (truncated, or a fragmented MP4)");
    const top = boxes(moov, 0, moov.length)[0];
    const track = audioTrack(moov, top);
    if (track.count === 0) throw inputError("empty_input", "the M4A audio track holds no samples");
    let dec: AacDecoder;
    try {
      dec = (await aacDecoder({ ...track.codec, ...(track.window ? { gapless: track.window } : {}) })) as AacDecoder;
    } catch (e) {
      throw inputError("audio_invalid", `the M4A decoder configuration is invalid: ${e instanceof Error ? e.message : String(e)}`);
    }
    const s = new M4aSource(file, track, dec);
    try {
      let first: Float32Array | null;
      for (first = await s.decodeNext(); first && first.length === 0; first = await s.decodeNext());
      if (!first) throw inputError("audio_invalid", "the M4A file holds no decodable audio");
      s.pending = first;
      return s;
    } catch (e) {
      await s.close();
      throw e;
    }
  }

  /** The next batch of access units (contiguous in the file, at most SLICE_BYTES), or null at the end. */
  private async nextBatch(): Promise<Uint8Array[] | null> {
    const t = this.track;
    if (this.sample >= t.count) return null;
    const sizes: number[] = [];
    let bytes = 0;
    const start = this.offset;
    while (this.sample < t.count && (sizes.length === 0 || bytes + t.sizes(this.sample) <= SLICE_BYTES)) {
      if (this.chunk >= t.chunks) throw inputError("audio_invalid", "the M4A sample tables disagree (more samples than chunks hold)");
      const size = t.sizes(this.sample);
      sizes.push(size);
      bytes += size;
      this.sample++;
      this.offset += size;
      // Advance through the chunk; the next chunk may start anywhere, which ends this contiguous batch.
      while (this.run + 1 < t.runs.length && t.runs[this.run + 1].first <= this.chunk) this.run++;
      if (++this.inChunk >= (t.runs[this.run]?.perChunk ?? 1)) {
        this.inChunk = 0;
        this.chunk++;
        if (this.chunk < t.chunks) {
          const next = t.chunkOffset(this.chunk);
          if (next !== this.offset) {
            this.offset = next;
            break;
          }
        }
      }
    }
    if (start + bytes > this.file.size) throw inputError("audio_invalid", "the M4A file is truncated: its audio data ends early");
    const data = await this.file.read(start, bytes);
    const units: Uint8Array[] = [];
    for (let i = 0, at = 0; i < sizes.length; at += sizes[i], i++) units.push(data.subarray(at, at + sizes[i]));
    return units;
  }

  private async decodeNext(): Promise<Float32Array | null> {
    const batch = await this.nextBatch();
    let out: { channelData: Float32Array[]; sampleRate: number };
    try {
      if (batch) out = this.dec.decode(batch);
      else if (!this.flushed) {
        this.flushed = true;
        out = this.dec.flush();
      } else return null;
    } catch (e) {
      throw inputError("audio_invalid", `the M4A audio cannot be decoded near sample ${this.sample}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const n = out.channelData[0]?.length ?? 0;
    if (n === 0) return new Float32Array(0);
    if (this.sampleRate === 0) {
      if (out.sampleRate < MIN_SAMPLE_RATE || out.sampleRate > MAX_SAMPLE_RATE) {
        throw inputError("unsupported_media_type", `M4A sample rate ${out.sampleRate} Hz is outside ${MIN_SAMPLE_RATE}..${MAX_SAMPLE_RATE} Hz`);
      }
      this.sampleRate = out.sampleRate;
      this.channels = out.channelData.length;
    } else if (out.sampleRate !== this.sampleRate) {
      throw inputError("audio_invalid", `the M4A sample rate changes mid-stream (${this.sampleRate} → ${out.sampleRate} Hz)`);
    }
    return mixToMono(out.channelData, n);
  }

  async read(): Promise<Float32Array | null> {
    if (this.pending) {
      const p = this.pending;
      this.pending = null;
      return p;
    }
    for (;;) {
      const block = await this.decodeNext();
      if (!block) return null;
      if (block.length > 0) return block;
    }
  }

  async close(): Promise<void> {
    try {
      this.dec.free();
    } catch {
      // already freed
    }
    await this.file.close();
  }
}
