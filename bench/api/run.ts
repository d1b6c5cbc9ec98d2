/**
 * Overhead of the full API path (key auth, rate limit, concurrency slot, quota reserve/settle, usage event, HTTP)
 * over a direct runtime call on the same input: `node --conditions=react-server --import tsx bench/api/run.ts`
 * (needs `npm run build`). Prints a markdown section; `--out=FILE` also writes it.
 *
 * Direct: a Runtime in this process (the server's defaults) runs the same tiny VAD WAV, at concurrency 1, 8, 32.
 * API: a production server on a fresh database, autocannon at the same concurrencies, same worker count. The two
 * are measured one after the other, never at once, so they don't compete for the cores.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon, { type Result } from "autocannon";
import { Runtime, runtimeConfigFromEnv } from "@/lib/runtime";
import { quantileSorted } from "@/lib/stats";
import { adminJar, bearer, createKey, newUser, tinyWav } from "../../tests/support/api";
import { request } from "../../tests/support/http";
import { freshDatabase, ROOT, startServer } from "../../tests/support/server";

const CONCURRENCY = [1, 8, 32];
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 10);
const MODEL = "silero-vad-v5";

/** The p-th percentile (lib/stats' one definition, as /usage and /selection use it) of ascending latencies. */
const pct = (sorted: number[], p: number): number => quantileSorted(sorted, p / 100);

interface Row {
  c: number;
  n: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

async function direct(wav: Buffer): Promise<Row[]> {
  const rt = new Runtime(runtimeConfigFromEnv({ root: ROOT }));
  try {
    for (let i = 0; i < 20; i++) await rt.run(MODEL, wav); // warm-up: load the model, grow buffers
    const rows: Row[] = [];
    for (const c of CONCURRENCY) {
      const lat: number[] = [];
      const end = Date.now() + SECONDS * 1000;
      const t0 = performance.now();
      await Promise.all(
        Array.from({ length: c }, async () => {
          while (Date.now() < end) {
            const s = performance.now();
            await rt.run(MODEL, wav);
            lat.push(performance.now() - s);
          }
        }),
      );
      const secs = (performance.now() - t0) / 1000;
      lat.sort((a, b) => a - b);
      rows.push({ c, n: lat.length, rps: lat.length / secs, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) });
    }
    return rows;
  } finally {
    await rt.close();
  }
}

function multipart(file: Buffer): { body: Buffer; type: string } {
  const b = `----pareto-bench-${Date.now().toString(36)}`;
  const head = `--${b}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`;
  return { body: Buffer.concat([Buffer.from(head), file, Buffer.from(`\r\n--${b}\r\nContent-Disposition: form-data; name="model"\r\n\r\n${MODEL}\r\n--${b}--\r\n`)]), type: `multipart/form-data; boundary=${b}` };
}

async function viaApi(wav: Buffer): Promise<{ rows: Row[]; statuses: Record<string, number> }> {
  const admin = { email: "bench-admin@example.com", password: "bench-admin-password" };
  const fresh = await freshDatabase();
  const server = await startServer({ DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: admin.email, PARETO_ADMIN_PASSWORD: admin.password, PARETO_AUTO_BENCHMARK: "0" }, { dataDir: fresh.dataDir });
  const statuses: Record<string, number> = {};
  try {
    const base = server.url;
    const jar = await adminJar(base, admin.email, admin.password);
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar })).json()) as { data: { id: string; name: string }[] };
    const ent = plans.data.find((p) => p.name === "Enterprise")!;
    await request(base, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar, json: { requests_per_minute: 1_000_000, concurrent_requests: 10_000, monthly_requests: 2_000_000_000, monthly_compute_ms: 2_000_000_000 } });
    const user = await newUser(base, "bench");
    await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar, json: { plan: "Enterprise" } });
    const { key } = await createKey(base, user, { name: "bench" });
    const { body, type } = multipart(wav);
    const run = (c: number, seconds: number, lat?: number[]) =>
      new Promise<Result>((resolve, reject) => {
        const inst = autocannon({ url: `${base}/api/v1/vad`, method: "POST", headers: { ...bearer(key), "content-type": type }, body, connections: c, duration: seconds }, (e, r) => (e ? reject(e) : resolve(r)));
        if (lat) {
          inst.on("response", (_client, status, _bytes, ms) => {
            lat.push(ms);
            statuses[String(status)] = (statuses[String(status)] ?? 0) + 1;
          });
        }
      });
    await run(8, 3); // warm-up
    const rows: Row[] = [];
    for (const c of CONCURRENCY) {
      const lat: number[] = [];
      const r = await run(c, SECONDS, lat);
      lat.sort((a, b) => a - b);
      rows.push({ c, n: lat.length, rps: lat.length / r.duration, p50: pct(lat, 50), p95: pct(lat, 95), p99: pct(lat, 99) });
    }
    return { rows, statuses };
  } finally {
    await server.stop();
    await fresh.drop();
  }
}

async function main() {
  const wav = tinyWav(1.0);
  const d = await direct(wav);
  const a = await viaApi(wav);
  const f = (v: number, n = 2) => (Number.isFinite(v) ? v.toFixed(n) : "–");
  const lines = [
    "## API path overhead (`bench/api/run.ts`)",
    "",
    `${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}) · Node ${process.version} · ${MODEL} on a 1 s 16 kHz WAV · ${SECONDS} s per row · ` +
      "direct = `Runtime.run` in-process; API = `POST /api/v1/vad` with a key over HTTP (auth, rate limit, concurrency slot, quota reserve/settle on SQLite, usage event), autocannon on the same machine.",
    "",
    "| Concurrency | Direct p50 / p95 / p99 (ms) | API p50 / p95 / p99 (ms) | Added at p50 (ms) | Direct req/s | API req/s |",
    "| --: | --- | --- | --: | --: | --: |",
    ...CONCURRENCY.map((c, i) => `| ${c} | ${f(d[i].p50)} / ${f(d[i].p95)} / ${f(d[i].p99)} | ${f(a.rows[i].p50)} / ${f(a.rows[i].p95)} / ${f(a.rows[i].p99)} | ${f(a.rows[i].p50 - d[i].p50)} | ${f(d[i].rps, 0)} | ${f(a.rows[i].rps, 0)} |`),
    "",
    `Status codes over HTTP: ${Object.entries(a.statuses).map(([s, n]) => `${s}: ${n}`).join(", ")}. autocannon reports whole milliseconds, so API percentiles are rounded up to 1 ms.`,
    "",
  ];
  const md = lines.join("\n");
  process.stdout.write(md);
  const out = process.argv.find((x) => x.startsWith("--out="))?.slice(6);
  if (out) fs.writeFileSync(path.resolve(out), md);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
