/**
 * Where the API path's main-thread time goes: `node --conditions=react-server --import tsx bench/api/profile.ts`
 * (needs `npm run build`). Starts a production server with a CPU profiler (cpu-profile-preload.mjs), loads `POST /api/v1/vad` (1 s WAV, a key on
 * an unlimited plan) at 16 connections for BENCH_PROFILE_SECONDS (default 15), stops it gracefully so the profile is
 * written, and prints the top frames by self time, and the same time grouped by where the code lives (our lib/,
 * Next.js, React, Prisma, Node internals…). `--out=FILE` also writes the markdown.
 *
 * `--raw` sends the WAV as a raw `audio/wav` body instead of multipart; `--summarise=FILE` re-reads a profile.
 *
 * A sampling profile says where time goes, not how long a request takes: read it as shares, next to `npm run bench`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import autocannon, { type Result } from "autocannon";
import { SourceMapConsumer, type RawSourceMap } from "source-map-js";
import { adminJar, bearer, createKey, newUser, tinyWav } from "../../tests/support/api";
import { request } from "../../tests/support/http";
import { freshDatabase, startServer } from "../../tests/support/server";

const SECONDS = Number(process.env.BENCH_PROFILE_SECONDS ?? 15);
const CONNECTIONS = Number(process.env.BENCH_PROFILE_CONNECTIONS ?? 16);
const MODEL = "silero-vad-v5";

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Where a frame's code lives, for the grouped view. */
function area(url: string, fn: string): string {
  if (fn === "(garbage collector)") return "garbage collection";
  if (fn === "(idle)" || fn === "(program)") return fn;
  const u = url.replace(/^file:\/\//, "");
  const nm = u.lastIndexOf("node_modules/");
  if (nm >= 0) {
    const rest = u.slice(nm + "node_modules/".length).split("/");
    const pkg = rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
    if (pkg === "next") {
      if (u.includes("/compiled/")) return `next (compiled: ${rest[rest.indexOf("compiled") + 1] ?? "?"})`;
      return "next (server)";
    }
    return pkg;
  }
  if (u.includes("/.next/server/")) {
    // Our code as Next bundled it: name the chunk's source where the bundle keeps it.
    return "app bundle (.next/server: our lib/ and app/ as compiled)";
  }
  if (u.startsWith("node:") || (!u.includes("/") && u !== "")) return "node internals";
  if (u === "") return "native / V8";
  return path.relative(process.cwd(), u) || u;
}

/**
 * Next bundles (and minifies) our lib/ and app/ into .next/server chunks; their source maps name the original file
 * and function, so the tables say `authenticate — lib/api/principal.ts` instead of `s — chunk.js:1`.
 */
const maps = new Map<string, SourceMapConsumer | null>();
function original(cf: CallFrame): { fn: string; file: string } | null {
  const file = cf.url.replace(/^file:\/\//, "");
  if (!file.includes("/.next/server/")) return null;
  let m = maps.get(file);
  if (m === undefined) {
    try {
      m = new SourceMapConsumer(JSON.parse(fs.readFileSync(`${file}.map`, "utf8")) as RawSourceMap);
    } catch {
      m = null;
    }
    maps.set(file, m);
  }
  if (!m) return null;
  const pos = m.originalPositionFor({ line: cf.lineNumber + 1, column: cf.columnNumber });
  if (!pos.source) return null;
  // Turbopack names sources like "turbopack:///[project]/lib/api/input.ts"; keep the project-relative path.
  const src = decodeURIComponent(pos.source.replace(/^.*\[project\]\//, "").replace(/^turbopack:\/\/\//, "")).replace(/^(\.\.\/)+/, "");
  return { fn: pos.name ?? cf.functionName, file: `${src}:${pos.line}` };
}

function summarise(file: string, top = 25): string {
  const p = JSON.parse(fs.readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (p.timeDeltas[i] ?? 0));
  let total = 0;
  let idle = 0;
  const frames = new Map<string, number>();
  const areas = new Map<string, number>();
  for (const [id, us] of self) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    total += us;
    if (functionName === "(idle)") {
      idle += us;
      continue;
    }
    const orig = original(n.callFrame);
    const ours = orig && !orig.file.startsWith("node_modules/");
    const where = orig ? (ours ? orig.file.replace(/:\d+$/, "") : orig.file.replace(/^node_modules\/((@[^/]+\/)?[^/]+).*$/, "$1")) : area(url, functionName);
    const key = `${(orig?.fn ?? functionName) || "(anonymous)"} — ${ours ? orig.file : where}`;
    void lineNumber;
    frames.set(key, (frames.get(key) ?? 0) + us);
    areas.set(where, (areas.get(where) ?? 0) + us);
  }
  // Inclusive time of our own functions (lib/, app/): each counted once per sampled stack.
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of self) {
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const o = original(byId.get(x)!.callFrame);
      if (!o || !/^(lib|app)\//.test(o.file)) continue;
      const k = `${o.fn || "(anonymous)"} — ${o.file.replace(/:\d+$/, "")}`;
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const pct = (us: number) => `${((us / busy) * 100).toFixed(1)} %`;
  const lines = [
    `Main thread: ${(total / 1e6).toFixed(1)} s sampled, ${(idle / 1e6).toFixed(1)} s idle, ${(busy / 1e6).toFixed(1)} s busy (shares below are of busy time).`,
    "",
    "| Where | Self time |",
    "| --- | --: |",
    ...[...areas.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([k, v]) => `| ${k} | ${pct(v)} |`),
    "",
    "| Top frames (self) | Self time |",
    "| --- | --: |",
    ...[...frames.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `| ${k.replace(/\|/g, "\\|")} | ${pct(v)} |`),
    "",
    "| Our functions (inclusive: with what they call) | Total time |",
    "| --- | --: |",
    ...[...inclusive.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `| ${k.replace(/\|/g, "\\|")} | ${pct(v)} |`),
  ];
  return lines.join("\n");
}

async function main() {
  // `--summarise=FILE`: the tables for a profile written earlier (the build must be the one it was taken on).
  const again = process.argv.find((x) => x.startsWith("--summarise="))?.slice("--summarise=".length);
  if (again) return void process.stdout.write(`${summarise(again)}\n`);
  const profDir = fs.mkdtempSync(path.join(os.tmpdir(), "pareto-prof-"));
  const admin = { email: "prof-admin@example.com", password: "prof-admin-password" };
  const fresh = await freshDatabase();
  const server = await startServer(
    { DATABASE_URL: fresh.url, PARETO_ADMIN_EMAIL: admin.email, PARETO_ADMIN_PASSWORD: admin.password, NODE_OPTIONS: `--import ${pathToFileURL(path.join(__dirname, "cpu-profile-preload.mjs")).href}`, PARETO_CPU_PROFILE_DIR: profDir },
    { dataDir: fresh.dataDir },
  );
  let statuses: Record<string, number> = {};
  let rps = 0;
  try {
    const base = server.url;
    const jar = await adminJar(base, admin.email, admin.password);
    const plans = (await (await request(base, "/api/v1/admin/plans", { jar })).json()) as { data: { id: string; name: string }[] };
    const ent = plans.data.find((x) => x.name === "Enterprise")!;
    await request(base, `/api/v1/admin/plans/${ent.id}`, { method: "PATCH", jar, json: { requests_per_minute: 1_000_000, concurrent_requests: 10_000, monthly_requests: 2_000_000_000, monthly_compute_ms: 2_000_000_000 } });
    const user = await newUser(base, "prof");
    await request(base, `/api/v1/admin/users/${user.id}`, { method: "PATCH", jar, json: { plan: "Enterprise" } });
    const { key } = await createKey(base, user, { name: "prof" });
    const wav = tinyWav(1.0);
    const query = new URLSearchParams({ model: MODEL });
    const raw = process.argv.includes("--raw");
    const b = "----pareto-prof";
    const body = raw
      ? wav
      : Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="audio"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\n`), wav, Buffer.from(`\r\n--${b}\r\nContent-Disposition: form-data; name="model"\r\n\r\n${MODEL}\r\n--${b}--\r\n`)]);
    const type = raw ? "audio/wav" : `multipart/form-data; boundary=${b}`;
    const url = raw ? `${base}/api/v1/vad?${query}` : `${base}/api/v1/vad`;
    // Warm up (models loaded, caches filled), then start the profiler: boot and set-up stay out of the profile.
    await fetch(url, { method: "POST", headers: { ...bearer(key), "content-type": type }, body: new Uint8Array(body) });
    process.kill(Number(fs.readFileSync(path.join(profDir, "server.pid"), "utf8")), "SIGUSR2");
    const res = await new Promise<Result>((resolve, reject) => {
      const inst = autocannon({ url, method: "POST", headers: { ...bearer(key), "content-type": type }, body, connections: CONNECTIONS, duration: SECONDS }, (e, r) => (e ? reject(e) : resolve(r)));
      inst.on("response", (_c, status) => (statuses[String(status)] = (statuses[String(status)] ?? 0) + 1));
    });
    rps = res.requests.average;
  } finally {
    await server.stop("SIGINT");
    await fresh.drop();
  }
  statuses = Object.fromEntries(Object.entries(statuses).sort());
  const profiles = fs.readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile")).map((f) => path.join(profDir, f));
  // The largest profile is the server's (start.mjs, the parent, idles).
  const main = profiles.sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0];
  if (!main) throw new Error(`no CPU profile was written to ${profDir}`);
  const md = [
    `## Main-thread profile of the API path (\`bench/api/profile.ts\`)`,
    "",
    `${new Date().toISOString().slice(0, 10)} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? "?"}) · ${MODEL}, 1 s WAV, ${CONNECTIONS} connections for ${SECONDS} s · ${rps.toFixed(0)} req/s · statuses ${JSON.stringify(statuses)} · profile ${main}`,
    "",
    summarise(main),
    "",
  ].join("\n");
  process.stdout.write(md);
  const out = process.argv.find((x) => x.startsWith("--out="))?.slice(6);
  if (out) fs.writeFileSync(path.resolve(out), md);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
