"use client";
import Link from "next/link";
import { useState } from "react";
import { useI18n } from "@/lib/i18n/client";
import type { Job } from "./job";
import { JobsList } from "./jobs-list";
import { SubmitForm, type JobModel } from "./submit-form";

export type { JobModel };

/** The Jobs page: the new-job form beside the user's jobs, which move while they run. */
export function JobsPage({ models }: { models: JobModel[] }) {
  const { t } = useI18n();
  const [nonce, setNonce] = useState(0);
  const [fresh, setFresh] = useState<Job | null>(null);
  return (
    <section className="space-y-6" data-testid="section-jobs">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{t("jobs.title")}</h1>
        <p className="mt-1 max-w-3xl text-slate-600">{t("jobs.lead")}</p>
      </div>
      <div className="grid gap-6 lg:grid-cols-5">
        <div className="space-y-3 lg:col-span-2">
          <SubmitForm
            models={models}
            onSubmitted={(job) => {
              setFresh(job);
              setNonce((n) => n + 1);
            }}
          />
          {fresh && (
            <p role="status" className="rounded bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="job-submitted">
              {t("jobs.form.submitted")}{" "}
              <Link href={`/jobs/${encodeURIComponent(fresh.id)}`} className="font-medium underline">{fresh.id}</Link>
            </p>
          )}
        </div>
        <div className="min-w-0 lg:col-span-3">
          <JobsList nonce={nonce} fresh={fresh} />
        </div>
      </div>
    </section>
  );
}
