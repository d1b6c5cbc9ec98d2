"use client";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import { probe, type Probe } from "@/app/jobs/_components/input-probe";
import { submitJob } from "@/app/jobs/_components/submit-job";
import type { Job } from "@/app/jobs/_components/job";
import type { PickedInput } from "./input-picker";
import type { Options } from "./options";

/** Synchronous refusals a job gets past: too long, several pages, too big for one request. */
export const JOB_CODES = ["audio_too_long", "multi_page_input", "payload_too_large"];

type Reason = { key: "tooLong"; s: number } | { key: "pages" } | { key: "format" } | { key: "refused"; code: string };

function reasonOf(task: "ocr" | "vad", p: Probe | null, maxSeconds: number): Reason | null {
  if (!p) return null;
  if (task === "ocr" && (p.kind === "pdf" || (p.kind === "tiff" && p.pages > 1))) return { key: "pages" };
  if (task === "vad" && p.kind === "wav" && p.seconds !== null && p.seconds > maxSeconds) return { key: "tooLong", s: Math.round(p.seconds) };
  if (task === "vad" && p.kind === "audio") return { key: "format" };
  return null;
}

/**
 * "Run as a job" in the playground: offered when the chosen file is a PDF or a multi-page TIFF, a recording longer
 * than the synchronous limit or in a format the synchronous API does not take, or when a synchronous call was
 * refused for one of those reasons. Submits the same file, model and options to /api/v1/jobs and links to the job.
 */
export function RunAsJob({ task, input, model, options, refusedCode, maxSeconds }: { task: "ocr" | "vad"; input: PickedInput | null; model: string; options: Options; refusedCode: string | null; maxSeconds: number }) {
  const { t } = useI18n();
  const [probed, setProbed] = useState<{ input: PickedInput; probe: Probe } | null>(null);
  const [upload, setUpload] = useState<number | null>(null);
  const [job, setJob] = useState<{ input: PickedInput; job: Job } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    if (!input) return;
    let live = true;
    probe(input.blob, input.name).then(
      (p) => live && setProbed({ input, probe: p }),
      () => live && setProbed({ input, probe: { kind: "other" } }),
    );
    return () => {
      live = false;
    };
  }, [input]);

  const fromFile = probed && probed.input === input ? reasonOf(task, probed.probe, maxSeconds) : null;
  const reason: Reason | null = fromFile ?? (refusedCode && JOB_CODES.includes(refusedCode) ? { key: "refused", code: refusedCode } : null);
  if (!input || !reason) return null;
  const done = job && job.input === input ? job.job : null;

  async function go() {
    if (!input) return;
    setProblem(null);
    setUpload(0);
    const out = await submitJob({ task, file: input.blob, name: input.name, model, options }, setUpload);
    setUpload(null);
    if (out.ok) setJob({ input, job: out.job });
    else setProblem(t("jobs.asJob.failed", { code: out.code, message: out.message }));
  }

  const text = reason.key === "tooLong" ? t("jobs.asJob.tooLong", { s: reason.s, max: maxSeconds }) : reason.key === "refused" ? t("jobs.asJob.refused", { code: reason.code }) : t(`jobs.asJob.${reason.key}`);
  return (
    <div className="space-y-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200" data-testid="run-as-job" data-reason={reason.key}>
      <p>{text}</p>
      {done ? (
        <p role="status" data-testid="run-as-job-done">
          {t("jobs.asJob.submitted", { id: done.id })}{" "}
          <Link href={`/jobs/${encodeURIComponent(done.id)}`} className="font-medium text-brand-700 underline" data-testid="run-as-job-link">{t("jobs.asJob.open")}</Link>
        </p>
      ) : (
        <button type="button" onClick={() => void go()} disabled={upload !== null} className="rounded-md bg-slate-800 px-3 py-1.5 font-medium text-white hover:bg-slate-900 disabled:opacity-60" data-testid="run-as-job-button">
          {t("jobs.asJob.button")}
        </button>
      )}
      {upload !== null && <p aria-live="polite">{t("jobs.asJob.uploading", { p: Math.round(upload * 100) })}</p>}
      {problem && <p role="alert" className="text-red-700">{problem}</p>}
    </div>
  );
}
