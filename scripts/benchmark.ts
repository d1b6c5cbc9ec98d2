/**
 * `npm run benchmark -- [--quick|--full] [--models id,id] [--markdown]`: measures catalog variants on this host
 * with a fresh runtime (same figures and storage as the server's runs: DATABASE_URL, this host's fingerprint),
 * prints a table per task with the Pareto frontier marked, and stores the rows. Ctrl-C cancels after saving what
 * was measured; an admin can also cancel it from the Selection page (between steps).
 */
import { parseArgs } from "node:util";
import { ensureAdminFromEnv } from "@/lib/auth/bootstrap-admin";
import { migrateAndSeed } from "@/lib/db/bootstrap";
import { createBenchmarkRun, insertBenchmarkRows, isBenchmarkCancelRequested, saveBenchmarkProgress, updateBenchmarkRun } from "@/lib/db/benchmarks";
import { disconnectDb } from "@/lib/db/client";
import { CATALOG, catalogEntry, type Task } from "@/lib/models/catalog";
import { Runtime, runtimeConfigFromEnv } from "@/lib/runtime";
import { paretoFrontier } from "@/lib/selection/frontier";
import { currentHost, describeHost } from "@/lib/selection/host";
import { activeRunId } from "@/lib/selection/jobs";
import { STEPS, type BenchMode, type RunProgress } from "@/lib/selection/plan";
import { runBenchmark, type BenchRow } from "@/lib/selection/runner";
import { buildTable, p95At, type ModelFigures } from "@/lib/selection/table";

const HELP = `Usage: npm run benchmark -- [--quick|--full] [--models id,id] [--markdown]

  --quick       small eval subsets and few requests (default; ≈ 30 s for every variant on 2 cores)
  --full        whole eval sets (102 images, 50 clips) and 100/200/400 requests at concurrency 1/4/16
  --models      comma-separated catalog ids (default: every variant)
  --markdown    print the tables as Markdown`;

function fmt(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? "–" : v.toFixed(digits);
}

