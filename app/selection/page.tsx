import { presentRun } from "@/lib/api/presenters/benchmark-runs";
import { frontierOutput } from "@/lib/api/schemas/selection";
import { canAccess } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { getT } from "@/lib/i18n/server";
import { CATALOG } from "@/lib/models/catalog";
import { latestRun } from "@/lib/selection/jobs";
import { frontierView } from "@/lib/selection/service";
import { BenchmarkPanel } from "./_components/benchmark-panel";
import { TaskSection } from "./_components/task-section";

export const dynamic = "force-dynamic";
export const metadata = { title: "Selection" };

export default async function SelectionPage() {
  const [{ t }, user, ocr, vad, langid] = await Promise.all([getT(), getSessionUser(), frontierView("ocr"), frontierView("vad"), frontierView("text", "langid")]);
  const isAdmin = canAccess(user?.role, "admin");
  // The run panel (and what runs exist) is for admins; the API behind it checks the role again.
  const run = isAdmin ? await latestRun() : null;
  const lastRun = run ? presentRun(run) : null;
  const views = [frontierOutput.parse(ocr), frontierOutput.parse(vad), frontierOutput.parse(langid)];
  const others = ocr.other_hosts;
  return (
    <div className="space-y-8" data-testid="section-selection">
      <header>
        <h1 className="text-2xl font-semibold tracking-tight">{t("selection.title")}</h1>
        <p className="mt-1 max-w-4xl text-slate-600">{t("selection.lead")}</p>
        <p className="mt-2 text-sm text-slate-500" data-testid="selection-host">
          {t("selection.host")}: <span className="font-mono">{ocr.host.description}</span> · <span className="font-mono">{ocr.host.fingerprint}</span>
        </p>
        {others.length > 0 && (
          <p className="mt-2 rounded bg-amber-50 p-2 text-sm text-amber-800" data-testid="other-hosts">
            {t("selection.otherHosts", { count: others.length, hosts: others.map((o) => `${o.description} (${o.fingerprint})`).join("; ") })}
          </p>
        )}
      </header>
      {isAdmin && <BenchmarkPanel initialRun={lastRun} models={CATALOG.map((e) => ({ id: e.id, task: e.task }))} />}
      {views.map((v) => (
        <TaskSection key={v.task} view={v} isAdmin={isAdmin} />
      ))}
    </div>
  );
}
