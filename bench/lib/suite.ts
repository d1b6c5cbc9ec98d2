/**
 * The harness each suite file runs under. `bench/run.ts` starts every suite in its own Node process (so RSS,
 * event-loop lag and peer libraries of one suite never leak into another) and collects the `SuiteResult` the
 * child writes to the file named by BENCH_OUT. Run a suite file directly to see its tables without the runner.
 */
import fs from "node:fs";
import { cpuWatch, type CpuReport } from "./cpu";
import { renderText, type Table } from "./table";

export interface TargetResult {
  /** What is promised, e.g. "OCR throughput ≥ 1.5× ocr-node". */
  target: string;
  /** The measured figure the verdict rests on. */
  measured: string;
  /** null when it could not be measured. */
  met: boolean | null;
  /** Why it was missed (or what the verdict depends on). */
  why?: string;
  /** A hard limit: when missed, the whole `npm run bench` fails (exit code 1), so a regression is seen in review. */
  gate?: boolean;
}

export interface SuiteResult {
  suite: string;
  title: string;
  startedAt: string;
  cpu: CpuReport;
  tables: Table[];
  targets: TargetResult[];
  notes: string[];
  /** Raw figures for bench/out/latest.json. */
  data: Record<string, unknown>;
  error?: string;
}

export interface SuiteContext {
  /** BENCH_QUICK=1: fewer repetitions, same workload shape. */
  quick: boolean;
  table(t: Table): void;
  target(t: TargetResult): void;
  note(s: string): void;
  data(key: string, value: unknown): void;
  /** Progress on stderr (stdout of a suite goes to the runner's stderr too). */
  log(msg: string): void;
}

export function runSuite(suite: string, title: string, body: (ctx: SuiteContext) => Promise<void>): void {
  const result: SuiteResult = {
    suite,
    title,
    startedAt: new Date().toISOString(),
    cpu: { wallS: 0, selfCpuS: 0, busyShare: 0, foreignShare: 0 },
    tables: [],
    targets: [],
    notes: [],
    data: {},
  };
  const quick = process.env.BENCH_QUICK === "1";
  const t0 = performance.now();
  const ctx: SuiteContext = {
    quick,
    table: (t) => result.tables.push(t),
    target: (t) => result.targets.push(t),
    note: (s) => result.notes.push(s),
    data: (k, v) => (result.data[k] = v),
    log: (msg) => process.stderr.write(`[bench:${suite} ${((performance.now() - t0) / 1000).toFixed(1)}s] ${msg}\n`),
  };
  const watch = cpuWatch();
  body(ctx)
    .catch((e: unknown) => {
      result.error = e instanceof Error ? (e.stack ?? e.message) : String(e);
      process.exitCode = 1;
    })
    .finally(() => {
      result.cpu = watch.stop();
      const out = process.env.BENCH_OUT;
      if (out) fs.writeFileSync(out, JSON.stringify(result, null, 2));
      else {
        for (const t of result.tables) process.stdout.write(`${renderText(t)}\n\n`);
        for (const n of result.notes) process.stdout.write(`note: ${n}\n`);
        for (const t of result.targets) process.stdout.write(`${t.met === null ? "?" : t.met ? "MET   " : "MISSED"}  ${t.target}: ${t.measured}${t.why ? ` (${t.why})` : ""}\n`);
        if (result.error) process.stderr.write(`${result.error}\n`);
        if (result.targets.some((t) => t.gate && t.met === false)) process.exitCode = 1;
      }
      // Worker threads or ONNX Runtime handles must not keep a finished suite alive.
      setTimeout(() => process.exit(), 200).unref();
    });
}
