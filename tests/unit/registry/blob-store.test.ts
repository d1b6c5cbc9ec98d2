/**
 * The blob store on a real database and real files: SQLite by default, PostgreSQL with PARETO_TEST_DATABASE_URL
 * (then each run gets a fresh database of its own). "Another instance" is another data folder against the same
 * database: on PostgreSQL it fetches what the first stored; on SQLite the folder is the store, so it cannot.
 */
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openFreshDatabase, type OpenDatabase } from "../../support/fresh-db";

let store: typeof import("@/lib/registry/blob-store");
let client: OpenDatabase["client"];
let database: OpenDatabase | undefined;
let pg = false;
let firstDir = "";
const MIB = 1024 * 1024;

beforeAll(async () => {
  database = await openFreshDatabase();
  ({ client } = database);
  pg = database.url.startsWith("postgres");
  firstDir = database.dataDir;
  store = await import("@/lib/registry/blob-store");
});

afterAll(async () => {
  await database?.close();
});

beforeEach(() => {
  process.env.PARETO_DATA_DIR = firstDir;
});

/** `bytes` in slices of `slice` bytes, as a request body arrives. */
async function* slices(bytes: Buffer, slice = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let off = 0; off < bytes.length; off += slice) yield bytes.subarray(off, off + slice);
}

