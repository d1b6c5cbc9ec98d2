import parsePrometheus, { type PromFamily } from "parse-prometheus-text-format";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { CATALOG } from "@/lib/models/catalog";
import { request, type CookieJar } from "../support/http";
import { adminJar, bearer, createKey, form, newUser, tinyWav, type TestUser } from "../support/api";

const base = inject("baseUrl");
const token = inject("metricsToken");

type Ready = {
  status: string;
  checks: { database: { ok: boolean }; redis: { configured: boolean; ok: boolean }; models: { id: string; state: string; reason?: string }[] };
};

describe("liveness and readiness", () => {
  it("GET /api/health → 200 ok", async () => {
    const res = await request(base, "/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /api/ready → 200 with the status alone for anyone (no error text, no model reasons)", async () => {
    const res = await request(base, "/api/ready");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ready" });
  });

  it("GET /api/ready with the metrics token → 200 with the database ok and every catalog model listed with its state", async () => {
    const res = await request(base, "/api/ready", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Ready;
    expect(body.status).toBe("ready");
    expect(body.checks.database).toEqual({ ok: true });
    expect(body.checks.redis.ok).toBe(true);
    // Every built-in; uploaded versions (`<model>@<version>`, from other test files) are listed beside them.
    expect(body.checks.models.map((m) => m.id).filter((id) => !id.includes("@")).sort()).toEqual(CATALOG.map((e) => e.id).sort());
    for (const m of body.checks.models) expect(["UNLOADED", "LOADING", "READY"]).toContain(m.state);
  });
});

/** Every sample line of a metric in the exposition text, with its labels (values unescaped). */
function series(text: string, name: string): { labels: Record<string, string>; value: number }[] {
  const out: { labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\n/g, "\n").replace(/\\(["\\])/g, "$1");
    out.push({ labels, value: m[3] === "+Inf" ? Infinity : Number(m[3]) });
  }
  return out;
}

/** The value of the one series whose labels are exactly `labels` (0 when it does not exist yet). */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const want = JSON.stringify(Object.entries(labels).sort());
  return series(text, name).find((s) => JSON.stringify(Object.entries(s.labels).sort()) === want)?.value ?? 0;
}

describe("GET /metrics", () => {
  let user: TestUser;
  let admin: CookieJar;
  let key: string;

  const scrape = async () => {
    const res = await request(base, "/metrics", { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    return { text, fams: parsePrometheus(text) };
  };
  const vad = (body: FormData, k = key) => request(base, "/api/v1/vad", { method: "POST", headers: bearer(k), body });

  beforeAll(async () => {
    user = await newUser(base, "metrics");
    admin = await adminJar(base, inject("adminEmail"), inject("adminPassword"));
    key = (await createKey(base, user)).key;
    // At least one inference, so the histograms of this instance have samples.
    expect((await vad(form("audio", tinyWav(), "a.wav"))).status).toBe(200);
  });

  const auth: { name: string; headers: () => Record<string, string>; jar?: () => CookieJar; status: number; code?: string }[] = [
    { name: "no credentials", headers: () => ({}), status: 401, code: "unauthorized" },
    { name: "wrong token", headers: () => ({ authorization: `Bearer ${token}x` }), status: 401, code: "unauthorized" },
    { name: "token of another length", headers: () => ({ authorization: "Bearer x" }), status: 401, code: "unauthorized" },
    { name: "an API key instead of the token", headers: () => bearer(key), status: 401, code: "unauthorized" },
    { name: "the token with another scheme", headers: () => ({ authorization: `Basic ${token}` }), status: 401, code: "unauthorized" },
    { name: "a USER session", headers: () => ({}), jar: () => user.jar, status: 403, code: "forbidden" },
    { name: "an admin session", headers: () => ({}), jar: () => admin, status: 200 },
    { name: "PARETO_METRICS_TOKEN", headers: () => ({ authorization: `Bearer ${token}` }), status: 200 },
  ];
  it.each(auth)("$name → $status", async ({ headers, jar, status, code }) => {
    const res = await request(base, "/metrics", { headers: headers(), jar: jar?.() });
    expect(res.status).toBe(status);
    if (code) {
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    } else {
      expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-store");
      expect(await res.text()).toContain("# TYPE pareto_http_requests_total counter");
    }
  });

  it("parses as Prometheus text, and every family follows the naming conventions", async () => {
    const { text, fams } = await scrape();
    expect(fams.length).toBeGreaterThan(5);
    const byName = new Map(fams.map((f) => [f.name, f]));
    const expected: [string, PromFamily["type"]][] = [
      ["pareto_http_requests_total", "COUNTER"],
      ["pareto_http_request_duration_seconds", "HISTOGRAM"],
      ["pareto_rejections_total", "COUNTER"],
      ["pareto_compute_seconds_total", "COUNTER"],
      ["pareto_inference_queue_wait_seconds", "HISTOGRAM"],
      ["pareto_worker_crashes_total", "COUNTER"],
      ["pareto_usage_events_written_total", "COUNTER"],
      ["pareto_model_state", "GAUGE"],
      ["process_resident_memory_bytes", "GAUGE"],
      ["pareto_event_loop_lag_seconds", "HISTOGRAM"],
      ["pareto_event_loop_lag_max_seconds", "GAUGE"],
    ];
    for (const [name, type] of expected) expect(byName.get(name)?.type, name).toBe(type);

    for (const f of fams) {
      // snake_case, a HELP text and a TYPE line for every family (no UNTYPED series).
      expect(f.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
      expect(f.help.length, f.name).toBeGreaterThan(5);
      expect(f.type, f.name).not.toBe("UNTYPED");
      // Counters and only counters end in _total; base units (seconds, bytes), never ms/kb/percent.
      if (f.type === "COUNTER") expect(f.name).toMatch(/_total$/);
      else expect(f.name).not.toMatch(/_total$/);
      expect(f.name).not.toMatch(/_(ms|msec|millis|milliseconds|us|microseconds|kb|kib|mb|mib|percent)(_|$)/);
      if (/duration|latency|wait|_time|compute/.test(f.name)) expect(f.name).toMatch(/_seconds(_total)?$/);
      if (/memory|size_bytes|_bytes/.test(f.name)) expect(f.name).toMatch(/_bytes(_total)?$/);
      for (const m of f.metrics) for (const l of Object.keys(m.labels ?? {})) expect(l).toMatch(/^[a-z][a-z0-9_]*$/);
      if (f.type !== "HISTOGRAM") continue;
      // Histograms (checked on the raw text: the parser merges labelled histograms): per label set, cumulative
      // _bucket{le} series ending in le="+Inf" equal to _count, and a _sum.
      const groups = new Map<string, { le: number; v: number }[]>();
      for (const b of series(text, `${f.name}_bucket`)) {
        const { le, ...rest } = b.labels;
        expect(le, f.name).toBeDefined();
        const k = JSON.stringify(Object.entries(rest).sort());
        groups.set(k, [...(groups.get(k) ?? []), { le: le === "+Inf" ? Infinity : Number(le), v: b.value }]);
      }
      expect(groups.size, f.name).toBeGreaterThan(0);
      for (const [k, buckets] of groups) {
        const labels = Object.fromEntries(JSON.parse(k) as [string, string][]);
        const sorted = [...buckets].sort((a, b) => a.le - b.le);
        expect(sorted.at(-1)!.le, f.name).toBe(Infinity);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i].v).toBeGreaterThanOrEqual(sorted[i - 1].v);
        expect(sample(text, `${f.name}_count`, labels), `${f.name}_count${k}`).toBe(sorted.at(-1)!.v);
        expect(series(text, `${f.name}_sum`).some((x) => JSON.stringify(Object.entries(x.labels).sort()) === k), `${f.name}_sum${k}`).toBe(true);
      }
    }
  });

  it("counts a request just made by route, model and status, in the latency histogram, and rate-limit refusals", async () => {
    const ok = { route: "/api/v1/vad", model: "silero-vad-v5", status: "200" };
    // The model is resolved before the audio is decoded, so a bad file is counted against it.
    const bad = { route: "/api/v1/vad", model: "silero-vad-v5", status: "400" };
    const before = await scrape();
    expect((await vad(form("audio", tinyWav(), "a.wav"))).status).toBe(200);
    expect((await vad(form("audio", Buffer.from("not a wav at all"), "a.wav"))).status).toBe(400);
    const limited = (await createKey(base, user, { name: "one a minute", requests_per_minute: 1 })).key;
    expect((await vad(form("audio", tinyWav(), "a.wav"), limited)).status).toBe(200);
    expect((await vad(form("audio", tinyWav(), "a.wav"), limited)).status).toBe(429);
    const after = await scrape();

    const delta = (name: string, labels: Record<string, string>) => sample(after.text, name, labels) - sample(before.text, name, labels);
    expect(delta("pareto_http_requests_total", ok)).toBe(2);
    expect(delta("pareto_http_requests_total", bad)).toBe(1);
    expect(delta("pareto_http_requests_total", { route: "/api/v1/vad", model: "", status: "429" })).toBe(1);
    expect(delta("pareto_http_request_duration_seconds_count", { route: "/api/v1/vad" })).toBe(4);
    expect(delta("pareto_rejections_total", { reason: "rate_limited" })).toBe(1);
    expect(delta("pareto_compute_seconds_total", { model: "silero-vad-v5" })).toBeGreaterThan(0);
    // One state at a time per model (the background benchmark may load and unload models meanwhile).
    const states = ["UNLOADED", "LOADING", "READY", "FAILED"].map((state) => sample(after.text, "pareto_model_state", { model: "silero-vad-v5", state }));
    expect(states.reduce((a, b) => a + b, 0)).toBe(1);
    expect(sample(after.text, "process_resident_memory_bytes", {})).toBeGreaterThan(10 * 1024 * 1024);
    // The main-thread lag timer ticks every 10 ms from boot on: the interval between the two scrapes has ticks.
    expect(delta("pareto_event_loop_lag_seconds_count", {})).toBeGreaterThan(0);
  });
});
