"use client";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { useI18n } from "@/lib/i18n/client";
import { fmtDay, fmtInt, fmtNum } from "./format";
import { daysBetween } from "./range";

export interface DayPoint {
  day: string;
  requests: number;
  errors: number;
  compute_ms: number;
}

const OK = "#2459c2";
const FAILED = "#dc2626";
const COMPUTE = "#047857";

/** Requests (successful and failed, stacked) and compute ms per UTC day, days without requests drawn as zero. */
export function DayCharts({ days, from, to, id }: { days: DayPoint[]; from: string; to: string; id: string }) {
  const { t, locale } = useI18n();
  const byDay = new Map(days.map((d) => [d.day, d]));
  const data = daysBetween(from, to).map((day) => {
    const d = byDay.get(day);
    return { day, label: fmtDay(day, locale), ok: d ? d.requests - d.errors : 0, failed: d?.errors ?? 0, compute: d ? Math.round(d.compute_ms) : 0 };
  });
  const axis = { fontSize: 12, fill: "#475569" };
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <figure className="min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={`${id}-requests-chart`}>
        <figcaption className="text-base font-semibold text-slate-900">{t("usage.charts.requestsPerDay")}</figcaption>
        <div className="mt-3 h-56" aria-hidden>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data} margin={{ top: 4, right: 8, left: -16, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={axis} tickLine={false} minTickGap={12} />
              <YAxis tick={axis} allowDecimals={false} tickLine={false} axisLine={false} />
              <Tooltip formatter={(v) => fmtInt(Number(v), locale)} />
              <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={(item) => (item.dataKey === "ok" ? 0 : 1)} />
              <Bar dataKey="ok" name={t("usage.charts.ok")} stackId="r" fill={OK} isAnimationActive={false} />
              <Bar dataKey="failed" name={t("usage.charts.failed")} stackId="r" fill={FAILED} isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <figure className="min-w-0 rounded-lg bg-white p-4 shadow-sm ring-1 ring-slate-200" data-testid={`${id}-compute-chart`}>
        <figcaption className="text-base font-semibold text-slate-900">{t("usage.charts.computePerDay")}</figcaption>
        <div className="mt-3 h-56" aria-hidden>
          <ResponsiveContainer width="100%" height="100%">
            <LineChart data={data} margin={{ top: 4, right: 8, left: -8, bottom: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={axis} tickLine={false} minTickGap={12} />
              <YAxis tick={axis} tickLine={false} axisLine={false} tickFormatter={(v: number) => fmtNum(v, locale, 0)} />
              <Tooltip formatter={(v) => fmtInt(Number(v), locale)} />
              <Line type="linear" dataKey="compute" name={t("usage.charts.computeMs")} stroke={COMPUTE} strokeWidth={2} dot={data.length <= 8} isAnimationActive={false} />
            </LineChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <table className="sr-only">
        <caption>{t("usage.charts.tableCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("usage.charts.day")}</th>
            <th scope="col">{t("usage.charts.ok")}</th>
            <th scope="col">{t("usage.charts.failed")}</th>
            <th scope="col">{t("usage.charts.computeMs")}</th>
          </tr>
        </thead>
        <tbody>
          {data.filter((d) => d.ok || d.failed).map((d) => (
            <tr key={d.day}>
              <th scope="row">{d.day}</th>
              <td>{d.ok}</td>
              <td>{d.failed}</td>
              <td>{d.compute}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
