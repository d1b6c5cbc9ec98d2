/** What `npm run pareto -- train` writes to stderr: the dataset's report, a progress bar, the candidates. */
import type { RunView } from "@/lib/training/view";

const pct = (v: number) => `${(v * 100).toFixed(1)} %`;

/** Rows, labels and the rows left out (the first few with their reasons): nothing is dropped silently. */
export function datasetSummary(run: RunView): string {
  const d = run.dataset;
  const lines = [`dataset ${d.name ?? ""} (${d.format}): ${d.rows} rows, ${d.labels.length} labels: ${d.labels.slice(0, 8).map((l) => `${l.label} ${l.count}`).join(", ")}${d.labels.length > 8 ? ", …" : ""}`];
  if (d.badRowCount) {
    lines.push(`${d.badRowCount} rows left out:`);
    for (const b of d.badRows.slice(0, 10)) lines.push(`  ${b.message}`);
    if (d.badRowCount > 10) lines.push(`  … and ${d.badRowCount - 10} more (GET /api/v1/training-runs/${run.id} lists the first 100)`);
  }
  lines.push(`training run ${run.id}: budget ${run.options.budgetS} s, objective ${run.options.objective}, seed ${run.options.seed}`);
  return lines.join("\n") + "\n";
}

/** One line redrawn in place on a terminal, a line per phase change otherwise (logs, CI). */
export function progressBar(out: NodeJS.WriteStream): { update: (p: { phase: string; fraction: number; candidate?: string }) => void; end: () => void } {
  const tty = Boolean(out.isTTY);
  let last = "";
  let lastPhase = "";
  let drawn = 0;
  return {
    update(p) {
      const width = 30;
      const filled = Math.round(Math.min(1, Math.max(0, p.fraction)) * width);
      const line = `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${String(Math.round(p.fraction * 100)).padStart(3)} % ${p.phase}${p.candidate ? ` ${p.candidate}` : ""}`;
      if (line === last) return;
      last = line;
      if (tty) {
        // At most ~10 redraws a second.
        if (Date.now() - drawn < 100) return;
        drawn = Date.now();
        out.write(`\r${line.padEnd(80)}`);
      } else if (p.phase !== lastPhase) {
        out.write(`${line}\n`);
      }
      lastPhase = p.phase;
    },
    end() {
      if (tty && last) out.write(`\r${last.padEnd(80)}\n`);
    },
  };
}

/** The candidates, best first, with their hold-out figures. */
export function runSummary(run: RunView): string {
  if (run.status !== "succeeded") return `training run ${run.id}: ${run.status}${run.error ? ` (${run.error.code}: ${run.error.message})` : ""}\n`;
  const head = ["VERSION", "KIND", "ACCURACY", "MACRO-F1", "SIZE", "TRAFFIC"];
  const rows = run.candidates.map((c) => [c.version, c.kind, pct(c.metrics.accuracy), pct(c.metrics.macroF1), `${Math.round(c.metrics.bytes / 1024)} KiB`, c.trafficPercent === null ? "-" : `${c.trafficPercent} %`]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [fmt(head), ...rows.map(fmt)].join("\n") + "\n";
}
