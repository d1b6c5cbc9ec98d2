/**
 * ONNX Runtime's CPU arena on vs off (PARETO_ORT_ARENA), back to back (bench/RESULTS.md "ORT arena with shrinkage"):
 *   node --conditions=react-server --import tsx bench/arena.ts [--rounds N] [--only memory|throughput]
 * Needs build/runtime-worker.mjs (`node scripts/build-worker.mjs`).
 *
 * Memory: per setting a fresh process with the runtime (2 workers): RSS after warm-up on the sample signs, after
 * one 40 MP image at det_limit_side 4096, after 10 more signs. Settings take turns round by round.
 * Throughput: one process holds a runtime per setting (2 workers each) and alternates passes between them (4 in
 * flight), over the 800×560-class sample signs and over the OCR eval set. The figure compared is the process's CPU
 * time per image, paired pass by pass: on a shared 2-core machine wall time mostly measures the neighbours.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { blankPng } from "@/tests/support/hostile";
import type { Runtime } from "@/lib/runtime";
import { newRuntime, pool } from "./lib/contexts";
import { loadOcrSet, ROOT } from "./lib/data";

const SETTINGS = { "arena off": "0", "arena on (shipped)": "1" } as const;
type Setting = keyof typeof SETTINGS;
const NAMES = Object.keys(SETTINGS) as Setting[];
const MODEL = "ppocr-v4-det960";

const signs = ["sign-en.png", "notice-zh.png", "mixed-card.png"].map((f) => fs.readFileSync(path.join(ROOT, "public/samples", f)));

function rssMb(): { rss: number; hwm: number } {
  const text = fs.readFileSync("/proc/self/status", "utf8");
  const mb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, "m").exec(text)?.[1] ?? NaN) / 1024;
  return { rss: Math.round(mb("VmRSS")), hwm: Math.round(mb("VmHWM")) };
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

async function memoryChild(): Promise<unknown> {
  const rt = newRuntime({ workers: 2, intraOpThreads: 1 });
  await rt.load(MODEL);
  await pool([...signs, ...signs], 2, async (b) => void (await rt.run(MODEL, b)));
  const warm = rssMb();
  await rt.run(MODEL, blankPng(7744, 5164), { detLimitSide: 4096 });
  const afterLarge = rssMb();
  for (let i = 0; i < 10; i++) await rt.run(MODEL, signs[i % signs.length]);
  const after10 = rssMb();
  await rt.close();
  return { warm, afterLarge, after10 };
}

async function throughputChild(rounds: number): Promise<unknown> {
  const rts = new Map<Setting, Runtime>();
  for (const name of NAMES) {
    // Workers copy the environment when they start, i.e. in the constructor.
    process.env.PARETO_ORT_ARENA = SETTINGS[name];
    const rt = newRuntime({ workers: 2, intraOpThreads: 1 });
    await rt.load(MODEL);
    rts.set(name, rt);
  }
  const sets = { signs: Array.from({ length: 24 }, (_, i) => signs[i % signs.length]), "eval set": loadOcrSet().map((i) => i.bytes) };
  const out: Record<string, unknown> = {};
  for (const [setName, items] of Object.entries(sets)) {
    const cpu = new Map<Setting, number[]>(NAMES.map((n) => [n, []]));
    const wall = new Map<Setting, number[]>(NAMES.map((n) => [n, []]));
    // Round 0 warms up (sessions, arenas, libvips caches) and is not counted.
    for (let r = 0; r <= rounds; r++) {
      for (let k = 0; k < NAMES.length; k++) {
        const name = NAMES[(k + r) % NAMES.length];
        const c0 = cpuMs();
        const w0 = performance.now();
        await pool(items, 4, async (b) => void (await rts.get(name)!.run(MODEL, b)));
        if (r === 0) continue;
        cpu.get(name)!.push((cpuMs() - c0) / items.length);
        wall.get(name)!.push((performance.now() - w0) / items.length);
      }
    }
    // Log ratio of CPU per image, arena on / off, per round: mean and 95 % interval.
    const on = cpu.get("arena on (shipped)")!;
    const off = cpu.get("arena off")!;
    const lr = on.map((v, i) => Math.log(v / off[i]));
    const m = lr.reduce((a, b) => a + b, 0) / lr.length;
    const se = Math.sqrt(lr.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, lr.length - 1) / lr.length);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    out[setName] = {
      images: items.length,
      rounds,
      cpuMsPerImage: Object.fromEntries(NAMES.map((n) => [n, Math.round(mean(cpu.get(n)!) * 10) / 10])),
      imagesPerS: Object.fromEntries(NAMES.map((n) => [n, Math.round((1000 / mean(wall.get(n)!)) * 100) / 100])),
      cpuChangePct: Math.round((Math.exp(m) - 1) * 1000) / 10,
      ci95Pct: Math.round(1.96 * se * 1000) / 10,
    };
  }
  await Promise.all([...rts.values()].map((r) => r.close()));
  return out;
}

function spawnChild(args: string[], env: Record<string, string>): unknown {
  const p = spawnSync(process.execPath, ["--conditions=react-server", "--import", "tsx", __filename, "--child", ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = p.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`child ${args.join(" ")} failed: ${p.stderr.slice(-2000)}`);
  return JSON.parse(line.slice("RESULT ".length));
}

const load = () => fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0];

function main() {
  const argv = process.argv.slice(2);
  const at = argv.indexOf("--child");
  if (at >= 0) {
    const kind = argv[at + 1];
    void (kind === "memory" ? memoryChild() : throughputChild(Number(argv[at + 2]))).then((r) => process.stdout.write(`RESULT ${JSON.stringify(r)}\n`));
    return;
  }
  const rounds = Number(argv[argv.indexOf("--rounds") + 1] || 4);
  const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : undefined;
  if (only !== "throughput") {
    for (let r = 0; r < Math.max(1, Math.floor(rounds / 2)); r++) {
      for (let k = 0; k < NAMES.length; k++) {
        const name = NAMES[(k + r) % NAMES.length];
        const m = spawnChild(["memory"], { PARETO_ORT_ARENA: SETTINGS[name] });
        process.stdout.write(`memory     ${name.padEnd(20)} load ${load()} ${JSON.stringify(m)}\n`);
      }
    }
  }
  if (only !== "memory") {
    const t = spawnChild(["throughput", String(rounds)], {});
    process.stdout.write(`throughput load ${load()} ${JSON.stringify(t, null, 1)}\n`);
  }
}

main();
