"use client";
import { useState, type FormEvent } from "react";
import { useI18n } from "@/lib/i18n/client";

export interface CreatedKey {
  id: string;
  name: string;
  key: string;
}

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

export function CreateKeyForm({ onCreated, onCancel }: { onCreated: (k: CreatedKey) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Tomorrow, fixed when the form opens: a key must expire in the future.
  const [minDate] = useState(() => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const restrict = String(f.get("restrict"));
    const scopes = [String(f.get("permission")), ...(f.get("usage") ? ["usage:read"] : []), ...(restrict === "any" ? [] : [restrict])];
    const num = (k: string) => (f.get(k) ? Number(f.get(k)) : undefined);
    const expiry = String(f.get("expires") ?? "");
    const body = {
      name: String(f.get("name") ?? ""),
      scopes,
      expires_at: expiry ? new Date(`${expiry}T23:59:59`).toISOString() : undefined,
      requests_per_minute: num("rpm"),
      concurrent_requests: num("concurrent"),
      monthly_requests: num("monthly_requests"),
      monthly_compute_ms: num("monthly_compute_ms"),
    };
    setBusy(true);
    setError(null);
    try {
      const res = await fetch("/api/v1/keys", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const json = (await res.json()) as CreatedKey & { error?: { message: string; param?: string } };
      if (!res.ok) return setError(json.error ? `${json.error.param ? `${json.error.param}: ` : ""}${json.error.message}` : `HTTP ${res.status}`);
      onCreated(json);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" data-testid="create-key-form">
      <label className="block text-sm font-medium text-slate-700">
        {t("keys.form.name")}
        <input name="name" required maxLength={100} placeholder={t("keys.form.namePlaceholder")} className={field} data-testid="key-name" />
      </label>
      <fieldset className="text-sm">
        <legend className="font-medium text-slate-700">{t("keys.form.permissions")}</legend>
        <label className="mt-1 flex items-center gap-2">
          <input type="radio" name="permission" value="inference" defaultChecked /> {t("keys.form.inference")}
        </label>
        <label className="flex items-center gap-2">
          <input type="radio" name="permission" value="read" /> {t("keys.form.read")}
        </label>
        <label className="mt-1 flex items-center gap-2">
          <input type="checkbox" name="usage" value="usage:read" defaultChecked data-testid="key-usage-read" /> {t("keys.form.usage")}
        </label>
        <p className="text-xs text-slate-500">{t("keys.form.usageHint")}</p>
      </fieldset>
      <label className="block text-sm font-medium text-slate-700">
        {t("keys.form.restrict")}
        <select name="restrict" className={field} data-testid="key-restrict">
          <option value="any">{t("keys.form.anyModel")}</option>
          <option value="task:ocr">{t("keys.form.ocrOnly")}</option>
          <option value="task:vad">{t("keys.form.vadOnly")}</option>
          <option value="task:tensor">{t("keys.form.tensorOnly")}</option>
        </select>
      </label>
      <label className="block text-sm font-medium text-slate-700">
        {t("keys.form.expiry")}
        <input type="date" name="expires" min={minDate} className={field} data-testid="key-expiry" />
      </label>
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">{t("keys.form.limits")}</legend>
        <div className="mt-1 grid grid-cols-2 gap-2">
          {([["rpm", "keys.form.rpm"], ["concurrent", "keys.form.concurrent"], ["monthly_requests", "keys.form.monthlyRequests"], ["monthly_compute_ms", "keys.form.monthlyCompute"]] as const).map(([n, label]) => (
            <label key={n} className="text-xs text-slate-600">
              {t(label)}
              <input type="number" name={n} min={1} className={field} data-testid={`key-${n}`} />
            </label>
          ))}
        </div>
      </fieldset>
      {error && <p role="alert" className="text-sm text-red-600" data-testid="key-form-error">{error}</p>}
      <div className="flex justify-end gap-2">
        <button type="button" onClick={onCancel} className="rounded-md px-3 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300">{t("keys.cancel")}</button>
        <button type="submit" disabled={busy} className="rounded-md bg-brand-600 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-60" data-testid="key-submit">{t("keys.form.submit")}</button>
      </div>
    </form>
  );
}
