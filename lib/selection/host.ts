import "server-only";
/**
 * The host fingerprint: what a benchmark figure depends on besides the model. Figures are only comparable on the
 * same CPU model, core count, memory size and runtime versions, so every stored figure carries this hash and every
 * query filters by the current one (another host's figures are reported, never mixed in).
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { env } from "@/lib/config/env";

export interface HostInfo {
  cpuModel: string;
  cores: number;
  /** Rounded to 256 MiB: the kernel's figure moves by a few pages between boots. */
  memoryMb: number;
  onnxruntime: string;
  node: string;
  platform: string;
  arch: string;
}

export interface HostFingerprint {
  fingerprint: string;
  host: HostInfo;
}

function onnxruntimeVersion(root: string): string {
  try {
    const pkg = path.join(/*turbopackIgnore: true*/ root, "node_modules", "onnxruntime-node", "package.json");
    const v = (JSON.parse(fs.readFileSync(pkg, "utf8")) as { version?: unknown }).version;
    return typeof v === "string" ? v : "unknown";
  } catch {
    return "unknown";
  }
}

export function hostInfo(root: string = env.root()): HostInfo {
  const cpus = os.cpus();
  return {
    cpuModel: (cpus[0]?.model ?? "unknown").trim().replace(/\s+/g, " "),
    cores: Math.max(1, os.availableParallelism?.() ?? cpus.length),
    memoryMb: Math.round(os.totalmem() / (256 * 1024 * 1024)) * 256,
    onnxruntime: onnxruntimeVersion(root),
    node: process.versions.node,
    platform: os.platform(),
    arch: os.arch(),
  };
}

/** A short stable hash of the host's details (key order fixed, so the same host always hashes the same). */
export function fingerprintOf(info: HostInfo): string {
  const canonical = [info.cpuModel, info.cores, info.memoryMb, info.onnxruntime, info.node, info.platform, info.arch].join("|");
  return crypto.createHash("sha256").update(canonical).digest("hex").slice(0, 12);
}

let cached: HostFingerprint | undefined;

/** This process's host fingerprint (computed once: none of its inputs change while the process runs). */
export function currentHost(): HostFingerprint {
  if (!cached) {
    const host = hostInfo();
    cached = { fingerprint: fingerprintOf(host), host };
  }
  return cached;
}

/** One line for tables and the UI: "AMD EPYC · 2 cores · 24 GiB · ORT 1.30.0 · Node 20.19.5". */
export function describeHost(h: HostInfo): string {
  return `${h.cpuModel} · ${h.cores} cores · ${Math.round(h.memoryMb / 1024)} GiB · ORT ${h.onnxruntime} · Node ${h.node}`;
}
