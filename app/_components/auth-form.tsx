"use client";
import Link from "next/link";
import { getSession, signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { useI18n } from "@/lib/i18n/client";
import { LOCALE_COOKIE, type MessageKey } from "@/lib/i18n/config";

type Mode = "signin" | "signup";
type FieldErrors = Partial<Record<"email" | "password" | "name" | "form", string>>;

const SIGNIN_ERRORS: Record<string, MessageKey> = {
  throttled: "auth.errors.throttled",
  disabled: "auth.errors.disabled",
  CredentialsSignin: "auth.errors.invalid_credentials",
};

/** Only same-site paths (lib/auth/callback-url.ts): an attacker-supplied callbackUrl must not make sign-in an open redirect. */
export const safeCallback = safeCallbackPath;

/** Errors next-auth (or lib/auth/oauth.ts) names in `/signin?error=…` after a GitHub round trip. */
const OAUTH_ERRORS: Record<string, MessageKey> = {
  GitHubEmailUnverified: "auth.errors.GitHubEmailUnverified",
  GitHubLinkUnavailable: "auth.errors.GitHubLinkUnavailable",
  SignupClosed: "auth.errors.SignupClosed",
  disabled: "auth.errors.disabled",
};

interface AuthFormProps {
  mode: Mode;
  callbackUrl?: string;
  github: boolean;
  minPassword: number;
  /** Sign-up: the invite token from the link, sent with the form. */
  invite?: string;
  /** Sign-up: "the first account becomes admin" applies (open sign-up, no PARETO_ADMIN_EMAIL). */
  firstUserHint?: boolean;
  /** Sign-in: the error a GitHub round trip came back with. */
  oauthError?: string;
}

export function AuthForm({ mode, callbackUrl, github, minPassword, invite, firstUserHint = false, oauthError }: AuthFormProps) {
  const { t, locale } = useI18n();
  const [errors, setErrors] = useState<FieldErrors>(() => (oauthError ? { form: t(OAUTH_ERRORS[oauthError] ?? "auth.errors.OAuthSignin") } : {}));
  const [busy, setBusy] = useState(false);
  const target = safeCallback(callbackUrl);

  async function finishSignIn(email: string, password: string): Promise<boolean> {
    const res = await signIn("credentials", { email, password, redirect: false });
    if (!res || res.error) {
      setErrors({ form: t(SIGNIN_ERRORS[res?.error ?? ""] ?? "auth.errors.invalid_credentials") });
      return false;
    }
    // Restore the language this account chose last time.
    const session = await getSession();
    const saved = session?.user?.locale;
    if (saved && saved !== locale) document.cookie = `${LOCALE_COOKIE}=${saved}; path=/; max-age=31536000; samesite=lax`;
    // A full navigation, so the server-rendered header picks up the new session; checked against the real origin.
    window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
    return true;
  }

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const email = String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    setErrors({});
    setBusy(true);
    try {
      if (mode === "signup") {
        const res = await fetch("/api/auth/signup", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ email, password, name: String(form.get("name") ?? "") || undefined, invite }),
        });
        if (!res.ok) {
          const body = (await res.json().catch(() => null)) as { error?: { code?: string; param?: string } } | null;
          setErrors(signupErrors(body?.error, password));
          return;
        }
      }
      await finishSignIn(email, password);
    } catch {
      setErrors({ form: t("auth.errors.generic") });
    } finally {
      setBusy(false);
    }
  }

  function signupErrors(err: { code?: string; param?: string } | undefined, password: string): FieldErrors {
    if (err?.code === "email_taken") return { email: t("auth.errors.email_taken") };
    if (err?.code === "invalid_invite" || err?.code === "invite_required") return { form: t("auth.errors.invalid_invite") };
    if (err?.code === "signup_closed") return { form: t("auth.errors.signup_closed") };
    if (err?.code === "rate_limited") return { form: t("auth.errors.rate_limited") };
    if (err?.param === "email") return { email: t("auth.errors.invalid_email") };
    if (err?.param === "password") {
      return { password: password.length < minPassword ? t("auth.errors.password_too_short", { min: minPassword }) : t("auth.errors.password_too_long") };
    }
    if (err?.param === "name") return { name: t("auth.errors.name_too_long") };
    return { form: t("auth.errors.generic") };
  }

  const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500";
  return (
    <div className="mx-auto max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-semibold">{t(mode === "signin" ? "auth.signInTitle" : "auth.signUpTitle")}</h1>
      {mode === "signup" && firstUserHint && <p className="mt-2 text-sm text-slate-500">{t("auth.firstUserAdmin")}</p>}
      {mode === "signup" && invite && <p className="mt-2 text-sm text-slate-600" data-testid="signup-invited">{t("auth.invited")}</p>}
      <form className="mt-6 space-y-4" onSubmit={onSubmit} noValidate data-testid={`${mode}-form`}>
        {mode === "signup" && (
          <div>
            <label htmlFor="name" className="text-sm font-medium text-slate-700">{t("auth.name")}</label>
            <input id="name" name="name" autoComplete="name" className={field} aria-invalid={!!errors.name} aria-describedby="name-error" />
            {errors.name && <p id="name-error" className="mt-1 text-sm text-red-600">{errors.name}</p>}
          </div>
        )}
        <div>
          <label htmlFor="email" className="text-sm font-medium text-slate-700">{t("auth.email")}</label>
          <input id="email" name="email" type="email" required autoComplete="email" className={field} aria-invalid={!!errors.email} aria-describedby="email-error" />
          {errors.email && <p id="email-error" className="mt-1 text-sm text-red-600" data-testid="email-error">{errors.email}</p>}
        </div>
        <div>
          <label htmlFor="password" className="text-sm font-medium text-slate-700">{t("auth.password")}</label>
          <input
            id="password"
            name="password"
            type="password"
            required
            autoComplete={mode === "signin" ? "current-password" : "new-password"}
            className={field}
            aria-invalid={!!errors.password}
            aria-describedby="password-hint password-error"
          />
          {mode === "signup" && <p id="password-hint" className="mt-1 text-xs text-slate-500">{t("auth.passwordHint", { min: minPassword })}</p>}
          {errors.password && <p id="password-error" className="mt-1 text-sm text-red-600" data-testid="password-error">{errors.password}</p>}
        </div>
        {errors.form && <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700" data-testid="form-error">{errors.form}</p>}
        <button type="submit" disabled={busy} data-testid={`${mode}-submit`} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {busy ? t("auth.submitting") : t(mode === "signin" ? "auth.submitSignIn" : "auth.submitSignUp")}
        </button>
      </form>
      {github && (
        <button type="button" onClick={() => void signIn("github", { callbackUrl: safeCallbackPath(callbackUrl, window.location.origin) })} className="mt-4 w-full rounded-md border border-slate-300 px-4 py-2 font-medium text-slate-700 hover:bg-slate-50">
          {t("auth.orGithub")}
        </button>
      )}
      <p className="mt-6 text-center text-sm text-slate-600">
        {mode === "signin" ? t("auth.noAccount") : t("auth.haveAccount")}{" "}
        <Link href={`${mode === "signin" ? "/signup" : "/signin"}${callbackUrl ? `?callbackUrl=${encodeURIComponent(target)}` : ""}`} className="font-medium text-brand-600 hover:underline">
          {mode === "signin" ? t("user.signUp") : t("user.signIn")}
        </Link>
      </p>
    </div>
  );
}
