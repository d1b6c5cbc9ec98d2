import "server-only";
import { db, pgPool } from "./client";

/**
 * Rows of uploaded files by content (lib/registry/blob-store.ts keeps the bytes and decides what goes where).
 * A blob row is written `complete = false` before its chunks and marked complete once they all are, so a crash
 * leaves an incomplete row for the sweep rather than a row that claims bytes the database does not hold.
 * Chunks are deterministic for a hash (fixed size, in order), so writing one twice — a retried or concurrent
 * upload of the same file — is a no-op rather than a conflict.
 */

export type BlobStorage = "file" | "db";

export interface BlobRow {
  sha256: string;
  bytes: number;
  storage: BlobStorage;
  complete: boolean;
  createdAt: Date;
}

const toRow = (r: { sha256: string; bytes: number; storage: string; complete: boolean; createdAt: Date }): BlobRow => ({
  ...r,
  storage: r.storage === "db" ? "db" : "file",
});

export async function findBlob(sha256: string): Promise<BlobRow | null> {
  const r = await db().modelBlob.findUnique({ where: { sha256 } });
  return r ? toRow(r) : null;
}

/** True when the blob's row is complete (its bytes are all stored). */
export async function blobExists(sha256: string): Promise<boolean> {
  return (await db().modelBlob.count({ where: { sha256, complete: true } })) > 0;
}

/** Starts (or restarts) a blob: an incomplete row. A complete row is left as it is. */
export async function beginBlob(sha256: string, bytes: number, storage: BlobStorage): Promise<void> {
  try {
    await db().modelBlob.upsert({ where: { sha256 }, create: { sha256, bytes, storage, complete: false }, update: {} });
  } catch (e) {
    // Prisma's upsert is a read then a write: another instance storing the same bytes may insert in between. Its row is ours.
    if ((e as { code?: string }).code !== "P2002") throw e;
  }
}

/** Stores one chunk; a chunk already there (same hash, same index: the same bytes) is kept. */
export async function appendBlobChunk(sha256: string, idx: number, data: Uint8Array): Promise<void> {
  const pool = pgPool();
  if (pool) {
    await pool.query('INSERT INTO "ModelBlobChunk" ("sha256", "idx", "data") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [sha256, idx, data]);
    return;
  }
  await db().$executeRaw`INSERT INTO "ModelBlobChunk" ("sha256", "idx", "data") VALUES (${sha256}, ${idx}, ${data}) ON CONFLICT DO NOTHING`;
}

/**
 * Marks a blob complete when its chunks are exactly `chunks` rows holding `bytes` bytes between them (storage
 * "db"), or at once (storage "file"). False when the chunks do not add up (the row stays incomplete).
 */
export async function markBlobComplete(sha256: string, expect: { bytes: number; chunks: number } | null): Promise<boolean> {
  if (expect) {
    const [got] = await db().$queryRaw<{ n: bigint | number; total: bigint | number | null }[]>`
      SELECT COUNT(*) AS "n", SUM(LENGTH("data")) AS "total" FROM "ModelBlobChunk" WHERE "sha256" = ${sha256}`;
    if (Number(got?.n ?? 0) !== expect.chunks || Number(got?.total ?? 0) !== expect.bytes) return false;
  }
  const r = await db().modelBlob.updateMany({ where: { sha256 }, data: { complete: true } });
  return r.count === 1;
}

/** A file-stored blob (SQLite): its bytes are already in place, so the row is written complete in one statement. */
export async function recordFileBlob(sha256: string, bytes: number): Promise<void> {
  await db().modelBlob.upsert({ where: { sha256 }, create: { sha256, bytes, storage: "file", complete: true }, update: { complete: true, bytes } });
}

/**
 * A blob's chunks in order, fetched one at a time (the next while the caller consumes this one), so a large file
 * never sits in memory whole. Ends at the first missing index.
 */
export async function* readBlobChunks(sha256: string): AsyncGenerator<Uint8Array> {
  const pool = pgPool();
  const fetch = (idx: number): Promise<Uint8Array | null> =>
    pool
      ? pool
          // As base64 text: pg's protocol reader has no binary mode, and base64 arrives ~2× faster than bytea's hex.
          .query<{ data: string }>(`SELECT encode("data", 'base64') AS "data" FROM "ModelBlobChunk" WHERE "sha256" = $1 AND "idx" = $2`, [sha256, idx])
          .then((r) => (r.rows[0] ? Buffer.from(r.rows[0].data, "base64") : null))
      : db()
          .modelBlobChunk.findUnique({ where: { sha256_idx: { sha256, idx } }, select: { data: true } })
          .then((r) => r?.data ?? null);
  let next = fetch(0);
  for (let idx = 0; ; idx++) {
    const data = await next;
    if (!data) return;
    next = fetch(idx + 1);
    // A consumer that stops early must not leave the prefetch's rejection unhandled.
    next.catch(() => undefined);
    yield data;
  }
}

/** Deletes a blob's row and chunks; true when there was a row. */
export async function deleteBlob(sha256: string): Promise<boolean> {
  const [, row] = await db().$transaction([
    db().modelBlobChunk.deleteMany({ where: { sha256 } }),
    db().modelBlob.deleteMany({ where: { sha256 } }),
  ]);
  return row.count > 0;
}

/** Hashes of incomplete blobs started before `before` (left by a crash or an abandoned upload). */
export async function incompleteBlobsBefore(before: Date): Promise<string[]> {
  const rows = await db().modelBlob.findMany({ where: { complete: false, createdAt: { lt: before } }, select: { sha256: true }, take: 1_000 });
  return rows.map((r) => r.sha256);
}
