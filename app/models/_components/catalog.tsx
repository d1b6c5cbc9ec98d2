"use client";
import Link from "next/link";
import { useMemo, useState } from "react";
import type { ModelOutput } from "@/lib/api/schemas/models";
import { useI18n } from "@/lib/i18n/client";
import { Deployability, type DeployabilityInput } from "../../selection/_components/deployability";
import { bytes, ms, pct, STATUS_STYLE } from "./format";
import { modalityLabel, taskLabel } from "./task-label";

export type CatalogModel = ModelOutput & { p95Ms: number | null; accuracy: number | null; deploy: DeployabilityInput };
type Sort = "name" | "latency" | "accuracy";

export function Catalog({ models }: { models: CatalogModel[] }) {
  const { t } = useI18n();
  const [q, setQ] = useState("");
  const [task, setTask] = useState<"all" | "ocr" | "vad" | "tensor" | "text">("all");
  const [modality, setModality] = useState<"all" | "image" | "audio" | "tensor" | "text">("all");
  const [sort, setSort] = useState<Sort>("name");

  const shown = useMemo(() => {
    const needle = q.trim().toLowerCase();
    const list = models.filter(
      (m) =>
        (task === "all" || m.task === task) &&
        (modality === "all" || m.modality === modality) &&
        (!needle || [m.id, m.name, m.version, m.variant, m.family, m.task].some((s) => s.toLowerCase().includes(needle))),
    );
    // Unmeasured models sort last whatever the direction: "unknown" is not "fast".
    const key = (m: CatalogModel) => (sort === "latency" ? (m.p95Ms ?? Infinity) : sort === "accuracy" ? -(m.accuracy ?? -Infinity) : 0);
    return [...list].sort((a, b) => (sort === "name" ? a.name.localeCompare(b.name) : key(a) - key(b)));
  }, [models, q, task, modality, sort]);

  const select = "rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm";
  return (
    <section aria-labelledby="models-title" data-testid="section-models">
      <h1 id="models-title" className="text-2xl font-semibold tracking-tight">{t("models.title")}</h1>
      <p className="mt-1 text-slate-600">{t("models.lead")}</p>
      <div className="mt-6 flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200">
        <label className="flex min-w-48 flex-1 flex-col gap-1 text-sm font-medium text-slate-700">
          {t("models.search")}
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t("models.searchPlaceholder")} className="rounded-md border border-slate-300 px-3 py-1.5" data-testid="model-search" />
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("models.task")}
          <select value={task} onChange={(e) => setTask(e.target.value as typeof task)} className={select} data-testid="filter-task">
            <option value="all">{t("models.all")}</option>
            <option value="ocr">{t("models.taskOcr")}</option>
            <option value="vad">{t("models.taskVad")}</option>
            <option value="tensor">{t("registry.taskTensor")}</option>
            <option value="text">{t("classify.taskText")}</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("models.modality")}
          <select value={modality} onChange={(e) => setModality(e.target.value as typeof modality)} className={select} data-testid="filter-modality">
            <option value="all">{t("models.all")}</option>
            <option value="image">{t("models.modalityImage")}</option>
            <option value="audio">{t("models.modalityAudio")}</option>
            <option value="tensor">{t("registry.modalityTensor")}</option>
            <option value="text">{t("classify.modalityText")}</option>
          </select>
        </label>
        <label className="flex flex-col gap-1 text-sm font-medium text-slate-700">
          {t("models.sort")}
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)} className={select} data-testid="sort">
            <option value="name">{t("models.sortName")}</option>
            <option value="latency">{t("models.sortLatency")}</option>
            <option value="accuracy">{t("models.sortAccuracy")}</option>
          </select>
        </label>
      </div>
      <p className="mt-4 text-sm text-slate-500" aria-live="polite">{t("models.count", { n: shown.length })}</p>
      {shown.length === 0 ? (
        <p className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-slate-500">{t("models.empty")}</p>
      ) : (
        <ul className="mt-3 grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="model-list">
          {shown.map((m) => (
            <li key={m.id} data-testid={`model-card-${m.id}`} data-task={m.task}>
              <Link href={`/models/${m.id}`} aria-label={`${t("models.open")}: ${m.name}`} className="flex h-full flex-col rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200 hover:ring-brand-500">
                <div className="flex items-start justify-between gap-2">
                  <h2 className="font-semibold text-slate-900">{m.name}</h2>
                  <span className={`shrink-0 rounded-full px-2 py-0.5 text-xs ring-1 ${STATUS_STYLE[m.status]}`}>{t(`models.status${m.status}`)}</span>
                </div>
                <p className="mt-1 text-xs text-slate-500">
                  {taskLabel(t, m.task)} · {modalityLabel(t, m.modality)}
                  {m.default && <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 font-medium text-brand-700">{t("models.default")}</span>}
                  {!m.built_in && <span className="ml-2 rounded bg-violet-50 px-1.5 py-0.5 font-medium text-violet-700" data-testid="badge-uploaded">{t("registry.uploaded")}</span>}
                  {!m.enabled && <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 font-medium text-slate-600">{t("models.disabled")}</span>}
                </p>
                <dl className="mt-4 grid grid-cols-2 gap-x-3 gap-y-2 text-sm">
                  <dt className="text-slate-500">{t("models.version")}</dt>
                  <dd className="text-right font-medium">{m.version} · {m.variant}</dd>
                  {m.versions.length > 1 && (
                    <>
                      <dt className="text-slate-500">{t("registry.catalog.versions")}</dt>
                      <dd className="text-right font-medium" data-testid="card-traffic">{m.versions.map((v) => `${v.version} ${t("registry.catalog.traffic", { n: v.traffic_percent })}`).join(" · ")}</dd>
                    </>
                  )}
                  <dt className="text-slate-500">{t("models.size")}</dt>
                  <dd className="text-right font-medium">{bytes(m.size_bytes)}</dd>
                  <dt className="text-slate-500">{t("models.license")}</dt>
                  <dd className="text-right font-medium">{m.license}</dd>
                  <dt className="text-slate-500">{t("models.latencyP95")}</dt>
                  <dd className="text-right font-medium" data-testid="card-latency">{m.p95Ms == null ? <span className="text-slate-400">{t("models.notMeasured")}</span> : ms(m.p95Ms)}</dd>
                  <dt className="text-slate-500">{t("models.accuracy")}</dt>
                  <dd className="text-right font-medium">{m.accuracy == null ? <span className="text-slate-400">{t("models.notMeasured")}</span> : pct(m.accuracy)}</dd>
                  <dt className="text-slate-500">{t("models.deployability")}</dt>
                  <dd className="text-right">
                    <Deployability input={m.deploy} compact testId={`deploy-${m.id}`} />
                  </dd>
                </dl>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
