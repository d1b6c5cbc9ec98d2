/**
 * Every environment variable the product reads, parsed in one place with zod: its default, its bounds and what it
 * means. The README's "Environment variables" table mirrors ENV_VARS (tests/unit/config/env-readme.test.ts fails
 * when they disagree). Values are read lazily, at each call, so tests and the CLI can set variables before first
 * use; boot calls validateEnv() once so a bad value stops the process with every problem named, not a later request.
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { parseTrustedProxies, type TrustedProxies } from "./client-address";

/** One variable: how its text is parsed, what an unset (or blank) variable means, and its README row. */
interface Var<T> {
  name: string;
  schema: z.ZodType<T>;
  /** Value when unset or blank. */
  fallback: () => T;
  /** The default as the README's Default column states it (e.g. "30000"); null when unset or computed. */
  default: string | null;
  meaning: string;
  /** Never echo the value in an error (passwords, tokens, URLs with credentials). */
  secret?: boolean;
  /** Read by the launcher script (`npm start`) or a library (next-auth, Next.js), not by lib/ or app/ code. */
  readBy?: string;
  /** Set by Next.js itself, never by an operator: not in the README table. */
  internal?: boolean;
}

const defineVar = <T>(v: Var<T>): Var<T> => v;

const integer = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^[+-]?\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().min(min, `must be ≥ ${min}`).max(max, `must be ≤ ${max}`));

const decimal = (opts: { min: number; exclusive?: boolean }) =>
  z
    .string()
    .regex(/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/, "must be a number")
    .transform(Number)
    .pipe(opts.exclusive ? z.number().gt(opts.min, `must be > ${opts.min}`) : z.number().min(opts.min, `must be ≥ ${opts.min}`));

/** On/off switches: 1/0, true/false, yes/no, on/off (any case). */
const flag = z
  .string()
  .transform((s) => s.toLowerCase())
  .pipe(z.enum(["1", "0", "true", "false", "yes", "no", "on", "off"], { message: "must be 1 or 0 (or true/false, yes/no, on/off)" }))
  .transform((s) => s === "1" || s === "true" || s === "yes" || s === "on");

const text = z.string();

const cores = () => Math.max(1, os.availableParallelism?.() ?? os.cpus().length);

