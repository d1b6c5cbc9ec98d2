"use client";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { CopyButton } from "../../_components/copy-button";
import { Modal } from "../../_components/modal";

/** `whsec_` and the last four characters; the rest hidden until revealed. */
function masked(secret: string): string {
  return `whsec_${"•".repeat(24)}${secret.slice(-4)}`;
}

/** The webhook signing secret: masked, revealed and copied on demand, rotated after a confirmation. */
export function WebhookSecret() {
  const { t } = useI18n();
  const [secret, setSecret] = useState<string | null>(null);
  const [loadError, setLoadError] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    fetch("/api/account/webhook-secret", { cache: "no-store" })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const body = (await res.json()) as { secret: string };
        if (live) setSecret(body.secret);
      })
      .catch(() => live && setLoadError(true));
    return () => {
      live = false;
    };
  }, []);

  async function rotate() {
    setActionError(null);
    const res = await fetch("/api/account/webhook-secret", { method: "POST" });
    const body = (await res.json()) as { secret?: string; error?: { message: string } };
    if (!res.ok || !body.secret) return setActionError(body.error?.message ?? `HTTP ${res.status}`);
    setSecret(body.secret);
    setConfirming(false);
    setRotated(true);
  }

  return (
    <section className="space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="webhook-secret">
      <div>
        <h2 className="text-lg font-semibold">{t("keys.webhook.title")}</h2>
        <p className="mt-1 max-w-2xl text-sm text-slate-600">{t("keys.webhook.lead")}</p>
      </div>
      {loadError ? (
        <p role="alert" className="text-sm text-red-700">{t("keys.webhook.loadError")}</p>
      ) : secret === null ? (
        <p className="text-sm text-slate-500">{t("keys.webhook.loading")}</p>
      ) : (
        <div className="flex flex-wrap items-center gap-2">
          <code className="min-w-0 flex-1 break-all rounded bg-slate-900 px-3 py-2 font-mono text-xs text-slate-100" data-testid="webhook-secret-value" data-revealed={revealed}>
            {revealed ? secret : masked(secret)}
          </code>
          <button type="button" onClick={() => setRevealed((r) => !r)} className="rounded-md border border-slate-300 bg-white px-2.5 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50" data-testid="webhook-secret-reveal">
            {revealed ? t("keys.webhook.hide") : t("keys.webhook.reveal")}
          </button>
          <CopyButton text={secret} testId="webhook-secret-copy" />
          <button type="button" onClick={() => setConfirming(true)} className="rounded-md px-2.5 py-1 text-xs font-medium text-brand-600 ring-1 ring-brand-600 hover:bg-brand-50" data-testid="webhook-secret-rotate">
            {t("keys.webhook.rotate")}
          </button>
        </div>
      )}
      {rotated && <p role="status" className="text-sm text-emerald-700" data-testid="webhook-secret-rotated">{t("keys.webhook.rotated")}</p>}

      <Modal open={confirming} onClose={() => setConfirming(false)} title={t("keys.webhook.rotate")} testId="webhook-rotate-dialog">
        {confirming && (
          <div className="space-y-4">
            <p className="text-sm text-slate-700">{t("keys.webhook.confirmRotate")}</p>
            {actionError && <p role="alert" className="text-sm text-red-600">{actionError}</p>}
            <div className="flex justify-end gap-2">
              <button type="button" onClick={() => setConfirming(false)} className="rounded-md px-3 py-1.5 text-sm ring-1 ring-slate-300">{t("keys.cancel")}</button>
              <button type="button" onClick={() => void rotate()} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white" data-testid="webhook-rotate-confirm">{t("keys.confirm")}</button>
            </div>
          </div>
        )}
      </Modal>
    </section>
  );
}