const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const incoming = (dir = firstDir) => path.join(dir, "models", ".incoming");
const leftovers = (dir = firstDir) => (fs.existsSync(incoming(dir)) ? fs.readdirSync(incoming(dir)) : []);
const otherInstance = () => (process.env.PARETO_DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-instance-b-")));
const chunkRows = async (h: string) => client.db().modelBlobChunk.count({ where: { sha256: h } });

describe("putBlob / ensureLocal / removeBlob", () => {
  it("stores a file by its hash (three database rows on PostgreSQL), finds it again, and removes it everywhere", async () => {
    const bytes = randomBytes(2 * store.CHUNK_BYTES + 123);
    const put = await store.putBlob(slices(bytes), { maxBytes: 64 * MIB });
    expect(put).toEqual({ sha256: sha(bytes), bytes: bytes.length, path: path.join(firstDir, "models", sha(bytes)), existed: false });
    expect(fs.readFileSync(put.path).equals(bytes)).toBe(true);
    expect(leftovers()).toEqual([]);
    const row = await client.db().modelBlob.findUnique({ where: { sha256: put.sha256 } });
    expect(row).toMatchObject({ bytes: bytes.length, storage: pg ? "db" : "file", complete: true });
    expect(await chunkRows(put.sha256)).toBe(pg ? 3 : 0);
    expect(await store.ensureLocal(put.sha256)).toBe(put.path);

    await store.removeBlob(put.sha256);
    expect(fs.existsSync(put.path)).toBe(false);
    expect(await client.db().modelBlob.count({ where: { sha256: put.sha256 } })).toBe(0);
    expect(await chunkRows(put.sha256)).toBe(0);
    await expect(store.ensureLocal(put.sha256)).rejects.toMatchObject({ code: "model_unavailable" });
  });

  it("stores identical content once: the second upload is a no-op reported as existing", async () => {
    const bytes = randomBytes(store.CHUNK_BYTES + 1);
    const a = await store.putBlob(slices(bytes), { maxBytes: 64 * MIB });
    const b = await store.putBlob(Readable.from(slices(bytes, 10_000)), { maxBytes: 64 * MIB });
    expect(a.existed).toBe(false);
    expect(b).toEqual({ ...a, existed: true });
    expect(await client.db().modelBlob.count({ where: { sha256: a.sha256 } })).toBe(1);
    expect(await chunkRows(a.sha256)).toBe(pg ? 2 : 0);
    expect(fs.readdirSync(path.join(firstDir, "models")).filter((n) => n === a.sha256)).toHaveLength(1);
    expect(leftovers()).toEqual([]);
  });

  it("stores identical content arriving at once (two parts of one upload form) once, without an error", async () => {
    const bytes = randomBytes(store.CHUNK_BYTES + 7);
    const [a, b] = await Promise.all([store.putBlob(slices(bytes), { maxBytes: 64 * MIB }), store.putBlob(slices(bytes, 30_000), { maxBytes: 64 * MIB })]);
    expect(a.sha256).toBe(b.sha256);
    expect([a.existed, b.existed].sort()).toEqual([false, true]);
    expect(await client.db().modelBlob.findUnique({ where: { sha256: a.sha256 } })).toMatchObject({ complete: true });
    expect(await chunkRows(a.sha256)).toBe(pg ? 2 : 0);
    expect(leftovers()).toEqual([]);
  });

  it("accepts a Node stream (fs.ReadStream) as the source", async () => {
    const src = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "pareto-src-")), "model.onnx");
    const bytes = randomBytes(300_000);
    fs.writeFileSync(src, bytes);
    const put = await store.putBlob(fs.createReadStream(src, { highWaterMark: 7_000 }), { maxBytes: MIB });
    expect(put.sha256).toBe(sha(bytes));
  });

  it.each([
    { what: "one byte over the cap", size: 100_001, maxBytes: 100_000, code: "model_too_large", message: /larger than PARETO_MAX_MODEL_MB \(0\.1 MB\)/ },
    { what: "far over the cap (refused before the rest is read)", size: 3 * MIB, maxBytes: MIB, code: "model_too_large", message: /PARETO_MAX_MODEL_MB \(1 MB\)/ },
    { what: "an empty stream", size: 0, maxBytes: MIB, code: "invalid_model", message: /empty/ },
  ])("refuses $what with $code and leaves nothing behind", async ({ size, maxBytes, code, message }) => {
    const bytes = randomBytes(size);
    let read = 0;
    async function* counted() {
      for await (const s of slices(bytes)) {
        read += s.byteLength;
        yield s;
      }
    }
    await expect(store.putBlob(counted(), { maxBytes })).rejects.toMatchObject({ code, message: expect.stringMatching(message) });
    expect(read).toBeLessThanOrEqual(Math.max(maxBytes + 64 * 1024, 0));
    expect(leftovers()).toEqual([]);
    expect(await client.db().modelBlob.count({ where: { sha256: sha(bytes) } })).toBe(0);
    expect(fs.existsSync(path.join(firstDir, "models", sha(bytes)))).toBe(false);
  });

  it("accepts a file of exactly maxBytes", async () => {
    const bytes = randomBytes(100_000);
    expect((await store.putBlob(slices(bytes), { maxBytes: 100_000 })).bytes).toBe(100_000);
  });

  it("deletes the temp file when the source fails midway (a client that hangs up)", async () => {
    async function* broken() {
      yield randomBytes(10_000);
      throw new Error("client went away");
    }
    await expect(store.putBlob(broken(), { maxBytes: MIB })).rejects.toThrow("client went away");
    expect(leftovers()).toEqual([]);
  });

  it.each([
    { what: "too short", sha256: "abc" },
    { what: "upper case", sha256: "A".repeat(64) },
    { what: "a path", sha256: `../${"a".repeat(61)}` },
    { what: "empty", sha256: "" },
  ])("refuses a malformed hash ($what) with validation_error", async ({ sha256 }) => {
    await expect(store.ensureLocal(sha256)).rejects.toMatchObject({ code: "validation_error" });
    await expect(store.removeBlob(sha256)).rejects.toMatchObject({ code: "validation_error" });
  });

  it("never serves a corrupted local file: fetched again from the database on PostgreSQL, refused on SQLite", async () => {
    const bytes = randomBytes(store.CHUNK_BYTES + 5_000);
    const put = await store.putBlob(slices(bytes), { maxBytes: 64 * MIB });
    const bad = Buffer.from(bytes);
    bad[1234] ^= 0xff;
    fs.writeFileSync(put.path, bad);
    // Same size; an old mtime, so it cannot pass for the copy verified earlier.
    fs.utimesSync(put.path, new Date(2000, 0, 1), new Date(2000, 0, 1));
    if (pg) {
      expect(await store.ensureLocal(put.sha256)).toBe(put.path);
      expect(fs.readFileSync(put.path).equals(bytes)).toBe(true);
    } else {
      await expect(store.ensureLocal(put.sha256)).rejects.toMatchObject({ code: "model_unavailable", message: expect.stringMatching(/does not match its hash/) });
      // Kept for inspection; a re-upload repairs it.
      expect(fs.existsSync(put.path)).toBe(true);
      expect((await store.putBlob(slices(bytes), { maxBytes: 64 * MIB })).existed).toBe(true);
      expect(await store.ensureLocal(put.sha256)).toBe(put.path);
      expect(fs.readFileSync(put.path).equals(bytes)).toBe(true);
    }
  });

  it("a second instance (another data folder, same database) gets the file on PostgreSQL, and cannot on SQLite", async () => {
    const bytes = randomBytes(3 * store.CHUNK_BYTES - 7);
    const put = await store.putBlob(slices(bytes), { maxBytes: 64 * MIB });
    const dirB = otherInstance();
    if (!pg) {
      await expect(store.ensureLocal(put.sha256)).rejects.toMatchObject({ code: "model_unavailable" });
      return;
    }
    // Concurrent callers share one download.
    const calls = [store.ensureLocal(put.sha256), store.ensureLocal(put.sha256), store.ensureLocal(put.sha256)];
    expect(calls[1]).toBe(calls[0]);
    expect(calls[2]).toBe(calls[0]);
    const got = await calls[0];
    expect(got).toBe(path.join(dirB, "models", put.sha256));
    expect(fs.readFileSync(got).equals(bytes)).toBe(true);
    expect(leftovers(dirB)).toEqual([]);
    // An upload of the same content through instance B is a no-op for the database.
    expect((await store.putBlob(slices(bytes), { maxBytes: 64 * MIB })).existed).toBe(true);
  });

  it("refuses (PostgreSQL) a database copy that does not match its hash, leaving no file", async () => {
    if (!pg) return;
    const bytes = randomBytes(200_000);
    const put = await store.putBlob(slices(bytes), { maxBytes: MIB });
    await client.db().modelBlobChunk.update({ where: { sha256_idx: { sha256: put.sha256, idx: 0 } }, data: { data: randomBytes(200_000) } });
    const dirB = otherInstance();
    await expect(store.ensureLocal(put.sha256)).rejects.toMatchObject({ code: "model_unavailable", message: expect.stringMatching(/database's copy/) });
    expect(fs.existsSync(path.join(dirB, "models", put.sha256))).toBe(false);
    expect(leftovers(dirB)).toEqual([]);
  });

  it("sweeps what a crash leaves (temp files, incomplete rows, files no row names) once older than asked, and nothing newer", async () => {
    const dir = otherInstance();
    const models = path.join(dir, "models");
    fs.mkdirSync(path.join(models, ".incoming"), { recursive: true });
    const old = new Date(Date.now() - 3_600_000);
    const oldTemp = path.join(models, ".incoming", "crashed.part");
    const newTemp = path.join(models, ".incoming", "uploading.part");
    fs.writeFileSync(oldTemp, "x");
    fs.utimesSync(oldTemp, old, old);
    fs.writeFileSync(newTemp, "x");
    const orphan = path.join(models, "f".repeat(64));
    fs.writeFileSync(orphan, "x");
    fs.utimesSync(orphan, old, old);
    const stuck = "e".repeat(64);
    await client.db().modelBlob.create({ data: { sha256: stuck, bytes: 10, storage: pg ? "db" : "file", complete: false, createdAt: old } });
    if (pg) await client.db().modelBlobChunk.create({ data: { sha256: stuck, idx: 0, data: Buffer.from("half") } });
    const fresh = "d".repeat(64);
    await client.db().modelBlob.create({ data: { sha256: fresh, bytes: 10, storage: pg ? "db" : "file", complete: false } });
    const kept = await store.putBlob(slices(randomBytes(1000)), { maxBytes: MIB });
    fs.utimesSync(kept.path, old, old);

    expect(await store.sweepIncompleteBlobs(60_000)).toEqual({ tempFiles: 1, incompleteBlobs: 1, orphanFiles: 1 });
    expect(fs.existsSync(oldTemp)).toBe(false);
    expect(fs.existsSync(newTemp)).toBe(true);
    expect(fs.existsSync(orphan)).toBe(false);
    expect(fs.existsSync(kept.path)).toBe(true);
    expect(await client.db().modelBlob.count({ where: { sha256: stuck } })).toBe(0);
    expect(await chunkRows(stuck)).toBe(0);
    expect(await client.db().modelBlob.count({ where: { sha256: fresh } })).toBe(1);
  });
});

/** ~100 MB through each path, for the report (PARETO_BLOB_BENCH=1): rates printed, nothing asserted on time. */
describe.skipIf(!process.env.PARETO_BLOB_BENCH)("throughput", () => {
  it("puts and fetches a 100 MiB stream", async () => {
    const total = 100 * MIB;
    async function* random() {
      for (let off = 0; off < total; off += MIB) yield randomBytes(MIB);
    }
    const rate = (ms: number) => `${(total / MIB / (ms / 1000)).toFixed(1)} MB/s`;
    let t = performance.now();
    const put = await store.putBlob(random(), { maxBytes: 512 * MIB });
    const putMs = performance.now() - t;
    // Another instance (PostgreSQL: a download from the database) or a first verification after a restart (SQLite).
    if (pg) otherInstance();
    else fs.utimesSync(put.path, new Date(), new Date(Date.now() - 1000));
    t = performance.now();
    await store.ensureLocal(put.sha256);
    const getMs = performance.now() - t;
    if (pg) {
      t = performance.now();
      for await (const c of (await import("@/lib/db/model-blobs")).readBlobChunks(put.sha256)) void c;
      console.log(`[blob bench] postgres: reading the chunks alone ${rate(performance.now() - t)}`);
    }
    console.log(`[blob bench] ${pg ? "postgres" : "sqlite"}: putBlob ${rate(putMs)}, ensureLocal ${rate(getMs)} (${pg ? "from the database" : "hash check of the file"})`);
    expect(put.bytes).toBe(total);
  }, 600_000);
});
