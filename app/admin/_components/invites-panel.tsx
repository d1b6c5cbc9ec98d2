"use client";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";
import { fmtDate } from "@/app/_components/dashboard/format";
import { ErrorState, Skeleton } from "@/app/_components/dashboard/states";
import { apiFetch, useJson } from "@/app/_components/dashboard/use-json";

interface Invite {
  id: string;
  email: string | null;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  expired: boolean;
}

/** Create invite links (PARETO_SIGNUP=invite) and revoke unused ones. A new link is shown once, to copy. */
export function InvitesPanel() {
  const { t, locale } = useI18n();
  const invites = useJson<{ data: Invite[] }>("/api/v1/admin/invites");
  const [created, setCreated] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function onCreate(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get("invite-email") ?? "").trim();
    setBusy(true);
    setNotice(null);
    const r = await apiFetch<Invite & { url: string }>("/api/v1/admin/invites", { method: "POST", json: email ? { email } : {} });
    setBusy(false);
    if (r.ok) setCreated(new URL(new URL(r.data.url).pathname + new URL(r.data.url).search, window.location.origin).toString());
    else setNotice({ ok: false, text: t("admin.common.failed", { message: r.error.message }) });
    invites.reload();
  }

  async function revoke(id: string) {
    const r = await apiFetch<null>(`/api/v1/admin/invites/${id}`, { method: "DELETE" });
    setNotice(r.ok ? { ok: true, text: t("admin.users.invites.revoked") } : { ok: false, text: t("admin.common.failed", { message: r.error.message }) });
    invites.reload();
  }

  const list = invites.data?.data;
  return (
    <section className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" aria-labelledby="invites-title" data-testid="invites-panel">
      <h2 id="invites-title" className="text-lg font-semibold">{t("admin.users.invites.title")}</h2>
      <p className="text-sm text-slate-600">{t("admin.users.invites.lead")}</p>
      <form className="flex flex-wrap items-end gap-2" onSubmit={onCreate}>
        <label className="text-sm font-medium text-slate-700">
          {t("admin.users.invites.email")}
          <input name="invite-email" type="email" data-testid="invite-email" className="mt-1 block w-72 max-w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm" />
        </label>
        <button type="submit" disabled={busy} data-testid="invite-create" className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 disabled:opacity-60">
          {t("admin.users.invites.create")}
        </button>
      </form>
      {created && (
        <div className="rounded bg-emerald-50 p-3 text-sm text-emerald-900">
          <p>{t("admin.users.invites.created")}</p>
          <input readOnly value={created} onFocus={(e) => e.currentTarget.select()} data-testid="invite-url" aria-label={t("admin.users.invites.title")}
            className="mt-1 block w-full rounded border border-emerald-200 bg-white px-2 py-1 font-mono text-xs" />
        </div>
      )}
      <p role="status" aria-live="polite" className={notice ? `rounded px-3 py-2 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}` : "sr-only"}>{notice?.text ?? ""}</p>
      {invites.error && <ErrorState message={invites.error.message} onRetry={invites.reload} />}
      {!list && !invites.error && <Skeleton rows={1} />}
      {list && list.length === 0 && <p className="text-sm text-slate-600">{t("admin.users.invites.none")}</p>}
      {list && list.length > 0 && (
        <ul className="divide-y divide-slate-100 text-sm">
          {list.map((i) => {
            const expired = i.expired;
            return (
              <li key={i.id} className="flex flex-wrap items-center justify-between gap-2 py-2" data-testid="invite-row">
                <span>
                  {i.email ? t("admin.users.invites.forEmail", { email: i.email }) : t("admin.users.invites.anyone")} ·{" "}
                  <span className={expired ? "text-red-700" : "text-slate-600"}>{expired ? t("admin.users.invites.expired") : t("admin.users.invites.expires", { date: fmtDate(i.expires_at, locale) })}</span>
                </span>
                <button type="button" onClick={() => void revoke(i.id)} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">
                  {t("admin.users.invites.revoke")}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
