/**
 * Benchmark runner: `npm run bench` (or `node --conditions=react-server --import tsx bench/run.ts`).
 *
 *   --only ocr,vad,...   run a subset of: ocr, vad, overhead, batching, responsiveness, memory, api, training, langid, jobs
 *                        (api and training need `npm run build`: they start the production server)
 *   --quick              fewer repetitions (same workloads); for a fast look, not for the record
 *   --no-build           skip rebuilding build/runtime-worker.mjs (rebuilt by default: the runtime runs that bundle)
 *   --wait-idle[=S]      before each suite, wait up to S seconds (default 120) for the machine to go idle
 *
 * Each suite runs in its own Node process (bench/suites/<name>.ts). Tables print as they finish; at the end a
 * markdown report is printed and written to bench/out/latest.md, raw figures to bench/out/latest.json.
 */
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { busyShare, loadAverage, waitForIdle } from "./lib/cpu";
import { ROOT } from "./lib/data";
import { machineInfo, type MachineInfo } from "./lib/machine";
import type { SuiteResult } from "./lib/suite";
import { renderMarkdown, renderText } from "./lib/table";

const SUITES = ["ocr", "vad", "overhead", "batching", "responsiveness", "memory", "api", "training", "langid", "jobs"] as const;
type SuiteName = (typeof SUITES)[number];
const SUITE_TIMEOUT_MS = 10 * 60_000;

