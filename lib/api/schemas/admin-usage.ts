import { z } from "zod";
import { byVersionOutput, latencyOutput, usageBucket, usageFilterFields, withRange } from "./usage";

/** The usage filter for everyone: any key, optionally one user; `top` bounds the top-users/keys lists. */
export const adminUsageQuery = withRange({
  from: usageFilterFields.from,
  to: usageFilterFields.to,
  model: usageFilterFields.model,
  key: z.string().max(64).optional().describe("An API key id (any user's)."),
  user: z.string().max(64).optional().describe("A user id."),
  top: z.coerce.number().int().min(1).max(100).optional().describe("How many top users and keys to list (default 10)."),
});

export const adminUsageOutput = z.object({
  object: z.literal("admin_usage"),
  from: z.string(),
  to: z.string(),
  totals: z.object(usageBucket),
  latency_ms: latencyOutput,
  rejections: z.object({
    quota_exceeded: z.number().describe("Requests refused with 402 quota_exceeded."),
    rate_limited: z.number().describe("Requests refused with 429 rate_limited."),
  }),
  users: z.number().describe("Distinct users with requests in the range."),
  by_day: z.array(z.object({ day: z.string(), ...usageBucket })),
  by_model: z.array(z.object({ model: z.string(), ...usageBucket })),
  by_version: byVersionOutput,
  errors_by_code: z.array(z.object({ code: z.string(), count: z.number() })),
  top_users: z.array(z.object({ user: z.string(), email: z.string().nullable(), ...usageBucket })),
  top_keys: z.array(
    z.object({ key: z.string().describe("Key id, or `playground` for signed-in browser calls."), prefix: z.string().nullable(), name: z.string().nullable(), owner_email: z.string().nullable(), ...usageBucket }),
  ),
  truncated: z.boolean(),
});

export type AdminUsage = z.output<typeof adminUsageOutput>;
