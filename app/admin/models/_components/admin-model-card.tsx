"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { TextSpecOutput, VersionDetail } from "@/lib/api/schemas/models";
import { useI18n } from "@/lib/i18n/client";
import { fmtDateTime } from "@/app/_components/dashboard/format";
import { ErrorState, Skeleton } from "@/app/_components/dashboard/states";
import { apiFetch, useJson } from "@/app/_components/dashboard/use-json";
import { Modal } from "@/app/_components/modal";
import { ModelSignature } from "@/app/_components/model-signature";
import { VersionFigures, VersionFiles, VersionStatus } from "@/app/_components/model-version";
import { bytes } from "@/app/models/_components/format";
import { taskLabel } from "@/app/models/_components/task-label";
import { TextModelSection, type TextVersionRow } from "@/app/models/_components/text-model-section";
import type { RegistryModel } from "./registry-model";
import { TrafficEditor } from "./traffic-editor";
import { UploadForm } from "./upload-form";

type Confirm = { kind: "model" } | { kind: "version"; version: string } | null;
const btn = "rounded-md border border-slate-300 bg-white px-2.5 py-1 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-50";
const danger = "rounded-md border border-red-300 bg-white px-2.5 py-1 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50";

/**
 * An uploaded (or built-in) model as its admin sees it: who brought it and when, its versions with status, traffic
 * share, figures, files with SHA-256 and signature; the traffic editor, one-click rollback per version, deletion
 * with confirmation, and "add a version". Polls quickly while a version is being checked or measured.
 */
