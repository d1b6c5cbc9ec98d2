import { requireUser } from "@/lib/auth/session";
import { listModels } from "@/lib/api/presenters/models";
import { JobsPage, type JobModel } from "./_components/jobs-page";

export const metadata = { title: "Jobs" };
export const dynamic = "force-dynamic";

export default async function Page() {
  await requireUser("/jobs");
  // The model pickers list the registry's OCR and VAD models (built-in and uploaded), as the playground does.
  const models = (await listModels()).flatMap((m): JobModel[] => (m.enabled && (m.task === "ocr" || m.task === "vad") ? [{ id: m.id, task: m.task, name: m.name, default: m.default }] : []));
  return <JobsPage models={models} />;
}
