"use client";
import { useI18n } from "@/lib/i18n/client";

export type Options = Record<string, string | number | boolean>;

const field = "mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";

/** Option controls per task; values use the API's snake_case names so snippets can reuse them verbatim. */
export function OptionControls({ task, auto, value, onChange }: { task: "ocr" | "vad"; auto: boolean; value: Options; onChange: (v: Options) => void }) {
  const { t } = useI18n();
  const set = (k: string, v: string | number | boolean | undefined) => {
    const next = { ...value };
    if (v === undefined || v === "") delete next[k];
    else next[k] = v;
    onChange(next);
  };
  const num = (k: string, label: string, attrs: { min: number; max: number; step: number }) => (
    <label className="text-sm font-medium text-slate-700">
      {label}
      <input type="number" {...attrs} value={value[k] === undefined ? "" : String(value[k])} onChange={(e) => set(k, e.target.value === "" ? undefined : Number(e.target.value))} className={field} data-testid={`opt-${k}`} />
    </label>
  );
  return (
    <fieldset className="grid gap-3 sm:grid-cols-2">
      <legend className="mb-2 text-sm font-semibold text-slate-800">{t("playground.options")}</legend>
      {task === "ocr" ? (
        <>
          {num("det_limit_side", t("playground.detLimitSide"), { min: 32, max: 4096, step: 32 })}
          {num("box_thresh", t("playground.boxThresh"), { min: 0, max: 1, step: 0.05 })}
          <label className="flex items-center gap-2 text-sm font-medium text-slate-700 sm:col-span-2">
            <input type="checkbox" checked={value.use_angle_cls === true} onChange={(e) => set("use_angle_cls", e.target.checked ? true : undefined)} data-testid="opt-use_angle_cls" />
            {t("playground.useAngleCls")}
          </label>
        </>
      ) : (
        <>
          {num("threshold", t("playground.threshold"), { min: 0.05, max: 0.95, step: 0.05 })}
          {num("min_speech_ms", t("playground.minSpeechMs"), { min: 0, max: 5000, step: 50 })}
          {num("min_silence_ms", t("playground.minSilenceMs"), { min: 0, max: 5000, step: 50 })}
          {num("speech_pad_ms", t("playground.speechPadMs"), { min: 0, max: 1000, step: 10 })}
        </>
      )}
      {auto && (
        <>
          <label className="text-sm font-medium text-slate-700">
            {t("playground.objective")}
            <select value={String(value.objective ?? "balanced")} onChange={(e) => set("objective", e.target.value)} className={field} data-testid="opt-objective">
              <option value="balanced">{t("playground.objectiveBalanced")}</option>
              <option value="fastest">{t("playground.objectiveFastest")}</option>
              <option value="most_accurate">{t("playground.objectiveAccurate")}</option>
            </select>
          </label>
          {num("max_latency_ms", t("playground.maxLatency"), { min: 1, max: 60000, step: 10 })}
        </>
      )}
    </fieldset>
  );
}
