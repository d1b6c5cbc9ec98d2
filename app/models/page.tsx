import { headlines } from "@/lib/models/summary";
import { listModels } from "@/lib/models/present";
import { Catalog } from "./_components/catalog";

export const metadata = { title: "Models" };
export const dynamic = "force-dynamic";

export default async function ModelsPage() {
  const [models, figures] = await Promise.all([listModels(), headlines()]);
  return <Catalog models={models.map((m) => ({ ...m, p95Ms: figures[m.id]?.p95Ms ?? null, accuracy: figures[m.id]?.accuracy ?? null }))} />;
}
