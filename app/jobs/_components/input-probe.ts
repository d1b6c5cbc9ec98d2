/**
 * What the playground needs to know about a chosen file before a synchronous call, read from its first bytes (no
 * decoding): a PDF, a TIFF and how many pages it has (more than one is a job), a WAV and how long it is (longer
 * than the synchronous limit is a job), or another recording format (the synchronous API takes WAV only).
 */
export type Probe = { kind: "pdf" } | { kind: "tiff"; pages: number } | { kind: "wav"; seconds: number | null } | { kind: "audio" } | { kind: "other" };

const ascii = (b: Uint8Array, at: number, n: number) => String.fromCharCode(...b.subarray(at, at + n));

/** The WAV's duration from its `fmt ` byte rate and `data` size (the rest of the file when the size is unset). */
export function wavSeconds(head: Uint8Array, fileBytes: number): number | null {
  const v = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let byteRate = 0;
  for (let at = 12; at + 8 <= head.length; ) {
    const id = ascii(head, at, 4);
    const size = v.getUint32(at + 4, true);
    if (id === "fmt " && at + 16 <= head.length) byteRate = v.getUint32(at + 8 + 8, true);
    if (id === "data") {
      if (!byteRate) return null;
      const data = size === 0 || size === 0xffffffff || at + 8 + size > fileBytes ? fileBytes - at - 8 : size;
      return data / byteRate;
    }
    at += 8 + size + (size & 1);
  }
  return null;
}

/** Reads `n` bytes at `at` of a blob. */
async function read(blob: Blob, at: number, n: number): Promise<Uint8Array> {
  return new Uint8Array(await blob.slice(at, at + n).arrayBuffer());
}

/** A TIFF's page count, following its IFD chain (stops at `most`: the caller only asks "more than one?"). */
export async function tiffPages(blob: Blob, most = 2): Promise<number> {
  const h = await read(blob, 0, 8);
  const le = h[0] === 0x49;
  const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  let off = dv(h).getUint32(4, le);
  let pages = 0;
  const seen = new Set<number>();
  while (off && pages < most && !seen.has(off) && off + 2 <= blob.size) {
    seen.add(off);
    pages++;
    const count = dv(await read(blob, off, 2)).getUint16(0, le);
    const next = await read(blob, off + 2 + count * 12, 4);
    if (next.length < 4) break;
    off = dv(next).getUint32(0, le);
  }
  return pages;
}

export async function probe(blob: Blob, name: string): Promise<Probe> {
  const head = await read(blob, 0, 64 * 1024);
  if (ascii(head, 0, 5) === "%PDF-") return { kind: "pdf" };
  const magic = ascii(head, 0, 4);
  if (magic === "II*\u0000" || magic === "MM\u0000*") return { kind: "tiff", pages: await tiffPages(blob) };
  if (magic === "RIFF" && ascii(head, 8, 4) === "WAVE") return { kind: "wav", seconds: wavSeconds(head, blob.size) };
  if (magic === "fLaC" || magic === "OggS" || ascii(head, 0, 3) === "ID3" || (head[0] === 0xff && (head[1] & 0xe0) === 0xe0) || ascii(head, 4, 4) === "ftyp") return { kind: "audio" };
  return /\.(flac|mp3|ogg|oga|opus|m4a|aac)$/i.test(name) ? { kind: "audio" } : { kind: "other" };
}
