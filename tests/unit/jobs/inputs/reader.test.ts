/** The main thread's reader: order, close, abort, and errors that are not the input's fault. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openInput } from "@/lib/jobs/inputs";
import { failure, makePdf, tempDir, wavBytes, speechLike } from "./helpers";

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, bytes: Uint8Array): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

describe("InputReader", () => {
  it("answers calls made without waiting in order, then null for good", async () => {
    const r = await openInput(write("order.pdf", await makePdf(3)), { maxPages: 10, dpi: 50 });
    const all = await Promise.all([r.next(), r.next(), r.next(), r.next(), r.next()]);
    expect(all.map((u) => u?.index ?? null)).toEqual([0, 1, 2, null, null]);
    expect(await r.next()).toBeNull();
    await r.close();
  });

  it("stops its thread on close: later calls are refused as cancelled", async () => {
    const r = await openInput(write("close.wav", wavBytes([speechLike(150 * 8000, 8000)], 8000)), { maxPages: 1 });
    expect(r.info).toMatchObject({ format: "wav", total: 150, units: 3 });
    expect((await r.next())?.index).toBe(0);
    await r.close();
    await r.close(); // twice is fine
    expect(await failure(r.next())).toEqual({ code: "cancelled", message: "the input reader is closed" });
  });

  it("is cancelled by its AbortSignal, while reading and before opening", async () => {
    const ac = new AbortController();
    const r = await openInput(write("abort.wav", wavBytes([speechLike(150 * 8000, 8000)], 8000)), { maxPages: 1, signal: ac.signal });
    const pending = r.next();
    ac.abort();
    const f = await failure(pending.then(() => r.next()));
    expect(f).toEqual({ code: "cancelled", message: "reading the input was cancelled" });
    await r.close();
    expect(await failure(openInput(write("aborted.pdf", await makePdf(1)), { maxPages: 1, signal: ac.signal }))).toEqual({
      code: "cancelled",
      message: "reading the input was cancelled",
    });
  });

  it("reports a file it cannot open as the reader's fault, not the input's", async () => {
    const f = await failure(openInput(path.join(dir, "missing.pdf"), { maxPages: 1 }));
    expect(f.code).toBe("worker_crashed");
    expect(f.message).toMatch(/^the input reader failed: ENOENT/);
  });
});
