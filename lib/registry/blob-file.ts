import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { ServiceError } from "@/lib/models/errors";
import { modelsDir } from "@/lib/models/weights";

/**
 * The local side of the blob store: files named by their SHA-256 under modelsDir(), written through temp files in
 * `.incoming/` (same file system, so the final rename is atomic and a reader never sees half a file), and a
 * per-process record of which files were verified so their hash is not recomputed on every load.
 */

export const SHA256_HEX = /^[0-9a-f]{64}$/;
const MIB = 1024 * 1024;

export function blobPath(sha256: string): string {
  return path.join(modelsDir(), sha256);
}

export function incomingDir(): string {
  return path.join(modelsDir(), ".incoming");
}

export async function tempPath(): Promise<string> {
  const dir = incomingDir();
  await fsp.mkdir(dir, { recursive: true });
  return path.join(dir, `${randomUUID()}.part`);
}

function tooLarge(maxBytes: number): ServiceError {
  const mb = Number((maxBytes / MIB).toFixed(2));
  return new ServiceError("model_too_large", `The model file is larger than PARETO_MAX_MODEL_MB (${mb} MB).`);
}

/** FileHandle.write may write less than asked; loop until the whole buffer is out. */
async function writeAll(fh: fsp.FileHandle, buf: Uint8Array): Promise<void> {
  for (let off = 0; off < buf.byteLength; ) off += (await fh.write(buf, off, buf.byteLength - off)).bytesWritten;
}

/**
 * Streams `source` into a new file at `file`, hashing and counting as it goes (never holding it whole). Over
 * `maxBytes` (checked before the offending bytes are written) → `model_too_large`; `expect` set → the bytes must
 * hash to it. Any failure deletes the file. `durable` syncs it to disk before returning (it becomes the store).
 */
export async function streamToFile(
  source: AsyncIterable<Uint8Array | string>,
  file: string,
  opts: { maxBytes: number; durable?: boolean },
): Promise<{ sha256: string; bytes: number }> {
  const fh = await fsp.open(file, "wx");
  const hash = createHash("sha256");
  let bytes = 0;
  try {
    for await (const part of source) {
      const buf = typeof part === "string" ? Buffer.from(part) : part;
      bytes += buf.byteLength;
      // Leaving the loop closes the source (a request body is destroyed rather than read to its end).
      if (bytes > opts.maxBytes) throw tooLarge(opts.maxBytes);
      hash.update(buf);
      await writeAll(fh, buf);
    }
    if (opts.durable) await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(file, { force: true });
    throw e;
  }
  return { sha256: hash.digest("hex"), bytes };
}

export async function hashFile(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const part of fs.createReadStream(file, { highWaterMark: MIB })) hash.update(part as Buffer);
  return hash.digest("hex");
}

export async function statOrNull(file: string): Promise<fs.Stats | null> {
  try {
    return await fsp.stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw e;
  }
}

interface Verified {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** Process-wide (Next.js gives each layer its own copy of lib/): files whose hash was checked, as they were then. */
const g = globalThis as unknown as { __paretoVerifiedBlobs?: Map<string, Verified> };
const verified = () => (g.__paretoVerifiedBlobs ??= new Map());

/** True when `file` was verified and has not been replaced or rewritten since (same inode, size and mtime). */
export function isVerified(file: string, st: fs.Stats): boolean {
  const v = verified().get(file);
  return v !== undefined && v.size === st.size && v.mtimeMs === st.mtimeMs && v.ino === st.ino;
}

export function rememberVerified(file: string, st: fs.Stats): void {
  verified().set(file, { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
}

export function forgetVerified(file: string): void {
  verified().delete(file);
}
