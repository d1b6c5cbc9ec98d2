import { z } from "zod";
import { NextResponse } from "next/server";
import { route } from "@/lib/api/route";
import { parseJson } from "@/lib/api/validation";
import { requestIsHttps } from "@/lib/config/request-client";
import { LOCALE_COOKIE, LOCALES } from "@/lib/i18n/config";
import { setUserLocale } from "@/lib/db/users";

const input = z.strictObject({ locale: z.enum(LOCALES) });

// POST /api/account/locale – switch language (remembered on the account when signed in)
export const POST = route({ auth: "public", csrf: true }, async ({ req, user }) => {
  const { locale } = await parseJson(req, input);
  if (user) await setUserLocale(user.id, locale);
  const res = NextResponse.json({ locale });
  res.cookies.set(LOCALE_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600, httpOnly: false, secure: requestIsHttps(req.headers) });
  return res;
});
