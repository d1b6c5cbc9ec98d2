import { z } from "zod";
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@/lib/auth/password";

export const signUpInput = z.strictObject({
  email: z.email({ error: "Enter a valid email address." }).max(320, { error: "Enter a valid email address." }),
  password: z
    .string({ error: "A password is required." })
    .min(PASSWORD_MIN_LENGTH, { error: `The password must be at least ${PASSWORD_MIN_LENGTH} characters.` })
    .max(PASSWORD_MAX_LENGTH, { error: "The password is too long." }),
  name: z.string().trim().max(100, { error: "The name is too long." }).refine((v) => !v.includes("\0"), { error: "The name must not contain NUL characters." }).optional(),
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
