"use client";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { fmtDate } from "@/app/_components/dashboard/format";
import { ErrorState, MobileLabel, Skeleton, stack, thCls } from "@/app/_components/dashboard/states";
import { apiFetch, useJson } from "@/app/_components/dashboard/use-json";

interface AdminUser {
  id: string;
  email: string;
  name: string | null;
  role: "USER" | "ADMIN";
  disabled: boolean;
  createdAt: string;
  plan: { id: string; name: string } | null;
}

type Patch = { role?: "USER" | "ADMIN"; plan?: string; disabled?: boolean };

/** Search users; change role and plan; disable (after a confirmation) or enable. Every change is a PATCH. */
export function UsersPanel({ selfId }: { selfId: string }) {
  const { t, locale } = useI18n();
  const [search, setSearch] = useState("");
  const [debounced, setDebounced] = useState("");
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    const id = setTimeout(() => setDebounced(search.trim()), 250);
    return () => clearTimeout(id);
  }, [search]);
  const users = useJson<{ data: AdminUser[] }>(`/api/v1/admin/users${debounced ? `?search=${encodeURIComponent(debounced)}` : ""}`);
  const plans = useJson<{ data: { id: string; name: string }[] }>("/api/v1/admin/plans");

  async function patch(u: AdminUser, body: Patch) {
    setBusy(u.id);
    setNotice(null);
    const r = await apiFetch<AdminUser>(`/api/v1/admin/users/${u.id}`, { method: "PATCH", json: body });
    setBusy(null);
    setConfirming(null);
    setNotice(r.ok ? { ok: true, text: t("admin.users.saved", { email: u.email }) } : { ok: false, text: t("admin.common.failed", { message: r.error.message }) });
    users.reload();
  }

  const list = users.data?.data;
  const ctl = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm disabled:opacity-60";
  return (
    <div className="space-y-4">
      <label className="block max-w-md text-sm font-medium text-slate-700">
        {t("admin.users.search")}
        <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder={t("admin.users.searchPlaceholder")} data-testid="users-search"
          className="mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm" />
      </label>
      <p role="status" aria-live="polite" className={notice ? `rounded px-3 py-2 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}` : "sr-only"} data-testid="users-notice">
        {notice?.text ?? ""}
      </p>
      {users.error && <ErrorState message={users.error.message} onRetry={users.reload} />}
      {!list && !users.error && <Skeleton rows={1} />}
      {list && list.length === 0 && <p className="rounded-lg bg-white p-6 text-center text-sm text-slate-600 ring-1 ring-slate-200">{t("admin.users.empty", { search: debounced })}</p>}
      {list && list.length > 0 && (
        <div className="rounded-lg bg-white shadow-sm ring-1 ring-slate-200 md:overflow-x-auto">
          <table className={stack.table}>
            <thead className={stack.thead}>
              <tr>
                <th scope="col" className={thCls}>{t("admin.users.email")}</th>
                <th scope="col" className={thCls}>{t("admin.users.role")}</th>
                <th scope="col" className={thCls}>{t("admin.users.plan")}</th>
                <th scope="col" className={thCls}>{t("admin.users.status")}</th>
                <th scope="col" className={thCls}>{t("admin.users.created")}</th>
                <th scope="col" className={thCls}>{t("admin.users.actions")}</th>
              </tr>
            </thead>
            <tbody className={stack.tbody}>
              {list.map((u) => {
                const self = u.id === selfId;
                const disabledCtl = busy === u.id;
                return (
                  <tr key={u.id} data-testid="user-row" data-email={u.email} className={`${stack.tr} ${u.disabled ? "bg-slate-50" : ""}`}>
                    <th scope="row" className={`${stack.cell} ${stack.wide} break-all text-left font-normal`}>
                      <span className="font-medium">{u.email}</span>
                      {self && <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">{t("admin.users.you")}</span>}
                      {u.name && <span className="block text-xs text-slate-600">{u.name}</span>}
                    </th>
                    <td className={stack.cell}>
                      <MobileLabel>{t("admin.users.role")}</MobileLabel>
                      <select aria-label={t("admin.users.roleFor", { email: u.email })} value={u.role} disabled={disabledCtl || self} data-testid="user-role"
                        onChange={(e) => void patch(u, { role: e.target.value as "USER" | "ADMIN" })} className={ctl}>
                        <option value="USER">{t("admin.users.roleUSER")}</option>
                        <option value="ADMIN">{t("admin.users.roleADMIN")}</option>
                      </select>
                    </td>
                    <td className={stack.cell}>
                      <MobileLabel>{t("admin.users.plan")}</MobileLabel>
                      <select aria-label={t("admin.users.planFor", { email: u.email })} value={u.plan?.name ?? ""} disabled={disabledCtl || !plans.data} data-testid="user-plan"
                        onChange={(e) => e.target.value && void patch(u, { plan: e.target.value })} className={ctl}>
                        {!u.plan && <option value="">{t("admin.users.noPlan")}</option>}
                        {plans.data?.data.map((p) => <option key={p.id} value={p.name}>{p.name}</option>)}
                      </select>
                    </td>
                    <td className={stack.cell}>
                      <MobileLabel>{t("admin.users.status")}</MobileLabel>
                      <span data-testid="user-status" className={`rounded px-2 py-0.5 text-xs font-medium ${u.disabled ? "bg-red-50 text-red-800" : "bg-emerald-50 text-emerald-800"}`}>
                        {u.disabled ? t("admin.users.disabled") : t("admin.users.active")}
                      </span>
                    </td>
                    <td className={`${stack.cell} tabular-nums text-slate-700 md:whitespace-nowrap`}>
                      <MobileLabel>{t("admin.users.created")}</MobileLabel>
                      {fmtDate(u.createdAt, locale)}
                    </td>
                    <td className={`${stack.cell} ${stack.wide}`}>
                      {u.disabled ? (
                        <button type="button" disabled={disabledCtl} onClick={() => void patch(u, { disabled: false })} data-testid="user-enable"
                          className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60">
                          {t("admin.users.enable")}
                        </button>
                      ) : confirming === u.id ? (
                        <span className="flex flex-wrap gap-2">
                          <button type="button" disabled={disabledCtl} onClick={() => void patch(u, { disabled: true })} data-testid="user-confirm-disable" autoFocus
                            aria-label={t("admin.users.confirmDisable", { email: u.email })}
                            className="rounded-md bg-red-700 px-3 py-1 text-sm font-medium text-white hover:bg-red-800 disabled:opacity-60">
                            {t("admin.users.confirm")}
                          </button>
                          <button type="button" onClick={() => setConfirming(null)} className="rounded-md border border-slate-300 bg-white px-3 py-1 text-sm text-slate-700 hover:bg-slate-50">
                            {t("admin.users.cancel")}
                          </button>
                        </span>
                      ) : (
                        <button type="button" disabled={disabledCtl || self} onClick={() => setConfirming(u.id)} data-testid="user-disable"
                          className="rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50">
                          {t("admin.users.disable")}
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
