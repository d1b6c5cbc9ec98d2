import { headlines } from "@/lib/db/headlines";
import { listModels } from "@/lib/api/presenters/models";
import { currentHost } from "@/lib/selection/host";
import { Catalog } from "./_components/catalog";

export const metadata = { title: "Models" };
export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  const [models, figures] = await Promise.all([listModels(), headlines(currentHost().fingerprint)]);
  return (
    <Catalog
      models={models.map((m) => {
        // Figures are per servable: an uploaded model shows its main version's.
        const f = figures[m.built_in ? m.id : `${m.id}@${m.version}`];
        return {
          ...m,
          p95Ms: f?.p95Ms ?? null,
          accuracy: f?.accuracy ?? null,
          deploy: { ...(f?.deploy ?? { fileSizeBytes: m.size_bytes, coldLoadMs: null, memoryMb: null, opset: null, customOps: null, dynamicAxes: null }), license: m.license },
        };
      })}
    />
  );
}
