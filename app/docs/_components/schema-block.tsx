/** A collapsible JSON view of a schema: native <details>, so it works without client JavaScript. */
export function SchemaBlock({ label, schema, open = false }: { label: string; schema: unknown; open?: boolean }) {
  return (
    <details className="group mt-2 rounded-md border border-slate-200 bg-slate-50" open={open}>
      <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100">{label}</summary>
      <pre className="max-h-[32rem] overflow-auto border-t border-slate-200 px-3 py-2 font-mono text-xs leading-relaxed text-slate-800">
        {JSON.stringify(schema, null, 2)}
      </pre>
    </details>
  );
}
