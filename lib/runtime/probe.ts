/**
 * Test-loads an uploaded ONNX file before it is accepted: ONNX Runtime parses it, resolves a kernel for every node
 * and initialises a session, in a CHILD PROCESS (probe-child.mjs). A worker thread would share the server's
 * process, so a native crash or a runaway allocation in a hostile file would take the server down with it.
 *
 * Limits. A timeout (SIGKILL). Memory: `--max-old-space-size` and worker `resourceLimits` bound only V8's heap,
 * while ONNX Runtime allocates natively, so the child runs under `ulimit -v` (address space; POSIX shells have
 * it, and Pareto runs on Linux): an allocation past it fails inside ONNX Runtime (bad_alloc → an error we map) or
 * kills the child, never the server. Node reserves address space it never touches, so the cap is generous —
 * a base for Node and ONNX Runtime plus a multiple of the file's size (the file is read, its initializers
 * copied into tensors, and the optimiser may make folded copies). The child gets no environment beyond PATH and NODE_ENV: a
 * hostile file has no business with the server's secrets.
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env } from "@/lib/config/env";
import { ServiceError } from "@/lib/models/errors";

export interface ProbeOptions {
  /** Default 30 s: loading a few hundred MB takes seconds; a hang is a hostile or broken file. */
  timeoutMs?: number;
  /** Address-space cap of the child in MiB; default from the file's size (see `defaultMemoryMb`). */
  memoryMb?: number;
  /** Project root holding node_modules (default PARETO_ROOT / the working directory). */
  root?: string;
}

export interface ProbeResult {
  inputNames: string[];
  outputNames: string[];
}

interface ChildReply {
  ok: boolean;
  version?: string;
  inputNames?: string[];
  outputNames?: string[];
  message?: string;
  setup?: boolean;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** Node + ONNX Runtime's own address space (measured: a child needs ~1 GiB of address space to start and load a 10 MB model) and threads' stacks. */
const BASE_MEMORY_MB = 2048;
const MEMORY_PER_FILE_MB = 4;

export function defaultMemoryMb(fileBytes: number): number {
  return BASE_MEMORY_MB + Math.ceil((MEMORY_PER_FILE_MB * fileBytes) / (1024 * 1024));
}

/**
 * What ONNX Runtime says when it lacks an operator, and how to find the operator (and its domain) in the message.
 * Seen on 1.30: "No Op registered for NotARealOp with domain_version of 17" (the node's tuple before it names the
 * domain), "com.example:FooBar(-1) is not a registered function/op", and "Could not find an implementation for
 * Relu(14) node with name '…'" (no kernel for that opset or element type).
 */
function unsupportedOperator(message: string): { op: string; domain: string; detail?: string } | null {
  let m = /No Op registered for (\S+) with domain_version of \d+/.exec(message);
  if (m) {
    const tuple = new RegExp(`\\(\\s*"[^"]*",\\s*${m[1].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")},\\s*"([^"]*)"`).exec(message);
    return { op: m[1], domain: tuple?.[1] ?? "" };
  }
  m = /(?:^|\s)([\w.-]+):([\w.-]+)\(-?\d+\) is not a registered function\/op/.exec(message);
  if (m) return { op: m[2], domain: m[1] };
  m = /Could not find an implementation for ([\w.-]+)\((\d+)\) node/.exec(message);
  if (m) return { op: m[1], domain: "", detail: ` at opset ${m[2]} with the model's element types` };
  return null;
}

/**
 * ONNX Runtime's message without the file's path (the server's data folder is none of the uploader's business)
 * and without the C++ source location and signature some messages start with.
 */
function clean(message: string, file: string): string {
  return message
    .split(file)
    .join("<model>")
    .replace(/^\[ErrorCode:\w+\]\s*/, "")
    .replace(/\/onnxruntime_src\/\S+:\d+ [^\n]*?\) (?=[A-Z])/g, "")
    .trim()
    .slice(0, 500);
}

function refusal(reply: ChildReply, file: string): ServiceError {
  const message = reply.message ?? "unknown error";
  const runtime = `ONNX Runtime ${reply.version ?? ""}`.trim();
  const op = unsupportedOperator(message);
  if (op) {
    const where = op.domain && op.domain !== "ai.onnx" ? ` (domain ${op.domain})` : "";
    return new ServiceError("unsupported_operator", `Operator ${op.op}${where} is not supported by ${runtime}${op.detail ?? ""}; custom-op libraries are never loaded.`);
  }
  const opset = /Opset (\d+) is under development/.exec(message);
  if (opset) return new ServiceError("unsupported_operator", `The model's opset ${opset[1]} is newer than ${runtime} supports; export it at an older opset.`);
  if (/bad_alloc|out of memory|Cannot allocate memory/i.test(message)) return new ServiceError("invalid_model", `${runtime} ran out of memory while loading the model.`);
  return new ServiceError("invalid_model", `${runtime} could not load the model: ${clean(message, file)}`);
}

/** Loads `file` in a child process; resolves with the session's names, or throws ServiceError (see the module comment). */
export function probeOnnx(file: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const root = path.resolve(/*turbopackIgnore: true*/ opts.root ?? env.root());
  const child = path.join(/*turbopackIgnore: true*/ root, "lib", "runtime", "probe-child.mjs");
  const abs = path.resolve(/*turbopackIgnore: true*/ file);
  const memoryMb = opts.memoryMb ?? defaultMemoryMb(fs.statSync(abs).size);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // `exec` replaces the shell, so the limit applies to Node itself and SIGKILL reaches it.
  const script = `ulimit -v ${memoryMb * 1024} && exec "$0" "$@"`;
  const proc = spawn("/bin/sh", ["-c", script, process.execPath, child, root, abs], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: process.env.NODE_ENV ?? "production" },
  });
  return new Promise<ProbeResult>((resolve, reject) => {
    let out = "";
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill("SIGKILL");
    }, timeoutMs);
    proc.stdout.setEncoding("utf8").on("data", (d: string) => (out = (out + d).slice(-64 * 1024)));
    proc.stderr.setEncoding("utf8").on("data", (d: string) => (err = (err + d).slice(-4 * 1024)));
    proc.on("error", (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot start the ONNX test-load process: ${e.message}`));
    });
    proc.on("close", (code, signal) => {
      clearTimeout(timer);
      if (timedOut) return reject(new ServiceError("invalid_model", `ONNX Runtime timed out while loading the model (over ${Math.round(timeoutMs / 1000)} s).`));
      let reply: ChildReply | null = null;
      try {
        reply = JSON.parse(out.trim().split("\n").pop() ?? "") as ChildReply;
      } catch {
        reply = null;
      }
      // The child could not load ONNX Runtime at all: the server's fault, not the file's.
      if (reply?.setup) return reject(new Error(`the ONNX test-load process failed to start ONNX Runtime: ${reply.message}`));
      if (reply?.ok && reply.inputNames && reply.outputNames) return resolve({ inputNames: reply.inputNames, outputNames: reply.outputNames });
      if (reply && !reply.ok) return reject(refusal(reply, abs));
      const how = signal ? `signal ${signal}` : `exit code ${code}`;
      reject(new ServiceError("invalid_model", `ONNX Runtime crashed while loading the model (${how}${/bad_alloc|memory/i.test(err) ? ", out of memory" : ""}).`));
    });
  });
}
