import { requireAdmin } from "@/lib/auth/session";
import { env } from "@/lib/config/env";
import { getModel } from "@/lib/api/presenters/models";
import { AdminShell } from "../../_components/admin-shell";
import { textVersionRows } from "@/app/models/_components/text-versions";
import { AdminModelCard } from "../_components/admin-model-card";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  return { title: `Admin · ${(await params).id}` };
}

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdmin(`/admin/models/${encodeURIComponent(id)}`);
  // Figures per version come with the public detail (this host's latest); the card refreshes them as measuring ends.
  const detail = await getModel(id);
  const figures = Object.fromEntries((detail?.versions ?? []).map((v) => [v.version, v.figures]));
  return (
    <AdminShell section="models">
      <AdminModelCard id={id} figures={figures} maxMb={env.maxModelMb()} text={detail?.text ? { spec: detail.text, versions: textVersionRows(detail) } : null} />
    </AdminShell>
  );
}
