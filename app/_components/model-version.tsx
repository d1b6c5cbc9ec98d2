"use client";
import { useI18n } from "@/lib/i18n/client";
import type { VersionDetail } from "@/lib/api/schemas/models";
import { bytes, ms, pct } from "@/app/models/_components/format";
import { CopyButton } from "./copy-button";

export const VERSION_STATUS_STYLE: Record<string, string> = {
  validating: "bg-amber-50 text-amber-900 ring-amber-200",
  measuring: "bg-sky-50 text-sky-900 ring-sky-200",
  ready: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  failed: "bg-red-50 text-red-800 ring-red-200",
};

/** A version's status badge, with the reason under a failed one. */
export function VersionStatus({ status, reason }: { status: string; reason?: string | null }) {
  const { t } = useI18n();
  const known = ["validating", "measuring", "ready", "failed"].includes(status);
  return (
    <>
      <span className={`inline-block rounded px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${VERSION_STATUS_STYLE[status] ?? ""}`} data-testid="version-status" data-status={status}>
        {known ? t(`registry.card.status${status as "ready"}`) : status}
      </span>
      {status === "failed" && reason && <span className="mt-1 block break-words text-xs text-red-800">{t("registry.card.reason", { reason })}</span>}
    </>
  );
}

/** This host's headline figures of a version; "measuring…" while it is being measured. */
export function VersionFigures({ status, figures }: { status: string; figures: VersionDetail["figures"] }) {
  const { t } = useI18n();
  if (!figures) return <span className="text-slate-500" data-testid="version-figures">{status === "measuring" || status === "validating" ? t("registry.card.measuring") : t("registry.card.notMeasured")}</span>;
  const parts = [
    figures.p95_ms != null && t("registry.card.p95", { ms: ms(figures.p95_ms) }),
    figures.accuracy != null && t("registry.card.accuracy", { v: pct(figures.accuracy) }),
    figures.macro_f1 != null && t("classify.card.macroF1Figure", { v: figures.macro_f1.toFixed(3) }),
    figures.mae != null && t("registry.card.mae", { v: figures.mae.toPrecision(3) }),
    figures.cold_load_ms != null && t("registry.card.coldLoad", { ms: ms(figures.cold_load_ms) }),
    figures.memory_mb != null && t("registry.card.memory", { mb: Math.round(figures.memory_mb) }),
  ].filter(Boolean);
  return <span className="text-sm" data-testid="version-figures">{parts.join(" · ") || t("registry.card.notMeasured")}</span>;
}

/** A version's files: role, name, size and SHA-256 (copyable). */
export function VersionFiles({ files }: { files: VersionDetail["files"] }) {
  const { t } = useI18n();
  const th = "px-2 py-1 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
  return (
    <table className="min-w-full divide-y divide-slate-200" data-testid="version-files">
      <thead>
        <tr>
          <th scope="col" className={th}>{t("registry.card.role")}</th>
          <th scope="col" className={th}>{t("registry.card.fileName")}</th>
          <th scope="col" className={th}>{t("registry.card.size")}</th>
          <th scope="col" className={th}>{t("registry.card.sha256")}</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {files.map((f) => (
          <tr key={`${f.role}-${f.name}`}>
            <td className="px-2 py-1 font-mono text-xs uppercase">{f.role}</td>
            <td className="break-all px-2 py-1 font-mono text-xs">{f.name}</td>
            <td className="whitespace-nowrap px-2 py-1 text-sm">{f.bytes == null ? "—" : bytes(f.bytes)}</td>
            <td className="px-2 py-1">
              {f.sha256 ? (
                <span className="flex items-center gap-2">
                  <code className="break-all text-xs text-slate-700" data-testid="file-sha256">{f.sha256}</code>
                  <CopyButton text={f.sha256} label={t("registry.card.copySha", { name: f.name })} />
                </span>
              ) : (
                "—"
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
