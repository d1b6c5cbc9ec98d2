import "server-only";
import { cookies, headers } from "next/headers";
import { CATALOGS, fromAcceptLanguage, isLocale, LOCALE_COOKIE, translator, type Locale } from "./config";

/**
 * The request's locale: the cookie the language switch sets (also restored from the user's saved choice at
 * sign-in), else the browser's Accept-Language.
 */
export async function getLocale(): Promise<Locale> {
  const c = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(c)) return c;
  return fromAcceptLanguage((await headers()).get("accept-language"));
}

export async function getT() {
  const locale = await getLocale();
  return { locale, messages: CATALOGS[locale], t: translator(CATALOGS[locale]) };
}
