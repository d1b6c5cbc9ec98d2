"use client";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";

/** Change the password; the server ends every session of the account, so this one signs in again afterwards. */
export function PasswordForm({ minPassword }: { minPassword: number }) {
  const { t } = useI18n();
  const router = useRouter();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const body = { current_password: String(form.get("current") ?? ""), new_password: String(form.get("next") ?? "") };
    if (body.new_password.length < minPassword) return setMessage({ ok: false, text: t("auth.errors.password_too_short", { min: minPassword }) });
    setBusy(true);
    setMessage(null);
    try {
      const res = await fetch("/api/account/password", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      if (res.ok) {
        setMessage({ ok: true, text: t("account.passwordChanged") });
        // Every session has ended, this one too: the router sends the now signed-out browser to sign in.
        setTimeout(() => router.push("/signin?callbackUrl=%2Faccount"), 1500);
        return;
      }
      const code = ((await res.json().catch(() => null)) as { error?: { code?: string } } | null)?.error?.code;
      setMessage({ ok: false, text: t(code === "invalid_credentials" ? "account.wrongPassword" : code === "rate_limited" ? "auth.errors.throttled" : "auth.errors.generic") });
    } catch {
      setMessage({ ok: false, text: t("auth.errors.generic") });
    } finally {
      setBusy(false);
    }
  }

  const field = "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-brand-500";
  return (
    <div className="mx-auto max-w-md rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
      <h1 className="text-2xl font-semibold">{t("account.title")}</h1>
      <p className="mt-2 text-sm text-slate-600">{t("account.passwordLead")}</p>
      <form className="mt-6 space-y-4" onSubmit={onSubmit} data-testid="password-form">
        <div>
          <label htmlFor="current" className="text-sm font-medium text-slate-700">{t("account.currentPassword")}</label>
          <input id="current" name="current" type="password" required autoComplete="current-password" className={field} />
        </div>
        <div>
          <label htmlFor="next" className="text-sm font-medium text-slate-700">{t("account.newPassword")}</label>
          <input id="next" name="next" type="password" required autoComplete="new-password" className={field} />
          <p className="mt-1 text-xs text-slate-500">{t("auth.passwordHint", { min: minPassword })}</p>
        </div>
        <p role="status" aria-live="polite" data-testid="password-message" className={message ? `rounded px-3 py-2 text-sm ${message.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-700"}` : "sr-only"}>
          {message?.text ?? ""}
        </p>
        <button type="submit" disabled={busy} data-testid="password-submit" className="w-full rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {busy ? t("auth.submitting") : t("account.changePassword")}
        </button>
      </form>
    </div>
  );
}
