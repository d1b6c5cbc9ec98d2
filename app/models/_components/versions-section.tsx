import type { ModelDetail } from "@/lib/api/schemas/models";
import { getT } from "@/lib/i18n/server";
import { ModelSignature } from "../../_components/model-signature";
import { VersionFigures, VersionFiles, VersionStatus } from "../../_components/model-version";
import { bytes } from "./format";

/** A model's versions on its public card: status, traffic share, size, figures, files (SHA-256) and signature. */
export async function VersionsSection({ model }: { model: ModelDetail }) {
  const { t, locale } = await getT();
  if (model.versions.length === 0) return null;
  const date = new Intl.DateTimeFormat(locale === "zh" ? "zh-CN" : "en", { dateStyle: "medium" });
  return (
    <section aria-labelledby="versions-title" className="rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid="card-versions">
      <h2 id="versions-title" className="font-semibold">{t("registry.catalog.versions")}</h2>
      <ul className="mt-3 space-y-3">
        {model.versions.map((v) => (
          <li key={v.version} className="rounded-md border border-slate-200 p-3" data-testid="card-version" data-version={v.version}>
            <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
              <span className="font-mono font-medium">{v.version}</span>
              <VersionStatus status={v.status} reason={v.status_reason} />
              <span data-testid="card-version-traffic">{t("registry.card.traffic")}: {t("registry.catalog.traffic", { n: v.traffic_percent })}</span>
              <span>{t("registry.card.size")}: {bytes(v.size_bytes)}</span>
              {!model.built_in && <span className="text-slate-600">{t("registry.catalog.uploadedOn", { when: date.format(new Date(v.created_at)) })}</span>}
              <VersionFigures status={v.status} figures={v.figures} />
            </div>
            {!model.built_in && (
              <details className="mt-2" open={v.version === model.version}>
                <summary className="cursor-pointer text-sm text-slate-700">{t("registry.card.files")} · {t("registry.card.signature")}</summary>
                <div className="mt-2 space-y-3 overflow-x-auto">
                  <VersionFiles files={v.files} />
                  {v.signature.length ? <ModelSignature signature={v.signature} /> : <p className="text-sm text-slate-500">{t("registry.catalog.noSignature")}</p>}
                </div>
              </details>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
