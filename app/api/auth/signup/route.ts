import { route } from "@/lib/api/route";
import { parseJson } from "@/lib/api/validation";
import { requestClientAddress } from "@/lib/config/request-client";
import { signUpInput, userOutput } from "@/lib/api/schemas/auth";
import { signUp } from "@/lib/auth/signup";
import { getLocale } from "@/lib/i18n/server";

// POST /api/auth/signup – create an email + password account
export const POST = route({ auth: "public", csrf: true }, async ({ req }) => {
  const input = await parseJson(req, signUpInput);
  const user = await signUp(input, await getLocale(), requestClientAddress(req.headers));
  return { status: 201, body: { user: userOutput.parse(user) } };
});
