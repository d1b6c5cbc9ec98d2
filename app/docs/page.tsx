import { openApiDocument } from "@/lib/api/openapi/document";
import { operationsByTag } from "@/lib/api/openapi/view";
import { getT } from "@/lib/i18n/server";
import { OperationCard } from "./_components/operation-card";

export const metadata = { title: "API reference" };

/** The OpenAPI document rendered by our own components: no CDN, no Swagger UI, works offline. */
export default async function DocsPage() {
  const { t } = await getT();
  const doc = openApiDocument();
  const groups = operationsByTag(doc);
  const count = groups.reduce((n, g) => n + g.ops.length, 0);
  return (
    <div className="lg:grid lg:grid-cols-[14rem_1fr] lg:gap-8">
      <nav aria-label={t("docs.contents")} className="mb-8 lg:sticky lg:top-6 lg:mb-0 lg:max-h-[calc(100vh-3rem)] lg:self-start lg:overflow-y-auto">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{t("docs.contents")}</h2>
        <ul className="mt-2 space-y-3 text-sm">
          {groups.map((g) => (
            <li key={g.tag}>
              <a href={`#tag-${slug(g.tag)}`} className="font-medium text-slate-800 hover:text-brand-700">{g.tag}</a>
              <ul className="mt-1 space-y-1 border-l border-slate-200 pl-3">
                {g.ops.map((o) => (
                  <li key={o.op.operationId}>
                    <a href={`#${o.op.operationId}`} className="block truncate text-slate-600 hover:text-brand-700" title={`${o.method.toUpperCase()} ${o.path}`}>
                      <span className="font-mono text-xs uppercase text-slate-400">{o.method}</span> {o.path}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>
      <div className="min-w-0 space-y-10">
        <section className="rounded-xl bg-white p-8 shadow-sm ring-1 ring-slate-200">
          <h1 className="text-3xl font-bold tracking-tight" data-testid="docs-title">{t("docs.title")}</h1>
          <p className="mt-3 max-w-3xl text-slate-600">{t("docs.lead")}</p>
          <p className="mt-4 flex flex-wrap items-center gap-4 text-sm">
            <a href="/api/v1/openapi.json" className="rounded-md bg-brand-600 px-4 py-2 font-medium text-white hover:bg-brand-700">{t("docs.download")}</a>
            <span className="text-slate-500">{t("docs.endpoints", { count })} · OpenAPI {doc.openapi} · v{doc.info.version}</span>
          </p>
        </section>
        {groups.map((g) => (
          <section key={g.tag} id={`tag-${slug(g.tag)}`} aria-labelledby={`tag-${slug(g.tag)}-title`} className="scroll-mt-6 space-y-4">
            <div>
              <h2 id={`tag-${slug(g.tag)}-title`} className="text-xl font-semibold">{g.tag}</h2>
              <p className="mt-1 max-w-3xl text-sm text-slate-600">{g.description}</p>
            </div>
            {g.ops.map((o) => (
              <OperationCard key={o.op.operationId} doc={doc} view={o} t={t} />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}
