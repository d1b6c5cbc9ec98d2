"use client";
import { Fragment, useMemo, useState } from "react";
import type { FrontierPointOutput } from "@/lib/api/schemas/selection";
import { useI18n } from "@/lib/i18n/client";
import type { MessageKey } from "@/lib/i18n/config";
import { Deployability } from "./deployability";

type Col = { key: string; label: MessageKey; value: (p: FrontierPointOutput) => number | null; digits: number; better: "high" | "low" };

const at = (p: FrontierPointOutput, c: number) => p.latency.find((l) => l.concurrency === c);

const COLS: Col[] = [
  { key: "accuracy", label: "selection.table.accuracy", value: (p) => p.accuracy, digits: 4, better: "high" },
  { key: "p50", label: "selection.table.p50", value: (p) => p.p50_ms, digits: 1, better: "low" },
  { key: "p95", label: "selection.table.p95", value: (p) => p.p95_ms, digits: 1, better: "low" },
  { key: "p99", label: "selection.table.p99", value: (p) => p.p99_ms, digits: 1, better: "low" },
  { key: "p95c4", label: "selection.table.p95c4", value: (p) => at(p, 4)?.p95_ms ?? null, digits: 1, better: "low" },
  { key: "p95c16", label: "selection.table.p95c16", value: (p) => at(p, 16)?.p95_ms ?? null, digits: 1, better: "low" },
  { key: "rps", label: "selection.table.throughput", value: (p) => at(p, 16)?.throughput_rps ?? null, digits: 1, better: "high" },
  { key: "memory", label: "selection.table.memory", value: (p) => p.memory_mb, digits: 0, better: "low" },
  { key: "cold", label: "selection.table.coldLoad", value: (p) => p.cold_load_ms, digits: 0, better: "low" },
  { key: "size", label: "selection.table.size", value: (p) => (p.file_size_bytes === null ? null : p.file_size_bytes / 1048576), digits: 1, better: "low" },
  { key: "deploy", label: "selection.table.deployability", value: (p) => p.deployability, digits: 0, better: "high" },
];

/** Sortable table of a task's measured variants, with the conditions they were measured under. */
export function Leaderboard({ task, points }: { task: "ocr" | "vad" | "text"; points: FrontierPointOutput[] }) {
  const { t } = useI18n();
  const [sort, setSort] = useState<{ key: string; dir: 1 | -1 }>({ key: "p95", dir: 1 });
  const [open, setOpen] = useState<string | null>(null);
  const sorted = useMemo(() => {
    const col = COLS.find((c) => c.key === sort.key);
    if (!col) return [...points].sort((a, b) => sort.dir * a.model.localeCompare(b.model));
    // Unknown values sort last in either direction.
    return [...points].sort((a, b) => {
      const x = col.value(a);
      const y = col.value(b);
      if (x === null || y === null) return x === null ? (y === null ? 0 : 1) : -1;
      return sort.dir * (x - y) || a.model.localeCompare(b.model);
    });
  }, [points, sort]);
  const toggle = (key: string, better: "high" | "low" | "name") =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: better === "high" ? -1 : 1 }));
  const newest = points.map((p) => p.measured_at).filter((x): x is string => Boolean(x)).sort().at(-1);
  const acc = points[0]?.conditions.accuracy ?? {};
  const lat = points[0]?.conditions.latency ?? {};
  const th = "px-2 py-2 text-right font-medium";
  const header = (key: string, label: MessageKey, better: "high" | "low" | "name", left = false) => (
    <th scope="col" className={left ? "px-2 py-2 text-left font-medium" : th} aria-sort={sort.key === key ? (sort.dir === 1 ? "ascending" : "descending") : "none"}>
      <button type="button" className="hover:text-brand-700" onClick={() => toggle(key, better)} title={t("selection.table.sortBy", { column: t(label) })} data-testid={`sort-${task}-${key}`}>
        {t(label)}
        {sort.key === key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
      </button>
    </th>
  );
  return (
    <div className="space-y-2">
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200">
        <table className="min-w-full text-sm" data-testid={`leaderboard-${task}`}>
          <thead className="bg-slate-50 text-xs text-slate-600">
            <tr>
              {header("model", "selection.table.model", "name", true)}
              <th scope="col" className="px-2 py-2 text-left font-medium">{t("selection.table.frontier")}</th>
              {COLS.map((c) => <Fragment key={c.key}>{header(c.key, c.label, c.better)}</Fragment>)}
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {sorted.map((p) => (
              <Fragment key={p.model}>
                <tr className={p.on_frontier ? "" : "text-slate-500"} data-testid={`leaderboard-row-${p.model}`}>
                  <td className="px-2 py-2">
                    <span className="font-medium">{p.name}</span>
                    {p.default && <span className="ml-2 rounded bg-brand-50 px-1.5 py-0.5 text-xs text-brand-700">{t("selection.table.default")}</span>}
                    <div className="font-mono text-xs text-slate-500">{p.model}</div>
                  </td>
                  <td className="px-2 py-2">{p.on_frontier ? <span className="font-medium text-brand-700">{t("selection.table.yes")}</span> : t("selection.table.no")}</td>
                  {COLS.map((c) => {
                    const v = c.value(p);
                    return (
                      <td key={c.key} className="px-2 py-2 text-right font-mono tabular-nums">
                        {c.key === "deploy" ? (
                          <button type="button" className="underline decoration-dotted" aria-expanded={open === p.model} onClick={() => setOpen(open === p.model ? null : p.model)}>
                            {v ?? "–"}
                          </button>
                        ) : v === null ? "–" : v.toFixed(c.digits)}
                      </td>
                    );
                  })}
                </tr>
                {open === p.model && (
                  <tr>
                    <td colSpan={COLS.length + 2} className="bg-slate-50 px-4 py-3">
                      <div className="max-w-xl">
                        <Deployability
                          input={{ fileSizeBytes: p.file_size_bytes, coldLoadMs: p.cold_load_ms, memoryMb: p.memory_mb, opset: p.opset, customOps: p.custom_ops, dynamicAxes: p.dynamic_axes, license: p.license }}
                          testId={`deployability-${p.model}`}
                        />
                      </div>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      </div>
      {points.length > 0 && (
        <p className="text-xs text-slate-500" data-testid={`conditions-${task}`}>
          {t("selection.table.conditions", {
            subset: String(acc.subset ?? "?"),
            of: String(acc.of ?? "?"),
            set: String(acc.evalSet ?? "?"),
            mode: String(acc.mode ?? "?"),
            workers: String(lat.workers ?? "?"),
            threads: String(lat.intraOpThreads ?? "?"),
            batching: lat.batching === false ? t("selection.table.off") : t("selection.table.on"),
            // UTC, not the viewer's zone: the server and the browser must render the same text.
            when: newest ? `${newest.slice(0, 16).replace("T", " ")} UTC` : "?",
          })}
        </p>
      )}
    </div>
  );
}
