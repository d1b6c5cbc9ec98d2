/**
 * A benchmark figure's stored conditions (lib/selection/runner.ts and steps.ts write them) as one readable,
 * translated line — "concurrency 4 · 30 requests · 8 of 50 eval items · quick run" — instead of raw JSON.
 * Keys this file doesn't know are shown as "key: value", so a new condition is visible before it is translated;
 * free-text notes (how a figure was measured, which inputs) stay in the raw JSON the cell's tooltip shows.
 */
import type { Translate } from "@/lib/i18n/config";

const SKIP = new Set(["evalSet", "how", "inputs", "intraOpThreads", "of"]);
/** What a reader compares first; other keys follow in stored order. */
const ORDER = ["concurrency", "samples", "errors", "subset", "mode", "options", "cold", "workers", "batching", "where"];
const rank = (k: string) => (ORDER.includes(k) ? ORDER.indexOf(k) : ORDER.length);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const scalar = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : JSON.stringify(v));

function part(t: Translate, key: string, v: unknown, c: Record<string, unknown>): string | null {
  switch (key) {
    case "concurrency":
      return t("models.card.cond.concurrency", { n: scalar(v) });
    case "samples":
      return t("models.card.cond.samples", { n: scalar(v) });
    case "errors":
      return typeof v === "number" && v > 0 ? t("models.card.cond.errors", { n: v }) : null;
    case "subset":
      return t("models.card.cond.subset", { subset: scalar(v), of: scalar(c.of ?? "?") });
    case "mode":
      return v === "quick" ? t("models.card.cond.quick") : v === "full" ? t("models.card.cond.full") : scalar(v);
    case "where":
      return v === "cli" ? t("models.card.cond.cli") : v === "server" ? t("models.card.cond.server") : scalar(v);
    case "workers":
      return t("models.card.cond.workers", { workers: scalar(v), threads: scalar(c.intraOpThreads ?? "?") });
    case "batching":
      return t(v ? "models.card.cond.batchingOn" : "models.card.cond.batchingOff");
    case "cold":
      return t(v ? "models.card.cond.cold" : "models.card.cond.notCold");
    case "options":
      return isRecord(v) ? Object.entries(v).map(([k, x]) => `${k} ${scalar(x)}`).join(", ") : scalar(v);
    case "files":
      return Array.isArray(v) ? t("models.card.cond.files", { list: v.map(scalar).join(", ") }) : scalar(v);
    case "weights":
      return Array.isArray(v) ? t("models.card.cond.opsets", { list: v.filter(isRecord).map((w) => `${scalar(w.key)} ${scalar(w.opset)}`).join(", ") }) : scalar(v);
    case "axes":
      return Array.isArray(v) ? t("models.card.cond.axes", { list: v.length ? v.map(scalar).join(", ") : "0" }) : scalar(v);
    case "ops":
      return Array.isArray(v) ? (v.length ? t("models.card.cond.customOps", { list: v.map(scalar).join(", ") }) : t("models.card.cond.noCustomOps")) : scalar(v);
    default:
      return `${key}: ${scalar(v)}`;
  }
}

export function describeConditions(t: Translate, conditions: unknown): string {
  if (!isRecord(conditions)) return t("models.card.cond.none");
  const parts = Object.entries(conditions)
    .filter(([k]) => !SKIP.has(k))
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([k, v]) => part(t, k, v, conditions))
    .filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(" · ") : t("models.card.cond.none");
}