interface Args {
  only: SuiteName[];
  quick: boolean;
  build: boolean;
  waitIdleS: number;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { only: [...SUITES], quick: false, build: true, waitIdleS: 0 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") args.quick = true;
    else if (a === "--no-build") args.build = false;
    else if (a === "--wait-idle") args.waitIdleS = 120;
    else if (a.startsWith("--wait-idle=")) args.waitIdleS = Number(a.slice("--wait-idle=".length));
    else if (a === "--only" || a.startsWith("--only=")) {
      const list = a === "--only" ? argv[++i] : a.slice("--only=".length);
      const names = (list ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const bad = names.filter((n) => !(SUITES as readonly string[]).includes(n));
      if (bad.length || names.length === 0) throw new Error(`--only takes a comma-separated list of: ${SUITES.join(", ")}`);
      args.only = SUITES.filter((s) => names.includes(s));
    } else if (a === "--help" || a === "-h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return args;
}

function runChild(name: SuiteName, quick: boolean): Promise<SuiteResult> {
  const out = path.join(os.tmpdir(), `pareto-bench-${process.pid}-${name}.json`);
  fs.rmSync(out, { force: true });
  const file = path.join(ROOT, "bench", "suites", `${name}.ts`);
  return new Promise((resolve) => {
    // The suite's stdout goes to our stderr: our stdout carries only the tables and the report.
    const child = spawn(process.execPath, ["--conditions=react-server", "--import", "tsx", file], {
      cwd: ROOT,
      env: { ...process.env, BENCH_OUT: out, BENCH_QUICK: quick ? "1" : "0" },
      stdio: ["ignore", 2, 2],
    });
    // The jobs suite times 16 interleaved cells with a job loop beside most of them: it may take longer.
    const limitMs = name === "jobs" ? 2 * SUITE_TIMEOUT_MS : SUITE_TIMEOUT_MS;
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      let result: SuiteResult | undefined;
      try {
        result = JSON.parse(fs.readFileSync(out, "utf8")) as SuiteResult;
        fs.rmSync(out, { force: true });
      } catch {
        // no result file: the suite died before writing it
      }
      if (!result) {
        result = {
          suite: name,
          title: name,
          startedAt: new Date().toISOString(),
          cpu: { wallS: 0, selfCpuS: 0, busyShare: NaN, foreignShare: NaN },
          tables: [],
          targets: [],
          notes: [],
          data: {},
          error: `suite process exited with ${signal ?? `code ${code}`} and no result${signal === "SIGKILL" ? ` (killed after ${limitMs / 60000} min)` : ""}`,
        };
      }
      resolve(result);
    });
  });
}

function verdict(met: boolean | null): string {
  return met === null ? "not measured" : met ? "MET" : "MISSED";
}

function markdownReport(machine: MachineInfo, args: Args, results: SuiteResult[], totalS: number): string {
  const flags = [
    args.only.length < SUITES.length ? `--only ${args.only.join(",")}` : "",
    args.quick ? "--quick" : "",
    args.build ? "" : "--no-build",
    args.waitIdleS > 0 ? `--wait-idle=${args.waitIdleS}` : "",
  ].filter(Boolean);
  const cmd = `npm run bench${flags.length ? ` -- ${flags.join(" ")}` : ""}`;
  const out: string[] = [
    "### Machine",
    "",
    `- CPU: ${machine.cpuModel}, ${machine.cores} cores; RAM ${machine.ramGiB} GiB; ${machine.os}`,
    `- Node ${machine.node}; onnxruntime-node ${machine.onnxruntimeNode}; sharp ${machine.sharp}; peers @gutenye/ocr-node ${machine.ocrNode}, @ricky0123/vad-node ${machine.vadNode}`,
    `- Date ${machine.date}; commit ${machine.commit}; load average at start ${machine.loadAverageAtStart.join(" / ")}`,
    `- Command: \`${cmd}\` (total ${totalS.toFixed(0)} s)`,
    "",
    "### Targets",
    "",
    "| suite | target | measured | verdict |",
    "| --- | --- | --- | --- |",
  ];
  for (const r of results) {
    for (const t of r.targets) out.push(`| ${r.suite} | ${t.target} | ${t.measured.replace(/\|/g, "\\|")} | **${verdict(t.met)}**${t.why ? ` — ${t.why.replace(/\|/g, "\\|")}` : ""} |`);
    if (r.error) out.push(`| ${r.suite} | (suite failed) | ${r.error.split("\n")[0].replace(/\|/g, "\\|")} | **ERROR** |`);
  }
  for (const r of results) {
    out.push("", `### ${r.title}`, "", `_${r.cpu.wallS.toFixed(0)} s; other processes used ${Number.isFinite(r.cpu.foreignShare) ? Math.round(r.cpu.foreignShare * 100) : "?"} % of the machine's CPU during this suite._`);
    for (const t of r.tables) out.push("", renderMarkdown(t));
    if (r.notes.length) out.push("", ...r.notes.map((n) => `- ${n}`));
    if (r.error) out.push("", "```", r.error, "```");
  }
  return out.join("\n");
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const machine = machineInfo();
  process.stderr.write(`[bench] ${machine.cpuModel}, ${machine.cores} cores, Node ${machine.node}, onnxruntime-node ${machine.onnxruntimeNode}; load ${machine.loadAverageAtStart.join(" ")}\n`);
  const busy = await busyShare(500);
  if (busy > 0.25) process.stderr.write(`[bench] warning: the machine is ${Math.round(busy * 100)} % busy before we start; numbers will be noisy (see --wait-idle)\n`);

  if (args.build) {
    process.stderr.write("[bench] rebuilding build/runtime-worker.mjs\n");
    const b = spawnSync(process.execPath, [path.join(ROOT, "scripts", "build-worker.mjs")], { cwd: ROOT, stdio: ["ignore", 2, 2] });
    if (b.status !== 0) throw new Error("worker build failed");
  }

  const results: SuiteResult[] = [];
  for (const name of args.only) {
    if (args.waitIdleS > 0) {
      const w = await waitForIdle(args.waitIdleS);
      process.stderr.write(`[bench] ${w.idle ? "machine idle" : `still ${Math.round(w.busy * 100)} % busy`} after ${w.waitedS.toFixed(0)} s\n`);
    }
    process.stderr.write(`[bench] suite ${name}\n`);
    const r = await runChild(name, args.quick);
    results.push(r);
    for (const t of r.tables) process.stdout.write(`${renderText(t)}\n\n`);
    for (const n of r.notes) process.stdout.write(`note: ${n}\n`);
    for (const t of r.targets) process.stdout.write(`${verdict(t.met).padEnd(7)} ${t.target}: ${t.measured}${t.why ? `\n        why: ${t.why}` : ""}\n`);
    if (r.error) process.stdout.write(`ERROR in suite ${name}:\n${r.error}\n`);
    process.stdout.write("\n");
  }

  const totalS = (performance.now() - t0) / 1000;
  const md = markdownReport(machine, args, results, totalS);
  const outDir = path.join(ROOT, "bench", "out");
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "latest.json"), JSON.stringify({ machine, args, totalS, loadAverageAtEnd: loadAverage(), suites: results }, null, 2));
  fs.writeFileSync(path.join(outDir, "latest.md"), `${md}\n`);
  process.stdout.write(`\n<!-- markdown report (also in bench/out/latest.md) -->\n${md}\n`);
  process.stderr.write(`[bench] done in ${totalS.toFixed(0)} s; wrote bench/out/latest.json and bench/out/latest.md\n`);
  if (results.some((r) => r.error)) process.exitCode = 1;
  // Gates: hard limits a change must not break (the API path's added latency), failing the run when missed.
  const failedGates = results.flatMap((r) => r.targets.filter((t) => t.gate && t.met === false).map((t) => `${r.suite}: ${t.target} — measured ${t.measured}`));
  if (failedGates.length) {
    process.stderr.write(`[bench] GATE FAILED:\n${failedGates.map((g) => `  ${g}`).join("\n")}\n`);
    process.exitCode = 1;
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
