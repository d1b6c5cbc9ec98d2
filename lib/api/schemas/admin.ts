import { z } from "zod";

const int = (max: number) => z.number().int().min(0).max(max);

export const planPatch = z
  .strictObject({
    requests_per_minute: int(1_000_000).optional(),
    concurrent_requests: int(10_000).optional(),
    monthly_requests: int(2_000_000_000).optional(),
    monthly_compute_ms: int(2_000_000_000).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { error: "send at least one limit to change" });

export const planOutput = z.object({
  id: z.string(),
  object: z.literal("plan").default("plan"),
  name: z.string(),
  default: z.boolean(),
  requests_per_minute: z.number(),
  concurrent_requests: z.number(),
  monthly_requests: z.number(),
  monthly_compute_ms: z.number(),
});

export const userPatch = z
  .strictObject({
    role: z.enum(["USER", "ADMIN"]).optional(),
    plan: z.string().min(1).max(100).optional().describe("Plan name"),
    disabled: z.boolean().optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { error: "send at least one field to change" });

export const adminUserQuery = z.strictObject({ search: z.string().max(200).optional() });
