"use client";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/** Latency percentiles by concurrency, as grouped bars. */
export function BenchmarkChart({ points }: { points: { metric: string; concurrency: number; value: number }[] }) {
  const byC = new Map<number, Record<string, number>>();
  const metrics = [...new Set(points.map((p) => p.metric))].sort();
  for (const p of points) {
    const row = byC.get(p.concurrency) ?? { concurrency: p.concurrency };
    if (row[p.metric] === undefined) row[p.metric] = Math.round(p.value * 10) / 10;
    byC.set(p.concurrency, row);
  }
  const data = [...byC.values()].sort((a, b) => a.concurrency - b.concurrency).map((r) => ({ ...r, label: `c=${r.concurrency}` }));
  const colors = ["#2f6fde", "#10b981", "#f59e0b", "#ef4444"];
  return (
    <div className="mt-3 h-64 w-full" data-testid="benchmark-chart">
      <ResponsiveContainer>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
          <XAxis dataKey="label" fontSize={12} />
          <YAxis unit=" ms" fontSize={12} width={70} />
          <Tooltip />
          <Legend />
          {metrics.map((m, i) => (
            <Bar key={m} dataKey={m} fill={colors[i % colors.length]} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
