import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";

export const signUpInput = z.strictObject({
  email: z.email({ error: "Enter a valid email address." }).max(320, { error: "Enter a valid email address." }),
  password: z
    .string({ error: "A password is required." })
    .min(PASSWORD_MIN_LENGTH, { error: `The password must be at least ${PASSWORD_MIN_LENGTH} characters.` })
    .max(PASSWORD_MAX_LENGTH, { error: "The password is too long." }),
  name: z.string().trim().max(100, { error: "The name is too long." }).refine((v) => !v.includes("\0"), { error: "The name must not contain NUL characters." }).optional(),
  invite: z.string().min(1).max(200, { error: "This invite link is not valid." }).optional().describe("The token of an invite link (PARETO_SIGNUP=invite)"),
});

export const passwordChangeInput = z.strictObject({
  current_password: z.string({ error: "The current password is required." }).min(1).max(PASSWORD_MAX_LENGTH),
  new_password: z
    .string({ error: "A new password is required." })
    .min(PASSWORD_MIN_LENGTH, { error: `The password must be at least ${PASSWORD_MIN_LENGTH} characters.` })
    .max(PASSWORD_MAX_LENGTH, { error: "The password is too long." }),
});

export const linkInput = z.strictObject({
  token: z.string().min(1).max(4000),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
});

export const userOutput = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string().nullable(),
  role: z.enum(["USER", "ADMIN"]),
  locale: z.string(),
  disabled: z.boolean(),
  createdAt: z.date().transform((d) => d.toISOString()),
  plan: z.object({ id: z.string(), name: z.string() }).nullable(),
});