const VARS = {
  port: defineVar({ name: "PORT", schema: integer(1, 65_535), fallback: () => 3000, default: "3000", meaning: "HTTP port of `npm start`.", readBy: "scripts/start.mjs" }),
  hostname: defineVar({ name: "HOSTNAME", schema: text, fallback: () => "0.0.0.0", default: "0.0.0.0", meaning: "Interface `npm start` listens on.", readBy: "scripts/start.mjs" }),
  /** `postgres://…` selects PostgreSQL; `file:…` or unset selects SQLite under the data dir. */
  databaseUrl: defineVar({
    name: "DATABASE_URL",
    schema: text.refine((s) => /^(postgres(ql)?:\/\/|file:)/i.test(s), "must start with postgres://, postgresql:// or file:"),
    fallback: (): string | undefined => undefined,
    default: null,
    meaning: "`postgres://…`/`postgresql://…` selects PostgreSQL; `file:/path/to.db` a SQLite file.",
    secret: true,
  }),
  /** Folder for the SQLite file and the generated auth secret. */
  dataDir: defineVar({
    name: "PARETO_DATA_DIR",
    schema: text.transform((s) => path.resolve(/*turbopackIgnore: true*/ s)),
    fallback: () => path.resolve(/*turbopackIgnore: true*/ process.cwd(), "data"),
    default: "./data",
    meaning: "Folder for the SQLite database and the generated session secret.",
  }),
  authSecret: defineVar({ name: "NEXTAUTH_SECRET", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "Signs session cookies.", secret: true }),
  nextAuthUrl: defineVar({
    name: "NEXTAUTH_URL",
    schema: z.url({ message: "must be an absolute URL such as https://pareto.example.com" }),
    // next-auth's own fallback (next-auth/utils/parse-url): stated here so the README and the module agree.
    fallback: () => "http://localhost:3000",
    default: "http://localhost:3000",
    meaning: "Public URL of the portal (sign-in redirects, OAuth callbacks).",
    readBy: "next-auth",
  }),
  githubId: defineVar({ name: "GITHUB_ID", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "GitHub OAuth app id." }),
  githubSecret: defineVar({ name: "GITHUB_SECRET", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "GitHub OAuth app secret.", secret: true }),
  /** GitHub's web and API roots: github.com by default; a GitHub Enterprise Server (or a test's loopback OAuth server) sets its own. */
  githubUrl: defineVar({ name: "GITHUB_URL", schema: z.url({ message: "must be an absolute URL" }), fallback: () => "https://github.com", default: "https://github.com", meaning: "GitHub web root (authorize and token endpoints)." }),
  githubApiUrl: defineVar({ name: "GITHUB_API_URL", schema: z.url({ message: "must be an absolute URL" }), fallback: () => "https://api.github.com", default: "https://api.github.com", meaning: "GitHub API root (user and email endpoints)." }),
  adminEmail: defineVar({ name: "PARETO_ADMIN_EMAIL", schema: z.email({ message: "must be an email address" }), fallback: (): string | undefined => undefined, default: null, meaning: "Admin account created at every start (with the password)." }),
  adminPassword: defineVar({ name: "PARETO_ADMIN_PASSWORD", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "Password of that admin account.", secret: true }),
  /** Who may create an account through the web: everyone, holders of an admin's invite link, or nobody (CLI only). */
  signupMode: defineVar({ name: "PARETO_SIGNUP", schema: z.enum(["open", "invite", "closed"], { message: "must be open, invite or closed" }), fallback: (): "open" | "invite" | "closed" => "open", default: "open", meaning: "Who may sign up: open, invite (an admin's invite link) or closed." }),
  signupRateLimit: defineVar({ name: "PARETO_SIGNUP_RATE_LIMIT", schema: integer(0), fallback: () => 10, default: "10", meaning: "Sign-up attempts per client address per hour (0: no limit)." }),
  /** Failed sign-ins allowed per (email, client address) — and per address ×4 — within the window (lib/auth/throttle.ts). */
  signinMaxFailures: defineVar({ name: "PARETO_SIGNIN_MAX_FAILURES", schema: integer(1), fallback: () => 5, default: "5", meaning: "Failed sign-ins per email and client address within the window before that address is throttled." }),
  signinWindowSeconds: defineVar({ name: "PARETO_SIGNIN_WINDOW_SECONDS", schema: integer(1), fallback: () => 900, default: "900", meaning: "The sign-in throttling window." }),
  /**
   * Peers allowed to speak for the client through X-Forwarded-For / X-Forwarded-Proto (lib/config/client-address.ts).
   * Empty: the socket address is the client and the socket's protocol is the protocol, whatever headers say.
   */
  trustedProxies: defineVar({
    name: "PARETO_TRUSTED_PROXIES",
    schema: text.transform((s, ctx): TrustedProxies => {
      try {
        return parseTrustedProxies(s);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: `must be comma-separated IP addresses or CIDR ranges (${e instanceof Error ? e.message : String(e)})` });
        return z.NEVER;
      }
    }),
    fallback: (): TrustedProxies => parseTrustedProxies(""),
    default: null,
    meaning: "Reverse proxies (IPs/CIDRs, comma-separated) whose X-Forwarded-For and X-Forwarded-Proto are believed.",
  }),
  /** Deadline for receiving a whole upload body; a client trickling it slower gets 408 (slow-body defence). 0: off. */
  bodyTimeoutMs: defineVar({ name: "PARETO_BODY_TIMEOUT_MS", schema: integer(0), fallback: () => 30_000, default: "30000", meaning: "Deadline for receiving a request body (0: none)." }),
  /** How often each instance releases quota reservations of instances that died (lapsed lease) or expired. */
  reservationSweepMs: defineVar({ name: "PARETO_RESERVATION_SWEEP_MS", schema: integer(1000), fallback: () => 5_000, default: "5000", meaning: "Interval of the stale quota reservation sweep." }),
  /** An instance renews its lease every third of this; a lapsed lease releases its quota reservations. */
  instanceLeaseMs: defineVar({ name: "PARETO_INSTANCE_LEASE_MS", schema: integer(1000), fallback: () => 15_000, default: "15000", meaning: "Lease of an instance over its quota reservations." }),
  /** Instances lease blocks of quota and count requests against them in memory (0: every request in the database). */
  quotaLeases: defineVar({ name: "PARETO_QUOTA_LEASES", schema: flag, fallback: () => true, default: "1", meaning: "Per-instance quota leases (0: reserve and settle every request in the database)." }),
  /** A quota lease nobody used for this long goes back to the counter. */
  quotaLeaseIdleMs: defineVar({ name: "PARETO_QUOTA_LEASE_IDLE_MS", schema: integer(100), fallback: () => 1_000, default: "1000", meaning: "Idle time after which an instance returns a quota lease." }),
  redisUrl: defineVar({
    name: "REDIS_URL",
    schema: text.refine((s) => /^rediss?:\/\//i.test(s), "must start with redis:// or rediss://"),
    fallback: (): string | undefined => undefined,
    default: null,
    meaning: "Shares rate limits, concurrency slots and sign-in throttling through Redis.",
    secret: true,
  }),
  /** Inference worker threads (the runtime's default pool size is one per core). */
  workers: defineVar({ name: "PARETO_WORKERS", schema: integer(1), fallback: cores, default: null, meaning: "Inference worker threads (default: CPU cores)." }),
  /** Unset: cores ÷ workers (see intraOpThreads below), so workers never fight over the cores. */
  intraOpThreadsSet: defineVar({ name: "PARETO_INTRA_OP_THREADS", schema: integer(1), fallback: (): number | undefined => undefined, default: null, meaning: "ONNX Runtime threads per worker (default: cores ÷ workers)." }),
  /** Back-off cap for workers that keep dying at start (crash-loop breaker, lib/runtime/crash-loop.ts). */
  workerRestartMaxMs: defineVar({ name: "PARETO_WORKER_RESTART_MAX_MS", schema: integer(100), fallback: () => 30_000, default: "30000", meaning: "Longest wait before restarting an inference worker that keeps dying at start." }),
  workerNice: defineVar({ name: "PARETO_WORKER_NICE", schema: integer(0, 19), fallback: () => 10, default: "10", meaning: "Scheduling niceness of the inference worker threads (Linux): above the main thread's 0, so HTTP, keys and metering never wait behind model compute on a busy machine. `0`: same priority." }),
  workerSlots: defineVar({ name: "PARETO_WORKER_SLOTS", schema: integer(1), fallback: () => 8, default: "8", meaning: "Requests one worker holds at a time." }),
  queueMax: defineVar({ name: "PARETO_QUEUE_MAX", schema: integer(1), fallback: () => 64, default: "64", meaning: "Requests queued or running per model before 503 overloaded." }),
  /** Per-request inference deadline; also bounds how long quota reservations and concurrency slots live. */
  requestTimeoutMs: defineVar({ name: "PARETO_REQUEST_TIMEOUT_MS", schema: integer(100), fallback: () => 30_000, default: "30000", meaning: "Deadline of one inference request, queue wait included." }),
  memoryBudgetMb: defineVar({ name: "PARETO_MEMORY_BUDGET_MB", schema: integer(64), fallback: () => 2048, default: "2048", meaning: "Loaded-model memory above which idle models are unloaded." }),
  /**
   * Decoded input in flight per process (lib/runtime/admission.ts). 2048: the worker slots of a 2-core host (2 × 8)
   * all fit with ordinary photos at the default detection side (~90–150 MB each), so normal traffic is never
   * refused; 40 MP images at det 960 (~290 MB) are limited to 7 at once and one at det 4096 (~1.9 GB) runs alone.
   * With the idle server (~400 MB) the process stays under ~2.5 GB; lower it on smaller hosts.
   */
  inflightDecodeMb: defineVar({ name: "PARETO_INFLIGHT_DECODE_MB", schema: integer(64), fallback: () => 2048, default: "2048", meaning: "Decoded input in flight before 503 overloaded." }),
  /** ONNX Runtime's CPU memory arena for the graphs and input sizes the catalog allows it (lib/runtime/session-context.ts). */
  ortArena: defineVar({ name: "PARETO_ORT_ARENA", schema: flag, fallback: () => true, default: "1", meaning: "ONNX Runtime's CPU memory arena for ordinary-sized detection runs (0 turns it off)." }),
  batching: defineVar({ name: "PARETO_BATCHING", schema: flag, fallback: () => true, default: "1", meaning: "Dynamic batching (0 turns it off)." }),
  /** Model ids to warm up in the background at start: "all" or a comma-separated list; [] when unset. */
  preload: defineVar({
    name: "PARETO_PRELOAD",
    schema: text.transform((s): "all" | string[] => (s === "all" ? "all" : s.split(",").map((x) => x.trim()).filter(Boolean))),
    fallback: (): "all" | string[] => [],
    default: null,
    meaning: "`all` or model ids to load at start.",
  }),
  /** Largest accepted upload, MB (fractions allowed). */
  maxUploadMb: defineVar({ name: "PARETO_MAX_UPLOAD_MB", schema: decimal({ min: 0, exclusive: true }), fallback: () => 25, default: "25", meaning: "Largest accepted upload (MB)." }),
  /** Largest uploaded model file, MB (each file of a bundle on its own); larger uploads are refused with 413. */
  maxModelMb: defineVar({ name: "PARETO_MAX_MODEL_MB", schema: decimal({ min: 0, exclusive: true }), fallback: () => 512, default: "512", meaning: "Largest uploaded model file (MB)." }),
  /** Largest training dataset, MB: larger ones are refused with 413 before anything is parsed. */
  maxDatasetMb: defineVar({ name: "PARETO_MAX_DATASET_MB", schema: decimal({ min: 0, exclusive: true }), fallback: () => 64, default: "64", meaning: "Largest training dataset (MB)." }),
  /** Below the inference workers (PARETO_WORKER_NICE): a training run takes only the CPU serving leaves. */
  trainingNice: defineVar({ name: "PARETO_TRAINING_NICE", schema: integer(0, 19), fallback: () => 19, default: "19", meaning: "Scheduling niceness of the training thread (Linux): below the inference workers, so serving keeps its latency while a model trains." }),
  /** Jobs (lib/jobs) this instance runs at once; 0: this instance accepts jobs but leaves running them to others. */
  jobWorkers: defineVar({ name: "PARETO_JOB_WORKERS", schema: integer(0, 64), fallback: () => 1, default: "1", meaning: "Jobs this instance runs at once (0: it queues jobs but runs none)." }),
  /** Days a finished job's input and result are kept before they are deleted. */
  jobRetentionDays: defineVar({ name: "PARETO_JOB_RETENTION_DAYS", schema: integer(1, 3650), fallback: () => 7, default: "7", meaning: "Days a finished job's input and result are kept." }),
  /** Largest file a job accepts, MB. */
  maxJobMb: defineVar({ name: "PARETO_MAX_JOB_MB", schema: decimal({ min: 0, exclusive: true }), fallback: () => 512, default: "512", meaning: "Largest file a job accepts (MB)." }),
  /** Pages an OCR job reads at most; a longer document fails with `too_many_pages`. */
  maxPdfPages: defineVar({ name: "PARETO_MAX_PDF_PAGES", schema: integer(1, 100_000), fallback: () => 200, default: "200", meaning: "Most pages an OCR job reads (longer documents fail)." }),
  /** Below the inference workers: decoding and page rendering for jobs take only the CPU serving leaves. */
  jobNice: defineVar({ name: "PARETO_JOB_NICE", schema: integer(0, 19), fallback: () => 19, default: "19", meaning: "Scheduling niceness of the job input thread (Linux): page rendering and audio decoding." }),
  /** Webhooks may target private, loopback and link-local addresses (on-premises receivers, tests). */
  webhookAllowPrivate: defineVar({ name: "PARETO_WEBHOOK_ALLOW_PRIVATE", schema: flag, fallback: () => false, default: "0", meaning: "Allow webhooks to private, loopback and link-local addresses." }),
  /** Requests per minute and client address that fail authentication (no key, bad key) before 429. */
  unauthenticatedPerMinute: defineVar({
    name: "PARETO_UNAUTHENTICATED_REQUESTS_PER_MINUTE",
    schema: integer(1),
    fallback: () => 60,
    default: "60",
    meaning: "Requests per minute one client address may send without a valid API key before 429.",
  }),
  /** Raw usage events older than this are rolled up per day and deleted. */
  usageRetentionDays: defineVar({
    name: "PARETO_USAGE_RETENTION_DAYS",
    schema: integer(1, 36_500),
    fallback: () => 90,
    default: "90",
    meaning: "Days raw usage events are kept; older ones are rolled up per day (totals stay exact).",
  }),
  metricsToken: defineVar({ name: "PARETO_METRICS_TOKEN", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "Bearer token for /metrics.", secret: true }),
  /** Where node_modules (model weights) and build/runtime-worker.mjs are found. */
  root: defineVar({ name: "PARETO_ROOT", schema: text, fallback: () => process.cwd(), default: null, meaning: "Install folder (default: the working directory)." }),
  /** Test-only fault injection (worker crashes, the crash-workers route). Never set in production. */
  testHooks: defineVar({ name: "PARETO_TEST_HOOKS", schema: flag, fallback: () => false, default: null, meaning: "Enables test-only fault injection." }),
  /** Any value turns debug logs on (so PARETO_DEBUG=0 does too, as documented). */
  debug: defineVar({ name: "PARETO_DEBUG", schema: text.transform(() => true), fallback: () => false, default: null, meaning: "Any value enables debug logs." }),
  autoBenchmark: defineVar({ name: "PARETO_AUTO_BENCHMARK", schema: flag, fallback: () => true, default: "1", meaning: "Quick benchmark at first start when this host has no figures (0: off)." }),
  gateAccuracyTolerance: defineVar({ name: "PARETO_GATE_ACCURACY_TOLERANCE", schema: decimal({ min: 0 }), fallback: () => 0.005, default: "0.005", meaning: "Accuracy a promoted variant may lose (absolute)." }),
  gateLatencyTolerance: defineVar({ name: "PARETO_GATE_LATENCY_TOLERANCE", schema: decimal({ min: 0 }), fallback: () => 0.1, default: "0.1", meaning: "p95 a promoted variant may add (fraction)." }),
  telemetryDisabled: defineVar({ name: "NEXT_TELEMETRY_DISABLED", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "Next.js telemetry (the scripts set it to 1).", readBy: "next" }),
  /** Set by `next build` while it renders pages to collect their data: nothing may start then. */
  nextPhase: defineVar({ name: "NEXT_PHASE", schema: text, fallback: (): string | undefined => undefined, default: null, meaning: "Next.js build phase.", internal: true }),
};

