import "server-only";
import fsp from "node:fs/promises";
import path from "node:path";
import { env } from "@/lib/config/env";
import {
  appendBlobChunk,
  beginBlob,
  blobExists,
  deleteBlob,
  findBlob,
  incompleteBlobsBefore,
  markBlobComplete,
  readBlobChunks,
  recordFileBlob,
} from "@/lib/db/model-blobs";
import { dbTarget } from "@/lib/db/url";
import { log } from "@/lib/log";
import { isDomainError, ServiceError } from "@/lib/models/errors";
import { modelsDir } from "@/lib/models/weights";
import {
  blobPath,
  forgetVerified,
  hashFile,
  incomingDir,
  isVerified,
  rememberVerified,
  SHA256_HEX,
  statOrNull,
  streamToFile,
  tempPath,
} from "./blob-file";

/**
 * Uploaded files by content (SHA-256). Every upload is streamed to a temp file while it is hashed and counted,
 * then renamed to modelsDir()/<sha256>. On SQLite that file is the store. On PostgreSQL the bytes also go to the
 * database in 4 MiB rows (ModelBlobChunk) before the blob is marked complete, and the file is only this instance's
 * cache: ensureLocal() fetches it from the database on any instance that lacks it (or holds a corrupt copy).
 */

/** Rows of at most 4 MiB: well under PostgreSQL's 1 GB value limit, and one row in flight costs little memory. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

export interface PutBlobResult {
  sha256: string;
  bytes: number;
  /** The verified local copy. */
  path: string;
  /** The same content was already stored (complete): nothing was written to the database. */
  existed: boolean;
}

const onPostgres = () => dbTarget().provider === "postgres";

/** PARETO_MAX_MODEL_MB in bytes: the `maxBytes` upload routes pass to putBlob. */
export function maxModelBytes(): number {
  return Math.floor(env.maxModelMb() * 1024 * 1024);
}

function checkSha(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) throw new ServiceError("validation_error", "A blob is named by 64 lowercase hex digits (SHA-256).", { param: "sha256" });
}

function unavailable(sha256: string, why: string): ServiceError {
  return new ServiceError("model_unavailable", `Model file ${sha256.slice(0, 12)}… is not available on this instance: ${why}.`);
}

/** Copies a complete temp file into the database in CHUNK_BYTES rows, then marks the blob complete. */
async function storeInDatabase(file: string, sha256: string, bytes: number): Promise<void> {
  await beginBlob(sha256, bytes, "db");
  const chunks = Math.ceil(bytes / CHUNK_BYTES);
  const fh = await fsp.open(file, "r");
  // Two rows in flight (on two pooled connections): the next is sent while the database writes the previous.
  let inFlight: Promise<void> | null = null;
  try {
    for (let idx = 0; idx < chunks; idx++) {
      const len = Math.min(CHUNK_BYTES, bytes - idx * CHUNK_BYTES);
      // A fresh buffer per row: the driver still holds the previous one.
      const buf = Buffer.allocUnsafe(len);
      const { bytesRead } = await fh.read(buf, 0, len, idx * CHUNK_BYTES);
      if (bytesRead !== len) throw new Error(`temp file ${file} shrank while it was stored`);
      const write = appendBlobChunk(sha256, idx, buf);
      write.catch(() => undefined); // awaited below; a failure of the previous one must not leave it unhandled
      if (inFlight) await inFlight;
      inFlight = write;
    }
    await inFlight;
  } finally {
    await fh.close();
  }
  if (!(await markBlobComplete(sha256, { bytes, chunks }))) throw new Error(`blob ${sha256} was not stored whole (its chunks do not add up)`);
}

/**
 * Stores an uploaded file. Over `maxBytes` → `model_too_large` and an empty stream → `invalid_model`, both with
 * nothing left behind. Identical content is stored once (`existed: true`, the database untouched).
 */