function table(task: Task, figures: ModelFigures[], markdown: boolean): string {
  const measured = figures.filter((f) => f.accuracy !== null && p95At(f, 1) !== null);
  const flags = paretoFrontier(measured.map((f) => ({ model: f.modelId, accuracy: f.accuracy!, cost: p95At(f, 1)! })));
  const head = task === "ocr"
    ? ["model", "frontier", "accuracy (1−CER)", "CER", "CER no spaces"]
    : ["model", "frontier", "accuracy (F1)", "precision", "recall"];
  const cols = [...head, "p50 c1", "p95 c1", "p99 c1", "p95 c4", "p95 c16", "req/s c16", "peak MB", "cold load ms", "size MB", "opset"];
  const rows = figures.map((f) => {
    const fl = flags.find((x) => x.model === f.modelId);
    const l1 = f.latency[1];
    return [
      f.modelId,
      fl ? (fl.onFrontier ? "yes" : `no (${fl.dominatedBy.join(", ")})`) : "not measured",
      fmt(f.accuracy, 4),
      fmt(task === "ocr" ? f.detail.cer : f.detail.precision, 4),
      fmt(task === "ocr" ? f.detail.cer_no_spaces : f.detail.recall, 4),
      fmt(l1?.p50),
      fmt(l1?.p95),
      fmt(l1?.p99),
      fmt(f.latency[4]?.p95),
      fmt(f.latency[16]?.p95),
      fmt(f.latency[16]?.throughputRps),
      fmt(f.memoryPeakMb, 0),
      fmt(f.coldLoadMs, 0),
      fmt(f.fileSizeBytes === null ? null : f.fileSizeBytes / 1048576),
      fmt(f.opset, 0),
    ];
  });
  if (markdown) {
    return [`| ${cols.join(" | ")} |`, `| ${cols.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");
  }
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((v, i) => v.padEnd(widths[i])).join("  ");
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { quick: { type: "boolean" }, full: { type: "boolean" }, models: { type: "string" }, markdown: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.quick && values.full) throw new Error("choose one of --quick and --full");
  const mode: BenchMode = values.full ? "full" : "quick";
  const models = values.models ? values.models.split(",").map((s) => s.trim()).filter(Boolean) : CATALOG.map((e) => e.id);
  const unknown = models.find((m) => !catalogEntry(m));
  if (unknown) throw new Error(`unknown model "${unknown}"; known: ${CATALOG.map((e) => e.id).join(", ")}`);

  await migrateAndSeed();
  await ensureAdminFromEnv();
  const running = await activeRunId();
  if (running) throw new Error(`benchmark run ${running} is in progress (server or another CLI); wait for it or cancel it`);
  const host = currentHost();
  console.error(`[benchmark] ${mode} run of ${models.length} variants on ${describeHost(host.host)} (fingerprint ${host.fingerprint})`);
  const progress: RunProgress = {
    mode,
    hostFingerprint: host.fingerprint,
    models: models.map((id) => ({ id, task: catalogEntry(id)!.task, steps: STEPS.map((name) => ({ name, status: "pending" as const })) })),
    current: null,
    heartbeatAt: new Date().toISOString(),
  };
  const run = await createBenchmarkRun(null, progress);
  const runtime = new Runtime(runtimeConfigFromEnv());
  const controller = new AbortController();
  process.once("SIGINT", () => {
    console.error("\n[benchmark] cancelling (saving what was measured)…");
    controller.abort();
  });
  const rows: BenchRow[] = [];
  let lastStep = "";
  const t0 = performance.now();
  const outcome = await runBenchmark({
    runtime,
    models,
    mode,
    hostFingerprint: host.fingerprint,
    where: "cli",
    signal: controller.signal,
    shouldCancel: () => isBenchmarkCancelRequested(run.id),
    sink: {
      rows: async (r) => {
        rows.push(...r);
        await insertBenchmarkRows(run.id, host, r);
      },
      progress: async (p) => {
        const step = p.current ? `${p.current.model} ${p.current.step}` : "";
        if (step && step !== lastStep) console.error(`[benchmark] ${step}`);
        lastStep = step;
        await saveBenchmarkProgress(run.id, p);
      },
    },
  }).finally(() => runtime.close());
  const seconds = (performance.now() - t0) / 1000;
  await updateBenchmarkRun(run.id, { status: outcome.status, error: outcome.errors.join("; ") || null, finishedAt: new Date(), progress: outcome.progress });

  // Newest first, as stored rows are read.
  const figures = buildTable(rows.map((r, i) => ({ ...r, measuredAt: new Date(Date.now() + i) })).reverse());
  for (const task of ["ocr", "vad"] as const) {
    const list = models.filter((m) => catalogEntry(m)!.task === task).map((m) => figures.get(m)).filter((f): f is ModelFigures => Boolean(f));
    if (!list.length) continue;
    console.log(`\n${task.toUpperCase()} — latency in ms (runtime end-to-end), accuracy on ${String(list[0].accuracyConditions?.subset ?? "?")} of ${String(list[0].accuracyConditions?.of ?? "?")} eval items`);
    console.log(table(task, list, Boolean(values.markdown)));
  }
  console.log(`\nrun ${run.id}: ${outcome.status} in ${seconds.toFixed(1)} s, ${rows.length} rows stored for host ${host.fingerprint}`);
  for (const e of outcome.errors) console.error(`[benchmark] error: ${e}`);
  return outcome.status === "succeeded" ? 0 : outcome.status === "cancelled" ? 130 : 1;
}

main(process.argv.slice(2))
  .then(async (code) => {
    await disconnectDb();
    process.exit(code);
  })
  .catch(async (e: unknown) => {
    console.error(`benchmark: ${e instanceof Error ? e.message : String(e)}`);
    await disconnectDb().catch(() => undefined);
    process.exit(2);
  });
