"use client";
import { useCallback, useEffect, useState } from "react";
import type { KeyOutput } from "@/lib/api/schemas/keys";
import { useI18n } from "@/lib/i18n/client";
import { CopyButton } from "../../_components/copy-button";
import { Modal } from "../../_components/modal";
import { CreateKeyForm, type CreatedKey } from "./create-key-form";

type Pending = { kind: "revoke" | "rotate"; key: KeyOutput } | null;

const STATUS: Record<KeyOutput["status"], string> = {
  active: "bg-emerald-50 text-emerald-700 ring-emerald-200",
  revoked: "bg-slate-100 text-slate-600 ring-slate-200",
  expired: "bg-amber-50 text-amber-700 ring-amber-200",
};

export function KeysManager() {
  const { t, locale } = useI18n();
  const [keys, setKeys] = useState<KeyOutput[] | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [creating, setCreating] = useState(false);
  const [shown, setShown] = useState<CreatedKey | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const date = (iso: string | null, empty: string) => (iso ? new Date(iso).toLocaleString(locale === "zh" ? "zh-CN" : "en-GB", { dateStyle: "medium", timeStyle: "short" }) : empty);

  const [version, setVersion] = useState(0);
  const load = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    fetch("/api/v1/keys", { cache: "no-store" })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const data = ((await res.json()) as { data: KeyOutput[] }).data;
        if (live) {
          setKeys(data);
          setLoadError(false);
        }
      })
      .catch(() => live && setLoadError(true));
    return () => {
      live = false;
    };
  }, [version]);

  async function confirm() {
    if (!pending) return;
    setActionError(null);
    const { kind, key } = pending;
    const res = await fetch(kind === "revoke" ? `/api/v1/keys/${key.id}` : `/api/v1/keys/${key.id}/rotate`, { method: kind === "revoke" ? "DELETE" : "POST" });
    const body = (await res.json()) as CreatedKey & { error?: { message: string } };
    if (!res.ok) return setActionError(body.error?.message ?? `HTTP ${res.status}`);
    setPending(null);
    if (kind === "rotate") setShown(body);
    load();
  }

  const th = "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
  const td = "px-3 py-2 text-sm align-top";
  return (
    <section className="space-y-6" data-testid="section-keys">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{t("keys.title")}</h1>
          <p className="mt-1 max-w-2xl text-slate-600">{t("keys.lead")}</p>
        </div>
        <button type="button" onClick={() => setCreating(true)} className="rounded-md bg-brand-600 px-4 py-2 text-sm font-medium text-white hover:bg-brand-700" data-testid="create-key">
          {t("keys.create")}
        </button>
      </div>

      {loadError ? (
        <p role="alert" className="rounded-lg bg-red-50 p-4 text-red-700">{t("keys.loadError")}</p>
      ) : keys === null ? (
        <p className="text-slate-500">{t("keys.loading")}</p>
      ) : keys.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500" data-testid="keys-empty">{t("keys.empty")}</p>
      ) : (
        <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
          <table className="min-w-full divide-y divide-slate-200" data-testid="keys-table">
            <thead className="bg-slate-50">
              <tr>
                {(["name", "prefix", "scopes", "created", "lastUsed", "expires", "status", "actions"] as const).map((h) => (
                  <th key={h} className={th} title={h === "lastUsed" ? t("keys.lastUsedHint") : undefined}>{t(`keys.${h}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {keys.map((k) => (
                <tr key={k.id} data-testid="key-row" data-key-id={k.id}>
                  <td className={`${td} font-medium`}>{k.name}</td>
                  <td className={`${td} font-mono text-xs`}>{k.prefix}…</td>
                  <td className={`${td} text-xs`}>{k.scopes.join(", ")}</td>
                  <td className={`${td} text-xs`}>{date(k.created_at, "")}</td>
                  <td className={`${td} text-xs`}>{date(k.last_used_at, t("keys.never"))}</td>
                  <td className={`${td} text-xs`}>{date(k.expires_at, t("keys.noExpiry"))}</td>
                  <td className={td}>
                    <span className={`rounded-full px-2 py-0.5 text-xs ring-1 ${STATUS[k.status]}`} data-testid="key-status">
                      {t(`keys.status${k.status[0].toUpperCase()}${k.status.slice(1)}` as "keys.statusActive")}
                    </span>
                  </td>
                  <td className={`${td} whitespace-nowrap`}>
                    {k.status === "active" && (
                      <div className="flex gap-2">
                        <button type="button" onClick={() => setPending({ kind: "rotate", key: k })} className="text-sm text-brand-600 hover:underline" data-testid="rotate-key">{t("keys.rotate")}</button>
                        <button type="button" onClick={() => setPending({ kind: "revoke", key: k })} className="text-sm text-red-600 hover:underline" data-testid="revoke-key">{t("keys.revoke")}</button>
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <Modal open={creating} onClose={() => setCreating(false)} title={t("keys.form.title")} testId="create-dialog">
        {creating && (
          <CreateKeyForm
            onCancel={() => setCreating(false)}
            onCreated={(k) => {
              setCreating(false);
              setShown(k);
              load();
            }}
          />
        )}
      </Modal>

      <Modal open={!!shown} onClose={() => setShown(null)} title={t("keys.shown.title")} testId="key-shown">
        {shown && (
          <div className="space-y-4">
            <p role="alert" className="rounded bg-amber-50 p-3 text-sm text-amber-800">{t("keys.shown.warning")}</p>
            <div className="flex items-center gap-2">
              <code className="flex-1 break-all rounded bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100" data-testid="new-key">{shown.key}</code>
              <CopyButton text={shown.key} testId="copy-key" />
            </div>
            <div className="flex justify-end">
              <button type="button" onClick={() => setShown(null)} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white" data-testid="key-shown-done">{t("keys.shown.done")}</button>
            </div>
          </div>
        )}
      </Modal>

      <Modal open={!!pending} onClose={() => setPending(null)} title={pending?.kind === "revoke" ? t("keys.revoke") : t("keys.rotate")} testId="confirm-dialog">
        {pending && (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">{t(pending.kind === "revoke" ? "keys.confirmRevoke" : "keys.confirmRotate", { name: pending.key.name })}</p>
            {actionError && <p role="alert" className="text-sm text-red-600">{actionError}</p>}
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => setPending(null)} className="rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-300">{t("keys.cancel")}</button>
              <button type="button" onClick={() => void confirm()} className={`rounded-md px-3 py-1.5 text-sm font-medium text-white ${pending.kind === "revoke" ? "bg-red-600" : "bg-brand-600"}`} data-testid="confirm">{t("keys.confirm")}</button>
            </div>
          </div>
        )}
      </Modal>
    </section>
  );
}
