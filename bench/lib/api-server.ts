/**
 * A production server for the API benchmarks: a fresh database, an unlimited plan and one API key, so the figures
 * measure the request path, not a limit being hit. Needs `npm run build`.
 */
import http from "node:http";
import { adminJar, createKey, newUser } from "../../tests/support/api";
import { request, type CookieJar } from "../../tests/support/http";
import { freshDatabase, startServer, type Env } from "../../tests/support/server";

export interface BenchServer {
  url: string;
  key: string;
  /** The admin's session (admin routes: training runs, the registry). */
  admin: CookieJar;
  /** The Prometheus text of /metrics. */
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

const METRICS_TOKEN = "bench-metrics-token";

export async function startBenchServer(extraEnv: Env = {}): Promise<BenchServer> {
  const admin = { email: "bench-admin@example.com", password: "bench-admin-password" };
  const fresh = await freshDatabase();
  const server = await startServer(
    { DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: admin.email, PARETO_ADMIN_PASSWORD: admin.password, PARETO_AUTO_BENCHMARK: "0", PARETO_METRICS_TOKEN: METRICS_TOKEN, ...extraEnv },
    { dataDir: fresh.dataDir },
  );
  try {
    const base = server.url;
    const jar = await adminJar(base, admin.email, admin.password);
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar })).json()) as { data: { id: string; name: string }[] };
    const ent = plans.data.find((p) => p.name === "Enterprise")!;
    await request(base, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar, json: { requests_per_minute: 1_000_000, concurrent_requests: 10_000, monthly_requests: 2_000_000_000, monthly_compute_ms: 2_000_000_000 } });
    const user = await newUser(base, "bench");
    await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar, json: { plan: "Enterprise" } });
    const { key } = await createKey(base, user, { name: "bench" });
    return {
      url: base,
      key,
      admin: jar,
      metrics: async () => (await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text(),
      stop: async () => {
        await server.stop();
        await fresh.drop();
      },
    };
  } catch (e) {
    await server.stop();
    await fresh.drop();
    throw e;
  }
}

/**
 * Sequential requests over one kept-alive connection, each timed from the first byte written to the last byte
 * read with performance.now() (autocannon rounds to whole milliseconds, too coarse for a 1 ms target).
 */
export function sequentialClient(url: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const target = new URL(url);
  return {
    post(path: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number; ms: number; body: string }> {
      return new Promise((resolve, reject) => {
        const t0 = performance.now();
        const req = http.request(
          { host: target.hostname, port: target.port, path, method: "POST", agent, headers: { ...headers, "content-length": String(body.length) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: Buffer.concat(chunks).toString("utf8") }));
            res.on("error", reject);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    },
    close: () => agent.destroy(),
  };
}

/** A multipart body with one file field and plain fields. */
export function multipartBody(field: string, filename: string, type: string, file: Buffer, fields: Record<string, string>): { body: Buffer; type: string } {
  const b = `----pareto-bench-${Math.random().toString(36).slice(2)}`;
  const parts: Buffer[] = [Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`), file];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`\r\n--${b}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}`));
  parts.push(Buffer.from(`\r\n--${b}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${b}` };
}

/** Sums of a Prometheus histogram's cumulative buckets (le → count) and its count, from the text format. */
export function promHistogram(text: string, name: string): { buckets: Map<number, number>; count: number } {
  const buckets = new Map<number, number>();
  let count = 0;
  for (const line of text.split("\n")) {
    const m = line.match(new RegExp(`^${name}_bucket\\{le="([^"]+)"\\} (\\S+)$`));
    if (m && m[1] !== "+Inf") buckets.set(Number(m[1]), Number(m[2]));
    const c = line.match(new RegExp(`^${name}_count (\\S+)$`));
    if (c) count = Number(c[1]);
  }
  return { buckets, count };
}

export function promGauge(text: string, name: string): number {
  const m = text.match(new RegExp(`^${name} (\\S+)$`, "m"));
  return m ? Number(m[1]) : NaN;
}
