import { z } from "zod";

const MAX_RANGE_DAYS = 366;

export const usageQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }).optional().describe("Start (inclusive), ISO 8601. Default: 30 days ago."),
    to: z.iso.datetime({ offset: true }).optional().describe("End (exclusive), ISO 8601. Default: now."),
    model: z.string().max(64).optional(),
    key: z.string().max(64).optional().describe("An API key id (only your own keys)."),
    limit: z.coerce.number().int().min(1).max(1000).optional().describe("How many recent requests to list (default 100)."),
  })
  .transform((q) => {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * 86_400_000);
    return { ...q, from, to };
  })
  .refine((q) => q.from < q.to, { error: "from must be before to", path: ["from"] })
  .refine((q) => q.to.getTime() - q.from.getTime() <= MAX_RANGE_DAYS * 86_400_000, { error: `the range is limited to ${MAX_RANGE_DAYS} days`, path: ["from"] });

const bucket = { requests: z.number(), errors: z.number(), compute_ms: z.number(), units: z.number() };

export const usageOutput = z.object({
  object: z.literal("usage"),
  from: z.string(),
  to: z.string(),
  quota: z.object({
    period: z.string(),
    resets_at: z.string(),
    plan: z.string(),
    requests: z.object({ used: z.number(), reserved: z.number(), limit: z.number() }),
    compute_ms: z.object({ used: z.number(), reserved: z.number(), limit: z.number() }),
  }),
  totals: z.object(bucket),
  latency_ms: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() }),
  by_day: z.array(z.object({ day: z.string(), ...bucket })),
  by_model: z.array(z.object({ model: z.string(), ...bucket })),
  by_key: z.array(z.object({ key: z.string(), ...bucket })),
  errors_by_code: z.array(z.object({ code: z.string(), count: z.number() })),
  recent: z.array(
    z.object({
      request_id: z.string(),
      created_at: z.string(),
      model: z.string().nullable(),
      key: z.string().nullable(),
      route: z.string(),
      status: z.number(),
      error_code: z.string().nullable(),
      latency_ms: z.number(),
      compute_ms: z.number(),
      units: z.number(),
      source: z.string(),
    }),
  ),
  truncated: z.boolean(),
});
