import { z } from "zod";

export const inviteInput = z.strictObject({
  email: z.email({ error: "Enter a valid email address." }).max(320).optional().describe("Only this address may use the invite"),
  expires_in_days: z.number().int().min(1).max(90).default(7).describe("Days until the link stops working (1–90, default 7)"),
});

export const inviteOutput = z.object({
  id: z.string(),
  object: z.literal("invite").default("invite"),
  email: z.string().nullable(),
  created_at: z.date().transform((d) => d.toISOString()),
  expires_at: z.date().transform((d) => d.toISOString()),
  used_at: z.date().nullable().transform((d) => d?.toISOString() ?? null),
  expired: z.boolean(),
});

export const deletedInviteOutput = z.object({ id: z.string(), object: z.literal("invite").default("invite"), deleted: z.literal(true).default(true) });

/** The one response that carries the invite's token (and the link built from it): it is never shown again. */
export const createdInviteOutput = inviteOutput.extend({
  token: z.string(),
  url: z.string(),
});
