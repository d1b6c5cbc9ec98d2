"use client";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";

/** Password step of linking GitHub to an existing account; on success, signs in with the same password. */
export function LinkForm({ token, email }: { token: string; email: string }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const password = String(new FormData(e.currentTarget).get("password") ?? "");
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/auth/link", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ token, password }) });
      if (!res.ok) {
        const code = ((await res.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;
        setError(t(code === "invalid_credentials" ? "auth.errors.wrong_password" : code === "rate_limited" ? "auth.errors.throttled" : code === "validation_error" ? "auth.linkInvalid" : "auth.errors.generic"));
        return;
      }
      const r = await signIn("credentials", { email, password, redirect: false });
      window.location.assign(r && !r.error ? "/" : "/signin");
    } catch {
      setError(t("auth.errors.generic"));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="mx-auto max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-semibold">{t("auth.linkTitle")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("auth.linkBody", { email })}</p>
      <form className="mt-6 space-y-4" onSubmit={onSubmit} data-testid="link-form">
        <div>
          <label htmlFor="password" className="text-sm font-medium text-slate-700">{t("auth.password")}</label>
          <input id="password" name="password" type="password" required autoComplete="current-password"
            className="mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500" />
        </div>
        {error && <p role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-700">{error}</p>}
        <button type="submit" disabled={busy} className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {busy ? t("auth.submitting") : t("auth.linkSubmit")}
        </button>
      </form>
    </div>
  );
}