export async function putBlob(source: AsyncIterable<Uint8Array> | NodeJS.ReadableStream, opts: { maxBytes: number }): Promise<PutBlobResult> {
  const pg = onPostgres();
  const tmp = await tempPath();
  const { sha256, bytes } = await streamToFile(source as AsyncIterable<Uint8Array | string>, tmp, { maxBytes: opts.maxBytes, durable: !pg });
  const file = blobPath(sha256);
  try {
    if (bytes === 0) throw new ServiceError("invalid_model", "The model file is empty.");
    // The same bytes arriving twice at once (two parts of one form, two uploads) are stored one after the other.
    return await oneAtATime(sha256, () => place(pg, tmp, file, sha256, bytes));
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

const gp = globalThis as unknown as { __paretoBlobPuts?: Map<string, Promise<unknown>> };

function oneAtATime<T>(sha256: string, work: () => Promise<T>): Promise<T> {
  const puts = (gp.__paretoBlobPuts ??= new Map());
  const run = (puts.get(sha256) ?? Promise.resolve()).catch(() => undefined).then(work);
  puts.set(sha256, run);
  void run.finally(() => puts.get(sha256) === run && puts.delete(sha256)).catch(() => undefined);
  return run;
}

async function place(pg: boolean, tmp: string, file: string, sha256: string, bytes: number): Promise<PutBlobResult> {
  const existed = await blobExists(sha256);
  if (pg && !existed) await storeInDatabase(tmp, sha256, bytes);
  // SQLite: an incomplete row first, so a crash between the rename and the row leaves something the sweep finds.
  if (!pg) await beginBlob(sha256, bytes, "file");
  // Atomic; a file already there holds these very bytes (or is corrupt, and is replaced by good ones).
  await fsp.rename(tmp, file);
  rememberVerified(file, await fsp.stat(file));
  if (!pg) await recordFileBlob(sha256, bytes);
  return { sha256, bytes, path: file, existed };
}

const g = globalThis as unknown as { __paretoBlobFetches?: Map<string, Promise<string>> };
const fetches = () => (g.__paretoBlobFetches ??= new Map());

/** Streams the database's copy into place, checked against its hash and size before anyone can open it. */
async function fetchFromDatabase(sha256: string, file: string): Promise<void> {
  const row = await findBlob(sha256);
  if (!row?.complete || row.storage !== "db") throw unavailable(sha256, "it is not in the database");
  const tmp = await tempPath();
  try {
    const got = await streamToFile(readBlobChunks(sha256), tmp, { maxBytes: row.bytes });
    if (got.sha256 !== sha256 || got.bytes !== row.bytes) throw unavailable(sha256, "the database's copy does not match its hash");
    await fsp.rename(tmp, file);
  } catch (e) {
    // The stored row is the size cap here: a longer copy is as corrupt as one with the wrong hash.
    if (isDomainError(e) && e.code === "model_too_large") throw unavailable(sha256, "the database's copy is longer than recorded");
    throw e;
  } finally {
    await fsp.rm(tmp, { force: true });
  }
}

async function localCopy(sha256: string, file: string): Promise<string> {
  const st = await statOrNull(file);
  if (st && isVerified(file, st)) return file;
  if (st && (await hashFile(file)) === sha256) {
    rememberVerified(file, st);
    return file;
  }
  forgetVerified(file);
  const pg = onPostgres();
  if (st) {
    log("warn", "model file does not match its hash", { sha256, path: file, action: pg ? "fetched again from the database" : "refused" });
    // On SQLite the file is the store: kept for the operator to inspect (a re-upload replaces it).
    if (!pg) throw unavailable(sha256, "the stored file does not match its hash");
    await fsp.rm(file, { force: true });
  }
  if (!pg) throw unavailable(sha256, "the file is missing");
  await fetchFromDatabase(sha256, file);
  rememberVerified(file, await fsp.stat(file));
  return file;
}

/**
 * The path of a verified local copy of a blob, fetched from the database when this instance lacks it (PostgreSQL).
 * Concurrent calls for one file share one check or download. Missing or corrupt beyond repair → model_unavailable.
 */
export function ensureLocal(sha256: string): Promise<string> {
  try {
    checkSha(sha256);
  } catch (e) {
    return Promise.reject(e);
  }
  const file = blobPath(sha256);
  let p = fetches().get(file);
  if (!p) {
    p = localCopy(sha256, file).finally(() => fetches().delete(file));
    fetches().set(file, p);
  }
  return p;
}

/** Deletes a blob everywhere this instance can reach: its rows (chunks included) and its local file. */
export async function removeBlob(sha256: string): Promise<void> {
  checkSha(sha256);
  await deleteBlob(sha256);
  const file = blobPath(sha256);
  forgetVerified(file);
  await fsp.rm(file, { force: true });
}

async function entriesOlderThan(dir: string, before: number, keep: (name: string) => boolean): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const old: string[] = [];
  for (const name of names.filter(keep)) {
    const st = await statOrNull(path.join(dir, name));
    if (st?.isFile() && st.mtimeMs < before) old.push(name);
  }
  return old;
}

export interface SweepResult {
  /** Temp files of uploads or downloads that never finished. */
  tempFiles: number;
  /** Incomplete blob rows (and their chunks). */
  incompleteBlobs: number;
  /** Local files no blob row names any more (removed through another instance, or a crash before the row). */
  orphanFiles: number;
}

/** Clears what crashes and abandoned uploads leave behind, when it is older than `olderThanMs`. */
export async function sweepIncompleteBlobs(olderThanMs: number): Promise<SweepResult> {
  const before = Date.now() - olderThanMs;
  const temps = await entriesOlderThan(incomingDir(), before, () => true);
  for (const name of temps) await fsp.rm(path.join(incomingDir(), name), { force: true });
  const rows = await incompleteBlobsBefore(new Date(before));
  for (const sha256 of rows) await removeBlob(sha256);
  let orphanFiles = 0;
  for (const name of await entriesOlderThan(modelsDir(), before, (n) => SHA256_HEX.test(n))) {
    if (await findBlob(name)) continue;
    await removeBlob(name);
    orphanFiles++;
  }
  if (temps.length || rows.length || orphanFiles) log("info", "blob sweep", { tempFiles: temps.length, incompleteBlobs: rows.length, orphanFiles });
  return { tempFiles: temps.length, incompleteBlobs: rows.length, orphanFiles };
}
