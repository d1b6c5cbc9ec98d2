import { requireUser } from "@/lib/auth/session";
import { JobView } from "../_components/job-view";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Jobs · ${(await params).id}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/jobs/${encodeURIComponent(id)}`);
  // The job is read by the browser: it polls it about once a second while it runs.
  return <JobView id={id} />;
}
