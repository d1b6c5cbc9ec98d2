/**
 * HTTP load test of the production server: `node --import tsx bench/load/run.ts` (needs `npm run build` first).
 *
 *   --duration=S          seconds per workload (default 60)
 *   --warmup=S            unmeasured seconds per workload before the measured runs (default 15)
 *   --ocr-connections=N   concurrent connections for OCR (default 16: two workers × 8 slots)
 *   --vad-connections=N   concurrent connections for VAD (default 32)
 *   --out=FILE            where the markdown goes (default bench/load/RESULTS.md)
 *
 * Starts a server on a fresh database (tests/support/server.ts), puts a user on the Enterprise plan with limits
 * out of the way, then drives OCR (public/samples/sign-en.png) and VAD (public/samples/speech-en.wav) at
 * saturation with autocannon, one after the other. Reports latency percentiles, throughput, status codes (no 5xx
 * but the designed 503 backpressure may appear) and the server's resident memory before, during and after.
 * Traffic goes to 127.0.0.1 only. Exits 1 if any response is a 5xx other than 503.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { quantileSorted } from "@/lib/stats";
import { adminJar, bearer, createKey, form, newUser, sample } from "../../tests/support/api";
import { request } from "../../tests/support/http";
import { freshDatabase, ROOT, startServer, type RunningServer } from "../../tests/support/server";

interface Args {
  duration: number;
  warmup: number;
  ocrConnections: number;
  vadConnections: number;
  out: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { duration: 60, warmup: 15, ocrConnections: 16, vadConnections: 32, out: path.join(ROOT, "bench", "load", "RESULTS.md") };
  for (const arg of argv) {
    const [k, v] = arg.replace(/^--/, "").split("=");
    const n = Number(v);
    if (k === "duration" && n > 0) a.duration = n;
    else if (k === "warmup" && n >= 0) a.warmup = n;
    else if (k === "ocr-connections" && n > 0) a.ocrConnections = n;
    else if (k === "vad-connections" && n > 0) a.vadConnections = n;
    else if (k === "out" && v) a.out = path.resolve(v);
    else if (k === "help" || k === "h") {
      process.stdout.write(fs.readFileSync(__filename, "utf8").split("*/")[0]);
      process.exit(0);
    } else throw new Error(`unknown or invalid argument ${arg} (try --help)`);
  }
  return a;
}

