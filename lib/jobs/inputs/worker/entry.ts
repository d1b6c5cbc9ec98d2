/**
 * The job input reader thread: decodes one job's input (PDF pages, images, recordings) into units, at a lowered
 * priority so decoding takes only the CPU that serving leaves. One input per thread; the thread ends when the main
 * thread terminates it (InputReader.close). Back-pressure: the next unit is prepared while the current one is
 * processed, and no further, so at most two units (one here, one on the main thread) are in memory.
 * Bundled to build/job-input-worker.mjs (scripts/build-worker.mjs).
 */
import { parentPort, workerData } from "node:worker_threads";
import { isDomainError } from "@/lib/models/errors";
import { lowerThreadPriority } from "@/lib/runtime/worker/priority";
import { openSource } from "../open-source";
import type { UnitSource } from "../source";
import type { InputUnit } from "../types";
import type { FromInputWorker, InputWorkerData, ToInputWorker, WireError } from "./protocol";

const data = workerData as InputWorkerData;
const port = parentPort!;
const niced = lowerThreadPriority(data.nice);

function post(msg: FromInputWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

function wire(e: unknown): WireError {
  // Anything but a domain error is a fault of the reader, not of the input: the main thread reports it as such.
  return { code: isDomainError(e) ? e.code : "internal", message: e instanceof Error ? e.message : String(e) };
}

type Prepared = { ok: true; unit: InputUnit | null } | { ok: false; error: unknown };

function prepare(source: UnitSource): Promise<Prepared> {
  return source.next().then(
    (unit) => ({ ok: true as const, unit }),
    (error: unknown) => ({ ok: false as const, error }),
  );
}

async function run(): Promise<void> {
  let source: UnitSource;
  try {
    source = await openSource(data.file, { root: data.root, from: data.from, dpi: data.dpi, maxPages: data.maxPages });
  } catch (e) {
    return post({ t: "error", error: wire(e) });
  }
  post({ t: "info", info: source.info, niced });
  // The main thread asks for one unit at a time and waits for the answer before asking again (InputReader.next).
  let ahead = prepare(source);
  port.on("message", (m: ToInputWorker) => {
    if (m.t !== "next") return;
    void ahead.then((r) => {
      if (!r.ok) return post({ t: "error", error: wire(r.error) });
      if (!r.unit) {
        void source.close();
        return post({ t: "end" });
      }
      const unit = owned(r.unit);
      post({ t: "unit", unit }, [unit.kind === "page" ? (unit.png.buffer as ArrayBuffer) : (unit.samples.buffer as ArrayBuffer)]);
      ahead = prepare(source);
    });
  });
}

/** A unit whose bytes own their whole ArrayBuffer, so transferring it detaches nothing else (Node pools small Buffers). */
function owned(u: InputUnit): InputUnit {
  if (u.kind === "page") return u.png.byteOffset === 0 && u.png.byteLength === u.png.buffer.byteLength ? u : { ...u, png: u.png.slice() };
  return u.samples.byteOffset === 0 && u.samples.byteLength === u.samples.buffer.byteLength ? u : { ...u, samples: u.samples.slice() };
}

void run();