export function AdminModelCard({ id, figures, maxMb, text }: { id: string; figures: Record<string, VersionDetail["figures"]>; maxMb: number; text?: { spec: TextSpecOutput; versions: TextVersionRow[] } | null }) {
  const { t, locale } = useI18n();
  const router = useRouter();
  const url = `/api/v1/admin/models/${encodeURIComponent(id)}`;
  // Polled: a new version moves from validating to measuring to ready in the background.
  const model = useJson<RegistryModel>(url, 3_000);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ ok: boolean; text: string } | null>(null);
  const [confirm, setConfirm] = useState<Confirm>(null);
  const seen = model.data?.versions.map((v) => `${v.version}:${v.status}`).join(",") ?? "";

  // A status change (validating → measuring → ready) brings new figures: the server page reads them again.
  const statuses = useRef("");
  useEffect(() => {
    if (!seen || seen === statuses.current) return;
    if (statuses.current) router.refresh();
    statuses.current = seen;
  }, [seen, router]);

  async function patch(body: object, done: string) {
    setBusy(true);
    setNotice(null);
    const r = await apiFetch<RegistryModel>(url, { method: "PATCH", json: body });
    setBusy(false);
    setNotice(r.ok ? { ok: true, text: done } : { ok: false, text: t("registry.card.failed", { message: r.error.message }) });
    model.reload();
    return r.ok;
  }

  async function remove(c: NonNullable<Confirm>) {
    setBusy(true);
    setNotice(null);
    const r = await apiFetch<unknown>(c.kind === "model" ? url : `${url}/versions/${encodeURIComponent(c.version)}`, { method: "DELETE" });
    setBusy(false);
    setConfirm(null);
    if (!r.ok) return setNotice({ ok: false, text: t("registry.card.failed", { message: r.error.message }) });
    if (c.kind === "model") return router.push("/admin/models");
    setNotice({ ok: true, text: t("registry.card.deletedVersion", { version: c.version }) });
    model.reload();
  }

  if (model.error && !model.data) return <ErrorState message={model.error.message} onRetry={model.reload} />;
  if (!model.data) return <Skeleton rows={1} />;
  const m = model.data;
  const uploaded = !m.built_in;
  return (
    <article className="space-y-6" data-testid="admin-model-card" data-model={m.id}>
      <div>
        <Link href="/admin/models" className="text-sm text-brand-600 hover:underline">← {t("registry.card.back")}</Link>
        <div className="mt-2 flex flex-wrap items-center gap-3">
          <h2 className="text-xl font-semibold">{m.name}</h2>
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs uppercase text-slate-700">{m.task}</span>
          <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">{uploaded ? t("registry.uploaded") : t("registry.builtIn")}</span>
          {m.default && <span className="rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">{t("admin.models.default")}</span>}
          <span className="ml-auto flex gap-2">
            <Link href={`/models/${encodeURIComponent(m.id)}`} className={btn}>{t("registry.card.openPublic")}</Link>
            <Link href={`/playground?model=${encodeURIComponent(m.id)}`} className={btn} data-testid="card-try">{t("registry.card.tryIt")}</Link>
          </span>
        </div>
        <p className="mt-1 font-mono text-sm text-slate-500">{m.id}</p>
        {m.description && <p className="mt-2 text-slate-700">{m.description}</p>}
      </div>

      <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-1 rounded-lg bg-white p-5 text-sm shadow-sm ring-1 ring-slate-200 sm:grid-cols-[auto_1fr_auto_1fr]">
        <dt className="text-slate-500">{t("registry.card.task")}</dt>
        <dd>{taskLabel(t, m.task)}</dd>
        <dt className="text-slate-500">{t("registry.card.license")}</dt>
        <dd data-testid="card-license">{m.license || "—"}</dd>
        <dt className="text-slate-500">{t("registry.card.enabled")}</dt>
        <dd>{m.enabled ? t("registry.card.yes") : t("registry.card.no")}</dd>
        <dt className="text-slate-500">{t("registry.card.sticky")}</dt>
        <dd>{m.sticky ? t("registry.card.yes") : t("registry.card.no")}</dd>
        {uploaded && (
          <>
            <dt className="text-slate-500">{t("registry.card.created")}</dt>
            <dd className="sm:col-span-3" data-testid="card-uploader">
              {t("registry.card.uploadedBy", { who: m.created_by ?? t("registry.card.unknownUploader") })} {t("registry.card.uploadedAt", { when: fmtDateTime(m.created_at, locale, true) })}
            </dd>
          </>
        )}
      </dl>

      {/* Traffic from the polled registry model, so a rollback shows at once; figures and spec from the server page. */}
      {text && <TextModelSection modelId={m.id} text={text.spec} versions={text.versions.map((v) => ({ ...v, traffic_percent: m.versions.find((x) => x.version === v.version)?.traffic_percent ?? v.traffic_percent }))} />}

      <p role="status" aria-live="polite" className={notice ? `rounded px-3 py-2 text-sm ${notice.ok ? "bg-emerald-50 text-emerald-900" : "bg-red-50 text-red-800"}` : "sr-only"} data-testid="card-notice">
        {notice?.text ?? ""}
      </p>

      {uploaded ? (
        <TrafficEditor key={m.versions.map((v) => `${v.version}=${v.traffic_percent}`).join() + String(m.sticky)} model={m} busy={busy} onSave={(body, done) => patch(body, done)} />
      ) : (
        <p className="text-sm text-slate-600">{t("registry.card.builtInNote")}</p>
      )}

      <section aria-labelledby="admin-versions-title" className="space-y-3">
        <h3 id="admin-versions-title" className="text-lg font-semibold">{t("registry.card.versions")}</h3>
        {m.versions.length === 0 && <p className="text-sm text-slate-500">{t("registry.card.noVersions")}</p>}
        {[...m.versions].reverse().map((v) => (
          <div key={v.version} className="space-y-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid="admin-version" data-version={v.version} data-status={v.status}>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm">
              <span className="font-mono text-base font-semibold">{v.version}</span>
              <VersionStatus status={v.status} reason={v.status_reason} />
              <span data-testid="version-traffic">{t("registry.card.traffic")}: {v.traffic_percent} %</span>
              <span>{t("registry.card.size")}: {bytes(v.size_bytes)}</span>
              <span className="text-slate-600">
                {t("registry.card.uploadedBy", { who: v.created_by ?? t("registry.card.unknownUploader") })} {t("registry.card.uploadedAt", { when: fmtDateTime(v.created_at, locale, true) })}
              </span>
              <VersionFigures status={v.status} figures={figures[v.version] ?? null} />
              {uploaded && (
                <span className="ml-auto flex flex-wrap gap-2">
                  {v.traffic_percent < 100 && (v.status === "ready" || v.status === "measuring") && (
                    <button type="button" className={btn} disabled={busy} data-testid="version-rollback"
                      onClick={() => void patch({ traffic: { [v.version]: 100 } }, t("registry.card.rolledBack", { version: v.version }))}>
                      {t("registry.card.rollback", { version: v.version })}
                    </button>
                  )}
                  <button type="button" className={danger} disabled={busy} data-testid="version-delete" onClick={() => setConfirm({ kind: "version", version: v.version })}>
                    {t("registry.card.deleteVersion", { version: v.version })}
                  </button>
                </span>
              )}
            </div>
            <div className="overflow-x-auto">
              <VersionFiles files={v.files} />
            </div>
            {v.signature.length > 0 && (
              <details open={v.traffic_percent > 0 || m.versions.length === 1}>
                <summary className="cursor-pointer text-sm font-medium text-slate-700">{t("registry.card.signature")}</summary>
                <div className="mt-2 overflow-x-auto">
                  <ModelSignature signature={v.signature} />
                </div>
              </details>
            )}
          </div>
        ))}
      </section>

      {uploaded && m.task !== "text" && (
        <section aria-labelledby="add-version-title" className="max-w-3xl space-y-3 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="add-version">
          <h3 id="add-version-title" className="text-lg font-semibold">{t("registry.upload.addVersionTitle")}</h3>
          <p className="text-sm text-slate-600">{t("registry.upload.addVersionLead")}</p>
          <UploadForm maxMb={maxMb} model={{ id: m.id, task: m.task }} onDone={model.reload} />
        </section>
      )}

      {uploaded && (
        <div className="border-t border-slate-200 pt-4">
          <button type="button" className={danger} disabled={busy} data-testid="model-delete" onClick={() => setConfirm({ kind: "model" })}>
            {t("registry.card.deleteModel")}
          </button>
        </div>
      )}

      <Modal open={confirm !== null} onClose={() => setConfirm(null)} title={confirm?.kind === "model" ? t("registry.card.deleteModel") : t("registry.card.deleteVersion", { version: confirm?.version ?? "" })} testId="confirm-delete">
        <p className="text-sm text-slate-700">
          {confirm?.kind === "model" ? t("registry.card.confirmDeleteModel", { id: m.id }) : t("registry.card.confirmDeleteVersion", { id: m.id, version: confirm?.version ?? "" })}
        </p>
        <div className="mt-4 flex justify-end gap-2">
          <button type="button" className={btn} onClick={() => setConfirm(null)}>{t("registry.card.cancel")}</button>
          <button type="button" className="rounded-md bg-red-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-700 disabled:opacity-60" disabled={busy} data-testid="confirm-delete-yes" onClick={() => confirm && void remove(confirm)}>
            {t("registry.card.confirm")}
          </button>
        </div>
      </Modal>
    </article>
  );
}