/** A multipart/form-data body with one file field, built once and replayed by every connection. */
function multipart(field: string, file: Buffer, filename: string): { body: Buffer; type: string } {
  const boundary = `----pareto-load-${Date.now().toString(36)}`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${boundary}--\r\n`)]), type: `multipart/form-data; boundary=${boundary}` };
}

/** The p-th percentile (lib/stats' one definition, as /usage and /selection use it) of ascending latencies. */
function percentile(sorted: number[], p: number): number {
  return quantileSorted(sorted, p / 100);
}

/** Whole-machine CPU busy share between two /proc/stat readings (other engineers' work included). */
function cpuTicks(): { busy: number; total: number } {
  const v = fs.readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1, 9).map(Number);
  const total = v.reduce((s, x) => s + x, 0);
  return { busy: total - v[3] - v[4], total };
}

interface Workload {
  name: string;
  path: string;
  connections: number;
  result: Result;
  latencies: number[];
  statuses: Record<string, number>;
  rss: { start: number; mid: number; max: number; end: number };
  machineBusy: number;
}

const MiB = 1024 * 1024;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const token = `load-${Math.random().toString(36).slice(2)}`;
  const admin = { email: "load-admin@example.com", password: "load-admin-password" };
  const fresh = await freshDatabase();
  let server: RunningServer | undefined;
  try {
    server = await startServer(
      { DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: admin.email, PARETO_ADMIN_PASSWORD: admin.password, PARETO_METRICS_TOKEN: token, PARETO_AUTO_BENCHMARK: "0" },
      { dataDir: fresh.dataDir },
    );
    const base = server.url;
    const rss = async (): Promise<number> => {
      const text = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
      return Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)?.[1] ?? NaN);
    };

    // An Enterprise user whose limits never get in the way: the test measures the server, not the limiter.
    const jar = await adminJar(base, admin.email, admin.password);
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar })).json()) as { data: { id: string; name: string }[] };
    const ent = plans.data.find((p) => p.name === "Enterprise")!;
    const lift = { requests_per_minute: 1_000_000, concurrent_requests: 10_000, monthly_requests: 2_000_000_000, monthly_compute_ms: 2_000_000_000 };
    if ((await request(base, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar, json: lift })).status !== 200) throw new Error("could not lift the Enterprise plan");
    const user = await newUser(base, "load");
    if ((await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar, json: { plan: "Enterprise" } })).status !== 200) throw new Error("could not move the user to Enterprise");
    const { key } = await createKey(base, user, { name: "load test" });

    const workloads: { name: string; path: string; connections: number; field: string; file: Buffer; filename: string }[] = [
      { name: "OCR · ppocr-v4-det960 · sign-en.png (800×560)", path: "/api/v1/ocr", connections: args.ocrConnections, field: "image", file: sample("sign-en.png"), filename: "sign-en.png" },
      { name: "VAD · silero-vad-v5 · speech-en.wav", path: "/api/v1/vad", connections: args.vadConnections, field: "audio", file: sample("speech-en.wav"), filename: "speech-en.wav" },
    ];
    // Warm-up: load both models, then run each workload at its full concurrency for a while, unmeasured, so the
    // runtime's buffers (ONNX Runtime arenas grow to the largest batch they have seen) reach their working size.
    for (const w of workloads) {
      const r = await request(base, w.path, { method: "POST", headers: bearer(key), body: form(w.field, w.file, w.filename) });
      if (r.status !== 200) throw new Error(`warm-up ${w.path} → ${r.status}: ${await r.text()}`);
    }
    const rssBeforeWarmup = await rss();
    for (const w of workloads) {
      const { body, type } = multipart(w.field, w.file, w.filename);
      process.stderr.write(`warm-up ${w.name}: ${w.connections} connections for ${args.warmup} s …\n`);
      await new Promise<Result>((resolve, reject) => {
        autocannon(
          { url: `${base}${w.path}`, method: "POST", headers: { ...bearer(key), "content-type": type }, body, connections: w.connections, duration: args.warmup, timeout: 120 },
          (err, r) => (err ? reject(err) : resolve(r)),
        );
      });
    }
    await new Promise((r) => setTimeout(r, 3_000));
    const rssAtStart = await rss();

    const done: Workload[] = [];
    for (const w of workloads) {
      const { body, type } = multipart(w.field, w.file, w.filename);
      const latencies: number[] = [];
      const statuses: Record<string, number> = {};
      const start = await rss();
      const series: { t: number; v: number }[] = [{ t: 0, v: start }];
      const t0 = Date.now();
      const sampler = setInterval(() => void rss().then((v) => series.push({ t: (Date.now() - t0) / 1000, v })).catch(() => undefined), 2_000);
      const cpu0 = cpuTicks();
      process.stderr.write(`${w.name}: ${w.connections} connections for ${args.duration} s …\n`);
      const result = await new Promise<Result>((resolve, reject) => {
        const inst = autocannon(
          { url: `${base}${w.path}`, method: "POST", headers: { ...bearer(key), "content-type": type }, body, connections: w.connections, duration: args.duration, timeout: 120, title: w.name },
          (err, r) => (err ? reject(err) : resolve(r)),
        );
        inst.on("response", (_c, status, _bytes, ms) => {
          latencies.push(ms);
          statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
        });
      });
      const cpu1 = cpuTicks();
      clearInterval(sampler);
      const end = await rss();
      latencies.sort((x, y) => x - y);
      done.push({
        name: w.name,
        path: w.path,
        connections: w.connections,
        result,
        latencies,
        statuses,
        rss: { start, max: Math.max(end, ...series.map((x) => x.v)), end, mid: series.filter((x) => x.t <= args.duration / 2).at(-1)?.v ?? start },
        machineBusy: (cpu1.busy - cpu0.busy) / Math.max(1, cpu1.total - cpu0.total),
      });
    }
    // Let in-flight work and buffered usage events drain, then read memory at rest.
    await new Promise((r) => setTimeout(r, 5_000));
    const rssAtEnd = await rss();
    const metrics = await (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
    const byStatus = [...metrics.matchAll(/^pareto_http_requests_total\{route="([^"]+)",model="([^"]*)",status="(\d+)"\} (\S+)$/gm)].map((m) => ({ route: m[1], model: m[2], status: m[3], n: Number(m[4]) }));

    const md = report(args, done, { rssBeforeWarmup, rssAtStart, rssAtEnd, byStatus });
    fs.mkdirSync(path.dirname(args.out), { recursive: true });
    fs.writeFileSync(args.out, md);
    process.stdout.write(md);
    process.stderr.write(`written to ${path.relative(process.cwd(), args.out)}\n`);
    const bad = done.flatMap((w) => Object.entries(w.statuses).filter(([s]) => Number(s) >= 500 && s !== "503"));
    if (bad.length || done.some((w) => w.result.errors > 0)) {
      process.stderr.write(`unexpected server errors: ${JSON.stringify(bad)}; connection errors: ${done.map((w) => w.result.errors).join(", ")}\n`);
      process.exitCode = 1;
    }
  } finally {
    await server?.stop();
    await fresh.drop();
  }
}

function report(args: Args, done: Workload[], extra: { rssBeforeWarmup: number; rssAtStart: number; rssAtEnd: number; byStatus: { route: string; model: string; status: string; n: number }[] }): string {
  const f = (n: number, d = 0) => (Number.isFinite(n) ? n.toFixed(d) : "–");
  const lines: string[] = [];
  lines.push("## HTTP load test (`bench/load/run.ts`)", "");
  lines.push(
    `${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "unknown CPU"}), ${f(os.totalmem() / 1024 ** 3, 1)} GiB · Node ${process.version} · ` +
      `one production server (\`npm start\` defaults: ${os.availableParallelism?.() ?? os.cpus().length} inference workers × 8 slots, queue 64) on SQLite, ` +
      `autocannon on the same machine, ${args.duration} s per workload after ${args.warmup} s of unmeasured warm-up at the same concurrency.`,
    "",
  );
  lines.push("| Workload | Connections | Requests | Throughput (req/s) | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) | Status codes | Errors | Machine CPU busy |");
  lines.push("| --- | --: | --: | --: | --: | --: | --: | --: | --- | --: | --: |");
  for (const w of done) {
    const n = w.latencies.length;
    const codes = Object.entries(w.statuses).sort().map(([s, c]) => `${s}: ${c}`).join(", ");
    lines.push(
      `| ${w.name} | ${w.connections} | ${n} | ${f(n / w.result.duration, 1)} | ${f(percentile(w.latencies, 50))} | ${f(percentile(w.latencies, 95))} | ${f(percentile(w.latencies, 99))} | ${f(w.latencies.at(-1) ?? NaN)} | ${codes} | ${w.result.errors} | ${f(w.machineBusy * 100)} % |`,
    );
  }
  lines.push("", "Resident memory of the server process (workers included), from its own `/metrics`:", "");
  lines.push("| Phase | RSS (MiB) |", "| --- | --: |");
  lines.push(`| models loaded, before the warm-up | ${f(extra.rssBeforeWarmup / MiB)} |`);
  lines.push(`| after the warm-up | ${f(extra.rssAtStart / MiB)} |`);
  for (const w of done) lines.push(`| ${w.name.split(" · ")[0]}: start / half-way / end / peak | ${f(w.rss.start / MiB)} / ${f(w.rss.mid / MiB)} / ${f(w.rss.end / MiB)} / ${f(w.rss.max / MiB)} |`);
  lines.push(`| at rest, 5 s after the last request | ${f(extra.rssAtEnd / MiB)} |`);
  const drift = (extra.rssAtEnd - extra.rssAtStart) / extra.rssAtStart;
  const secondHalf = done.map((w) => `${w.name.split(" · ")[0]} ${w.rss.end >= w.rss.mid ? "+" : ""}${f((w.rss.end - w.rss.mid) / MiB)} MiB`).join(", ");
  lines.push(
    "",
    `Memory drift over the measured runs (after the warm-up → at rest): ${drift >= 0 ? "+" : ""}${f(drift * 100, 1)} %; over the second half of each run: ${secondHalf}. ` +
      "The step during the warm-up is ONNX Runtime's arenas growing to the largest batches the concurrency produces; they are kept for reuse, not leaked.",
  );
  const server5xx = extra.byStatus.filter((s) => Number(s.status) >= 500);
  lines.push(
    "",
    `Server-side count over warm-up and runs (\`pareto_http_requests_total\`): ${extra.byStatus.map((s) => `${s.route} ${s.status}: ${s.n}`).join("; ")}. ` +
      "(The 400s are requests autocannon abandons mid-flight when a run ends, at most one per connection per run; the server answers them 400 (the client went away).)" +
      ` ${server5xx.length ? `5xx: ${server5xx.map((s) => `${s.status} × ${s.n}`).join(", ")} (503 = designed backpressure).` : "No 5xx."}`,
  );
  lines.push(
    "",
    "Latency is measured by the client from request start to the complete response, so it includes queueing in the server: at saturation, p50 ≈ connections ÷ throughput. " +
      "Throughput is bounded by the CPU (the inference workers share the cores with the web server and with autocannon itself); the machine-wide busy share says how much of it this run had. " +
      "The machine was shared with other work while this ran, so treat the figures as indicative.",
    "",
  );
  return lines.join("\n");
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
