import type { Translate } from "@/lib/i18n/config";
import type { OpenApiDocument } from "@/lib/api/openapi/types";
import { authOf, inlineRefs, resolveResponse, typeLabel, type OperationView } from "@/lib/api/openapi/view";
import { SchemaBlock } from "./schema-block";

const METHOD_STYLE: Record<string, string> = {
  get: "bg-emerald-100 text-emerald-800",
  post: "bg-brand-100 text-brand-700",
  patch: "bg-amber-100 text-amber-800",
  put: "bg-amber-100 text-amber-800",
  delete: "bg-red-100 text-red-800",
};

/** Backticked spans in descriptions (`pk_…`, field names) as code. */
function Prose({ text }: { text: string }) {
  return (
    <>
      {text.split(/(`[^`]+`)/).map((part, i) =>
        part.startsWith("`") && part.endsWith("`") ? (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.85em]">{part.slice(1, -1)}</code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function OperationCard({ doc, view, t }: { doc: OpenApiDocument; view: OperationView; t: Translate }) {
  const { method, path, op } = view;
  const { auth, permission } = authOf(op);
  const responses = Object.entries(op.responses).map(([status, r]) => ({ status, r: resolveResponse(doc, r) }));
  const ok = responses.filter((x) => x.status.startsWith("2"));
  const errors = responses.filter((x) => !x.status.startsWith("2"));
  return (
    <article id={op.operationId} className="scroll-mt-6 rounded-lg bg-white p-5 shadow-sm ring-1 ring-slate-200" data-testid={`docs-op-${op.operationId}`}>
      <header className="flex flex-wrap items-center gap-3">
        <span className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ${METHOD_STYLE[method]}`}>{method}</span>
        <code className="break-all font-mono text-sm font-semibold text-slate-900">{path}</code>
      </header>
      <h3 className="mt-2 font-semibold">{op.summary}</h3>
      {op.description ? <p className="mt-1 text-sm text-slate-600"><Prose text={op.description} /></p> : null}
      <p className="mt-2 text-sm text-slate-600">
        <span className="font-medium text-slate-700">{t("docs.auth.label")}:</span> {t(`docs.auth.${auth}`)}
        {permission ? ` · ${t("docs.auth.permission", { permission })}` : ""}
      </p>

      {op.parameters?.length ? (
        <section className="mt-4">
          <h4 className="text-sm font-semibold text-slate-800">{t("docs.parameters")}</h4>
          <div className="mt-2 overflow-x-auto">
            <table className="min-w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-1 pr-4">{t("docs.param.name")}</th>
                  <th className="py-1 pr-4">{t("docs.param.in")}</th>
                  <th className="py-1 pr-4">{t("docs.param.type")}</th>
                  <th className="py-1 pr-4">{t("docs.param.required")}</th>
                  <th className="py-1">{t("docs.param.description")}</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {op.parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`}>
                    <td className="py-1 pr-4 font-mono">{p.name}</td>
                    <td className="py-1 pr-4">{p.in}</td>
                    <td className="max-w-xs break-words py-1 pr-4 font-mono text-xs">{typeLabel(p.schema)}</td>
                    <td className="py-1 pr-4">{p.required ? t("docs.param.yes") : t("docs.param.no")}</td>
                    <td className="py-1 text-slate-600">
                      {p.description ? <Prose text={p.description} /> : t("docs.none")}
                      {Array.isArray(p.schema.enum) && p.schema.enum.length > 4 ? (
                        <span className="mt-1 flex flex-wrap gap-1">
                          {p.schema.enum.map((v) => <code key={String(v)} className="rounded bg-slate-100 px-1 font-mono text-xs">{String(v)}</code>)}
                        </span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      {op.requestBody ? (
        <section className="mt-4">
          <h4 className="text-sm font-semibold text-slate-800">{t("docs.requestBody")}</h4>
          {op.requestBody.description ? <p className="mt-1 text-sm text-slate-600"><Prose text={op.requestBody.description} /></p> : null}
          {Object.entries(op.requestBody.content).map(([type, media]) => (
            <SchemaBlock key={type} label={`${t("docs.showSchema")} · ${type}`} schema={inlineRefs(doc, media.schema)} />
          ))}
        </section>
      ) : null}

      {ok.map(({ status, r }) => (
        <section key={status} className="mt-4">
          <h4 className="text-sm font-semibold text-slate-800">{t("docs.response", { status })}</h4>
          <p className="mt-1 text-sm text-slate-600">{r.description}</p>
          {r.headers ? (
            <p className="mt-1 text-xs text-slate-500">
              {t("docs.headers")}: {Object.keys(r.headers).map((h) => <code key={h} className="mr-2 font-mono">{h}</code>)}
            </p>
          ) : null}
          {Object.entries(r.content ?? {}).map(([type, media]) => (
            <SchemaBlock key={type} label={`${t("docs.showSchema")} · ${type}`} schema={inlineRefs(doc, media.schema)} />
          ))}
        </section>
      ))}

      {errors.length ? (
        <section className="mt-4">
          <h4 className="text-sm font-semibold text-slate-800">{t("docs.errors")}</h4>
          <table className="mt-2 min-w-full text-left text-sm" data-testid={`docs-errors-${op.operationId}`}>
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="w-20 py-1 pr-4">{t("docs.status")}</th>
                <th className="py-1">{t("docs.meaning")}</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {errors.map(({ status, r }) => (
                <tr key={status}>
                  <td className="py-1 pr-4 font-mono">{status}</td>
                  <td className="py-1 text-slate-600"><Prose text={r.description} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
    </article>
  );
}
