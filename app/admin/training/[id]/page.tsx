import { requireAdmin } from "@/lib/auth/session";
import { AdminShell } from "../../_components/admin-shell";
import { RunView } from "../_components/run-view";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Admin · Training · ${(await params).id}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/training/${encodeURIComponent(id)}`);
  // The run is read by the browser: it polls it about once a second while it trains.
  return (
    <AdminShell section="training">
      <RunView id={id} />
    </AdminShell>
  );
}
