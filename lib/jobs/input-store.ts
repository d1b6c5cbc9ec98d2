import "server-only";
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/config/env";
import { dbTarget } from "@/lib/db/url";
import { appendInputChunk, countInputChunks, deleteInputChunks, readInputChunk } from "@/lib/db/jobs";
import { ServiceError } from "@/lib/models/errors";

/**
 * A job's input file. It is streamed to data/jobs/<id>/input as it arrives (hashed and counted, never held whole).
 * On SQLite that file is the store: one instance runs everything. On PostgreSQL several instances share the queue,
 * so the bytes also go to the database (JobBlobChunk, 4 MiB rows) before the job is queued, and the file is only
 * this instance's copy: an instance that claims a job it lacks the file of fetches it first (ensureLocalInput).
 */

const CHUNK_BYTES = 4 * 1024 * 1024;
/** Enough of the head to tell the format by its magic bytes. */
export const HEAD_BYTES = 64;

export function jobsDir(): string {
  return path.join(env.dataDir(), "jobs");
}

export function inputPath(jobId: string): string {
  return path.join(jobsDir(), jobId, "input");
}

const onPostgres = () => dbTarget().provider === "postgres";

export function maxJobBytes(): number {
  return Math.floor(env.maxJobMb() * 1024 * 1024);
}

export function tooLarge(): ServiceError {
  return new ServiceError("payload_too_large", `The file is larger than this server's job limit of ${env.maxJobMb()} MB (PARETO_MAX_JOB_MB).`, { param: "file" });
}

export interface StoredInput {
  file: string;
  bytes: number;
  sha256: string;
  head: Uint8Array;
}

/** Streams an upload into the job's folder; over the limit → 413 (the partial file is removed). */
export async function storeInput(jobId: string, source: AsyncIterable<Uint8Array | string>): Promise<StoredInput> {
  const file = inputPath(jobId);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const fh = await fsp.open(file, "wx");
  const hash = createHash("sha256");
  const max = maxJobBytes();
  const head = new Uint8Array(HEAD_BYTES);
  let bytes = 0;
  try {
    for await (const part of source) {
      const buf = typeof part === "string" ? Buffer.from(part) : part;
      if (bytes < HEAD_BYTES) head.set(buf.subarray(0, HEAD_BYTES - bytes), bytes);
      bytes += buf.byteLength;
      if (bytes > max) throw tooLarge();
      hash.update(buf);
      let off = 0;
      while (off < buf.byteLength) off += (await fh.write(buf, off, buf.byteLength - off)).bytesWritten;
    }
    await fh.sync();
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await removeLocalInput(jobId);
    throw e;
  }
  return { file, bytes, sha256: hash.digest("hex"), head: head.subarray(0, Math.min(bytes, HEAD_BYTES)) };
}

/** PostgreSQL: copies the stored file into the database, so any instance can run the job. No-op on SQLite. */
export async function shareInput(jobId: string): Promise<void> {
  if (!onPostgres()) return;
  const fh = await fsp.open(inputPath(jobId), "r");
  try {
    const buf = Buffer.alloc(CHUNK_BYTES);
    for (let index = 0; ; index++) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK_BYTES, index * CHUNK_BYTES);
      if (bytesRead === 0) break;
      await appendInputChunk(jobId, index, buf.subarray(0, bytesRead));
      if (bytesRead < CHUNK_BYTES) break;
    }
  } finally {
    await fh.close();
  }
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const part of fs.createReadStream(file, { highWaterMark: 1024 * 1024 })) hash.update(part as Buffer);
  return hash.digest("hex");
}

/**
 * The job's input on this instance, fetched from the database when this instance lacks it (a job another instance
 * accepted, or resumed after its instance died). A local copy was hashed as it was written or fetched; here it is
 * only checked for its size (hashing 512 MB on every read would cost the cores interactive requests need).
 * Concurrent fetches each write their own temp file; the last rename wins with the same bytes.
 */
export async function ensureLocalInput(jobId: string, sha256: string, bytes: number): Promise<string> {
  const file = inputPath(jobId);
  const st = await fsp.stat(file).catch(() => null);
  if (st && st.size === bytes) return file;
  if (!onPostgres()) throw new ServiceError("unavailable", `The input file of job ${jobId} is missing from ${jobsDir()}.`);
  const chunks = await countInputChunks(jobId);
  if (chunks === 0) throw new ServiceError("unavailable", `The input file of job ${jobId} is not stored.`);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${randomUUID()}.part`;
  const fh = await fsp.open(temp, "wx");
  try {
    for (let i = 0; i < chunks; i++) {
      const data = await readInputChunk(jobId, i);
      if (!data) throw new ServiceError("unavailable", `Chunk ${i} of job ${jobId}'s input is missing.`);
      await fh.write(data);
    }
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
    throw e;
  }
  if ((await hashOf(temp)) !== sha256) {
    await fsp.rm(temp, { force: true });
    throw new ServiceError("unavailable", `Job ${jobId}'s stored input does not match its SHA-256.`);
  }
  await fsp.rename(temp, file);
  return file;
}

export async function removeLocalInput(jobId: string): Promise<void> {
  await fsp.rm(path.join(jobsDir(), jobId), { recursive: true, force: true });
}

/** Deletes the input everywhere (retention, a refused submission). */
export async function removeInput(jobId: string): Promise<void> {
  await removeLocalInput(jobId);
  if (onPostgres()) await deleteInputChunks(jobId);
}
