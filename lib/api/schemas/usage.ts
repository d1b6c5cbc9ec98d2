import { z } from "zod";
import { messageOut } from "./message";

const MAX_RANGE_DAYS = 366;

const iso = (what: string) => z.iso.datetime({ offset: true }).optional().describe(what);

/** The filter fields every usage query shares (the caller's own report, its CSV export, the admin dashboard). */
export const usageFilterFields = {
  from: iso("Start (inclusive), ISO 8601. Default: 30 days ago."),
  to: iso("End (exclusive), ISO 8601. Default: now."),
  model: z.string().max(64).optional(),
  key: z.string().max(64).optional().describe("An API key id (only your own keys)."),
  limit: z.coerce.number().int().min(1).max(1000).optional().describe("How many recent requests to list (default 100)."),
};

/** Resolves the default range and checks it: from < to, at most a year. */
export function withRange<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject(shape)
    .transform((q) => {
      const raw = q as { from?: string; to?: string };
      const to = raw.to ? new Date(raw.to) : new Date();
      const from = raw.from ? new Date(raw.from) : new Date(to.getTime() - 30 * 86_400_000);
      return { ...q, from, to };
    })
    .refine((q) => q.from < q.to, { error: "from must be before to", path: ["from"] })
    .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_RANGE_DAYS * 86_400_000, { error: `the range is limited to ${MAX_RANGE_DAYS} days`, path: ["from"] });
}

export const usageQuery = withRange(usageFilterFields);

const bucket = { requests: z.number(), errors: z.number(), compute_ms: z.number(), units: z.number() };
export const usageBucket = bucket;

export const latencyOutput = z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });

/** Requests, errors and latency per version of the uploaded models in range (built-ins have one version: not listed). */
export const byVersionOutput = z
  .array(
    z.object({
      model: z.string(),
      version: z.string(),
      ...bucket,
      mean_latency_ms: z.number().nullable().describe("Mean latency of successful requests (kept past the retention window)."),
      p95_latency_ms: z.number().nullable().describe("p95 latency of successful requests still held as raw events."),
    }),
  )
  .describe("Per version of each uploaded model, so a canary can be judged against the version it may replace.");

const leasedText =
  "Set aside by the servers' quota leases for upcoming requests: not used, not available to other servers until given back (within about a second when idle). Use counted against a lease shows in `used` within 250 ms.";

export const usageOutput = z.object({
  object: z.literal("usage"),
  from: z.string(),
  to: z.string(),
  quota: z.object({
    period: z.string(),
    resets_at: z.string(),
    plan: z.string(),
    requests: z.object({ used: z.number(), reserved: z.number(), leased: z.number().describe(leasedText), limit: z.number() }),
    compute_ms: z.object({ used: z.number(), reserved: z.number(), leased: z.number().describe(leasedText), limit: z.number() }),
  }),
  totals: z.object(bucket),
  latency_ms: latencyOutput,
  by_day: z.array(z.object({ day: z.string(), ...bucket })),
  by_model: z.array(z.object({ model: z.string(), ...bucket })),
  by_key: z.array(z.object({ key: z.string(), ...bucket })),
  by_version: byVersionOutput,
  errors_by_code: z.array(z.object({ code: z.string(), count: z.number() })),
  /** The caller's keys, for labelling `key` ids (display prefix and name only). */
  keys: z.array(z.object({ id: z.string(), name: z.string(), prefix: z.string(), revoked: z.boolean() })),
  recent: z.array(
    z.object({
      request_id: z.string(),
      created_at: z.string(),
      model: z.string().nullable(),
      key: z.string().nullable(),
      key_prefix: z.string().nullable(),
      route: z.string(),
      status: z.number(),
      error_code: z.string().nullable(),
      latency_ms: z.number(),
      compute_ms: z.number(),
      units: z.number(),
      source: z.string(),
    }),
  ),
  /** The caller's latest `model=auto` routing decisions (not filtered by range). */
  routing_decisions: z.array(
    z.object({ request_id: z.string(), created_at: z.string(), task: z.string(), chosen: z.string().nullable(), reason: z.string(), reason_message: messageOut.nullable().optional() }),
  ),
  truncated: z.boolean(),
});

export type UsageReport = z.output<typeof usageOutput>;