type Vars = typeof VARS;
type ValueOf<V> = V extends Var<infer T> ? T : never;

/** The parsed value of one variable; throws an Error naming the variable (never echoing a secret) when invalid. */
/**
 * Parsed values by variable, with the raw text they came from: settings are read on every request (timeouts,
 * limits), and a zod parse each time showed in the API path's profile. Keyed by the raw text, so a changed value
 * (tests set them) is parsed again.
 */
const parsed = new Map<string, { raw: string; value: unknown }>();

function read<T>(v: Var<T>): T {
  const raw = process.env[v.name];
  if (raw === undefined || raw.trim() === "") return v.fallback();
  const hit = parsed.get(v.name);
  if (hit && hit.raw === raw) return hit.value as T;
  const value = raw.trim();
  const r = v.schema.safeParse(value);
  if (r.success) {
    parsed.set(v.name, { raw, value: r.data });
    return r.data;
  }
  const why = r.error.issues[0]?.message ?? "is invalid";
  throw new Error(`${v.name} ${why}, got ${v.secret ? `a value of ${value.length} characters` : `"${value}"`}`);
}

export const env = {
  ...(Object.fromEntries(Object.entries(VARS).map(([k, v]) => [k, () => read(v as Var<unknown>)])) as { [K in keyof Vars]: () => ValueOf<Vars[K]> }),
  /** ONNX Runtime threads per worker: PARETO_INTRA_OP_THREADS, else cores ÷ workers (never oversubscribing the cores). */
  intraOpThreads: (workers: number): number => read(VARS.intraOpThreadsSet) ?? Math.max(1, Math.floor(cores() / Math.max(1, workers))),
  /** True while `next build` collects page data (no workers, no database then). */
  isBuildPhase: (): boolean => read(VARS.nextPhase) === "phase-production-build",
  /** What a sandboxed child process (the upload probe) may see of ours: where programs are, nothing secret. */
  sandboxEnv: (): NodeJS.ProcessEnv => ({ PATH: process.env.PATH ?? "/usr/bin:/bin", NODE_ENV: process.env.NODE_ENV ?? "production" }),
};

/** Machine-readable list of every variable: name, default as documented (null: unset or computed), meaning. */
export const ENV_VARS: readonly { name: string; default: string | null; meaning: string; readBy: string | null; internal: boolean }[] = Object.values(VARS).map(
  (v: Var<unknown>) => ({ name: v.name, default: v.default, meaning: v.meaning, readBy: v.readBy ?? null, internal: Boolean(v.internal) }),
);

/** Parses every variable; throws one Error listing every invalid one (boot calls this before anything starts). */
export function validateEnv(): void {
  const problems: string[] = [];
  for (const v of Object.values(VARS) as Var<unknown>[]) {
    try {
      read(v);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  if (problems.length) throw new Error(`Invalid environment: ${problems.join("; ")}`);
}
