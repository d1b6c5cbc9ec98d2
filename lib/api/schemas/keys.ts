import { z } from "zod";
import { scopesSchema } from "@/lib/keys/scopes";

const limit = (max: number) => z.number().int().min(1).max(max).nullable().optional();

export const createKeyInput = z.strictObject({
  name: z.string().trim().min(1, { error: "Give the key a name." }).max(100).refine((v) => !v.includes("\0"), { error: "The name must not contain NUL characters." }),
  scopes: scopesSchema.optional(),
  expires_at: z.iso.datetime({ offset: true, error: "expires_at must be an ISO 8601 date-time" }).nullable().optional()
    .refine((v) => !v || new Date(v).getTime() > Date.now(), { error: "expires_at must be in the future" }),
  requests_per_minute: limit(100_000),
  concurrent_requests: limit(1_000),
  monthly_requests: limit(1_000_000_000),
  monthly_compute_ms: limit(2_000_000_000),
});

const iso = z.date().nullable().transform((d) => (d ? d.toISOString() : null));

/** Every key response passes through this: the hash never leaves the server. */
export const keyOutput = z.object({
  id: z.string(),
  object: z.literal("api_key").default("api_key"),
  name: z.string(),
  prefix: z.string(),
  scopes: z.array(z.string()),
  status: z.enum(["active", "revoked", "expired"]),
  created_at: iso,
  last_used_at: iso.describe("When the key was last used, recorded at most once a minute per key (accurate to about a minute)."),
  expires_at: iso,
  revoked_at: iso,
  requests_per_minute: z.number().nullable(),
  concurrent_requests: z.number().nullable(),
  monthly_requests: z.number().nullable(),
  monthly_compute_ms: z.number().nullable(),
  rotated_from: z.string().nullable(),
});

export type KeyOutput = z.output<typeof keyOutput>;
